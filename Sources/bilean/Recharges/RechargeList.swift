import ArgumentParser
import BileanClient

/// `bilean recharge-list`.
struct RechargeList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recharge-list",
        abstract: "List recharges (the money put on accounts).",
        discussion: """
            Columns: id, user_id, type, value, timestamp. Filter: type (Recharge or System bonus). Sort keys: \\
            timestamp, type. With the consumptions, they check the ledger: for a user whose resources are all \\
            closed, recharges minus consumptions equals the balance, exactly.
            """
    )

    @OptionGroup var window: TimeWindow
    @OptionGroup var list: ListArguments
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let rows = try await self.list.fetch(
                ["recharges"],
                key: "recharges",
                query: self.window.query,
                client: client
            )
            self.global.printList(rows, columns: ["id", "user_id", "type", "value", "timestamp"])
        }
    }
}
