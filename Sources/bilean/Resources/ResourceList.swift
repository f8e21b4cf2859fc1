import ArgumentParser
import BileanClient

/// `bilean resource-list`.
struct ResourceList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resource-list",
        abstract: "List chargeable resources (servers, volumes, ...).",
        discussion: """
            Columns: id, user_id, resource_type, rule_id, rate (per second); rule_id is empty for a resource \
            no rule prices. Filters: resource_type, rule_id. Sort keys: id, user_id, resource_type, rule_id, \
            created_at, updated_at.
            """
    )

    @Option(name: .customLong("user-id"), help: ArgumentHelp("Only this user's resources.", valueName: "id"))
    var userID: String?

    @OptionGroup var list: ListArguments
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            var query = QueryParameters()
            query.append("user_id", self.userID)
            let rows = try await self.list.fetch(["resources"], key: "resources", query: query, client: client)
            self.global.printList(rows, columns: ["id", "user_id", "resource_type", "rule_id", "rate"])
        }
    }
}
