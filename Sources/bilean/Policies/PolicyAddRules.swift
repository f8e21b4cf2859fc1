import ArgumentParser
import BileanClient

/// `bilean policy-add-rules`.
struct PolicyAddRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy-add-rules",
        abstract: "Add rules to a billing policy.",
        discussion: """
            Repeat --rule for several rules. A policy holds at most one rule per resource type. Prints the \
            policy.
            """
    )

    @Argument(help: "The policy id.")
    var id: String

    @Option(name: [.short, .long], help: ArgumentHelp("A rule id; repeat for several rules.", valueName: "id"))
    var rule: [String] = []

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard !self.rule.isEmpty else { throw ValidationError("Give at least one --rule.") }
    }

    func run() async throws {
        try await self.global.run { client in
            try await PolicyRuleChange.run(
                "add_rules",
                policyID: self.id,
                ruleIDs: self.rule,
                client: client,
                global: self.global
            )
        }
    }
}
