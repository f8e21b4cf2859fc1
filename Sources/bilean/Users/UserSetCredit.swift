import ArgumentParser
import BileanClient
import BileanCore

/// `bilean user-set-credit`.
struct UserSetCredit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user-set-credit",
        abstract: "Set how far below zero a user's balance may go before it is frozen (admin).",
        discussion: """
            The value is sent as the exact decimal text you type (a JSON string), never through floating \
            point. The server accepts 0 to 100000000 with at most 12 decimals. Raising the credit thaws a \
            frozen user whose overdraft it covers, as a recharge does; either way the user's warning and freeze \
            are rescheduled. Prints the user afterwards.
            """
    )

    @Argument(help: "The user (project) id.")
    var id: String

    @Option(help: ArgumentHelp("The credit, a decimal number such as 50 or 0.", valueName: "amount"))
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
            let body = JSONValue.object(["set_credit": .object(["value": .string(self.value)])])
            let answer = try await client.post(["users", self.id, "action"], body: body)
            self.global.printObject(try client.member(answer, key: "user"))
        }
    }
}
