import ArgumentParser
import BileanClient

/// `bilean consumption-list`.
struct ConsumptionList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumption-list",
        abstract: "List consumption records: what each resource cost over each interval.",
        discussion: """
            Columns: id, resource_id, resource_type, start_time, end_time, rate (per second), cost. Filters: \
            resource_type, resource_id. Sort keys: start_time, end_time, resource_type, resource_id, \
            created_at.
            """
    )

    @OptionGroup var window: TimeWindow
    @OptionGroup var list: ListArguments
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let rows = try await self.list.fetch(
                ["consumptions"],
                key: "consumptions",
                query: self.window.query,
                client: client
            )
            self.global.printList(
                rows,
                columns: ["id", "resource_id", "resource_type", "start_time", "end_time", "rate", "cost"]
            )
        }
    }
}
