import ArgumentParser
import BileanClient

/// `bilean consumption-statistics`.
struct ConsumptionStatistics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumption-statistics",
        abstract: "Show the cost of each resource, or of each resource type, over a time window.",
        discussion: """
            Costs are clipped to the window and include the running interval up to now. Columns: \
            resource_id, resource_type, user_id, cost; with --summary, one row per resource type: \
            resource_type, cost.
            """
    )

    @OptionGroup var window: TimeWindow

    @Flag(help: "Sum the costs per resource type.")
    var summary = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            var query = self.window.query
            if self.summary { query.append("summary", "true") }
            let rows = try client.rows(
                try await client.get(["consumptions", "statistics"], query: query),
                key: "statistics"
            )
            self.global.printList(
                rows,
                columns: self.summary
                    ? ["resource_type", "cost"] : ["resource_id", "resource_type", "user_id", "cost"]
            )
        }
    }
}
