import ArgumentParser
import BileanClient

/// `bilean policy-show`.
struct PolicyShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy-show",
        abstract: "Show a billing policy, with its rules.",
        discussion: "Prints every property of the policy; its rules (id and type) as JSON."
    )

    @Argument(help: "The policy id.")
    var id: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            self.global.printObject(try client.member(try await client.get(["policies", self.id]), key: "policy"))
        }
    }
}
