import ArgumentParser
import BileanClient

/// `bilean rule-delete`.
struct RuleDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule-delete",
        abstract: "Delete billing rules.",
        discussion: """
            Sends one DELETE per id, in order, and goes on after a failure. Prints nothing on success; \
            prints "ERROR: ..." for each rule that could not be deleted and then exits with status 1.
            """
    )

    @Argument(help: "The rule ids.")
    var ids: [String]

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard !self.ids.isEmpty else { throw ValidationError("Give at least one rule id.") }
    }

    func run() async throws {
        try await self.global.run { client in
            try await DeleteEach.run(kind: "rule", collection: "rules", ids: self.ids, client: client)
        }
    }
}
