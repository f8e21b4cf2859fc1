import ArgumentParser
import BileanClient

/// `bilean user-list`.
struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user-list",
        abstract: "List users (projects) with their balance, credit, rate and status.",
        discussion: """
            Columns: id, name, balance, credit, rate (per second), status. Filters: name, status, policy_id \
            (e.g. --filter status=FREEZE). Sort keys: id, name, balance, rate, credit, status, created_at, \
            updated_at. Without --limit every user is fetched, 1000 per request.
            """
    )

    @OptionGroup var list: ListArguments
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let rows = try await self.list.fetch(["users"], key: "users", client: client)
            self.global.printList(rows, columns: ["id", "name", "balance", "credit", "rate", "status"])
        }
    }
}
