import ArgumentParser
import BileanClient

/// `bilean user-show`.
struct UserShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user-show",
        abstract: "Show a user, with its real-time balance.",
        discussion: "Prints every property of the user. An admin may show any user, a project itself."
    )

    @Argument(help: "The user (project) id.")
    var id: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            self.global.printObject(try client.member(try await client.get(["users", self.id]), key: "user"))
        }
    }
}
