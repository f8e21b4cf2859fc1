import ArgumentParser
import BileanClient
import BileanCore

/// `bilean user-projection`.
struct UserProjectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user-projection",
        abstract: "Show a user's exact balance and status at a future instant, if nothing changes.",
        discussion: """
            Billing stops at the freeze, so past the freeze instant the balance stays where the freeze left it. \\
            An instant in the past is refused.
            """
    )

    @Argument(help: "The user (project) id.")
    var id: String

    @Option(help: ArgumentHelp("The instant, in ISO 8601 (e.g. 2026-12-31T00:00:00Z).", valueName: "time"))
    var at: String

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        do {
            _ = try BillingTime(parsing: self.at, field: "--at")
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        try await self.global.run { client in
            let answer = try await client.get(["users", self.id, "projection"], query: [("at", self.at)])
            self.global.printObject(try client.member(answer, key: "projection"))
        }
    }
}
