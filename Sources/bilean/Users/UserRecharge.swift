import ArgumentParser
import BileanClient
import BileanCore

/// `bilean user-recharge`.
struct UserRecharge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user-recharge",
        abstract: "Recharge a user's balance.",
        discussion: """
            The value is sent as the exact decimal text you type (a JSON string), never through floating \
            point: --value 1.1 adds exactly 1.1. The server accepts more than 0 and at most 100000000. \
            Prints the user afterwards.
            """
    )

    @Argument(help: "The user (project) id.")
    var id: String

    @Option(help: ArgumentHelp("The amount to add, a decimal number such as 100 or 10.50.", valueName: "amount"))
    var value: String

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        do {
            _ = try Money(parsing: self.value, field: "--value")
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        try await self.global.run { client in
            let body = JSONValue.object(["recharge": .object(["value": .string(self.value)])])
            let answer = try await client.post(["users", self.id, "action"], body: body)
            self.global.printObject(try client.member(answer, key: "user"))
        }
    }
}
