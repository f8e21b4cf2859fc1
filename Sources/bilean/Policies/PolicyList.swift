import ArgumentParser
import BileanClient

/// `bilean policy-list`.
struct PolicyList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy-list",
        abstract: "List billing policies.",
        discussion: """
            Columns: id, name, is_default, created_at. Filters: name, is_default. Sort keys: id, name, \
            is_default, created_at, updated_at.
            """
    )

    @OptionGroup var list: ListArguments
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let rows = try await self.list.fetch(["policies"], key: "policies", client: client)
            self.global.printList(rows, columns: ["id", "name", "is_default", "created_at"])
        }
    }
}
