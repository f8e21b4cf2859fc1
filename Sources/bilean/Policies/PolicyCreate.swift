import ArgumentParser
import BileanClient
import BileanCore

/// `bilean policy-create`.
struct PolicyCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy-create",
        abstract: "Create a billing policy.",
        discussion: """
            A policy groups rules, at most one per resource type. Repeat --rule for several rules; without \
            --rule the policy starts empty (add rules later with policy-add-rules). Prints the new policy.
            """
    )

    @Argument(help: "The policy's name.")
    var name: String

    @Option(name: [.short, .long], help: ArgumentHelp("A rule id; repeat for several rules.", valueName: "id"))
    var rule: [String] = []

    @OptionGroup var metadata: MetadataOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let policy: [String: JSONValue] = [
                "name": .string(self.name),
                "rules": .array(self.rule.map(JSONValue.string)),
                "metadata": try self.metadata.json(),
            ]
            let answer = try await client.post(["policies"], body: .object(["policy": .object(policy)]))
            self.global.printObject(try client.member(answer, key: "policy"))
        }
    }
}
