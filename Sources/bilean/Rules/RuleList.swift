import ArgumentParser
import BileanClient

/// `bilean rule-list`.
struct RuleList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule-list",
        abstract: "List billing rules.",
        discussion: """
            Columns: id, name, type, created_at. Filters: name, type (e.g. --filter type=os.nova.server-1.0). \
            Sort keys: id, name, type, created_at, updated_at.
            """
    )

    @OptionGroup var list: ListArguments
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let rows = try await self.list.fetch(["rules"], key: "rules", client: client)
            self.global.printList(rows, columns: ["id", "name", "type", "created_at"])
        }
    }
}
