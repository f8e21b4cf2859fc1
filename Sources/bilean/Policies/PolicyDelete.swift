import ArgumentParser
import BileanClient

/// `bilean policy-delete`.
struct PolicyDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy-delete",
        abstract: "Delete billing policies.",
        discussion: """
            Sends one DELETE per id, in order, and goes on after a failure. Prints nothing on success; \
            prints "ERROR: ..." for each policy that could not be deleted and then exits with status 1.
            """
    )

    @Argument(help: "The policy ids.")
    var ids: [String]

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard !self.ids.isEmpty else { throw ValidationError("Give at least one policy id.") }
    }

    func run() async throws {
        try await self.global.run { client in
            try await DeleteEach.run(
                kind: "policy",
                collection: "policies",
                ids: self.ids,
                client: client
            )
        }
    }
}
