import ArgumentParser
import BileanClient
import BileanCore

/// `bilean user-attach-policy`.
struct UserAttachPolicy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user-attach-policy",
        abstract: "Attach a policy to a user.",
        discussion: "The user's resources are priced by the rules of this policy from now on. Prints the user."
    )

    @Argument(help: "The user (project) id.")
    var id: String

    @Argument(help: "The policy id.")
    var policy: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let body = JSONValue.object(["attach_policy": .object(["policy": .string(self.policy)])])
            let answer = try await client.post(["users", self.id, "action"], body: body)
            self.global.printObject(try client.member(answer, key: "user"))
        }
    }
}
