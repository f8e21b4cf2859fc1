import ArgumentParser
import BileanClient

/// `bilean rule-show`.
struct RuleShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule-show",
        abstract: "Show a billing rule, with its spec.",
        discussion: "Prints every property of the rule; the spec and the metadata as JSON."
    )

    @Argument(help: "The rule id.")
    var id: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            self.global.printObject(try client.member(try await client.get(["rules", self.id]), key: "rule"))
        }
    }
}
