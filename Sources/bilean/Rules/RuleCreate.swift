import ArgumentParser
import BileanClient
import BileanCore

/// `bilean rule-create`.
struct RuleCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule-create",
        abstract: "Create a billing rule from a spec file.",
        discussion: """
            The spec file is YAML (or JSON) with type, version and properties, for example:

              type: os.nova.server
              version: 1.0
              properties:
                price_mapping:
                  - flavor: m1.small
                    price: 0.1
                unit: per_hour

            Numbers are sent exactly as written (version 1.0 stays 1.0, price 0.1 stays 0.1); quote a value \
            to send it as a string. Prints the new rule.
            """
    )

    @Argument(help: "The rule's name.")
    var name: String

    @Option(
        name: [.customShort("s"), .customLong("spec-file")],
        help: ArgumentHelp("The YAML or JSON file of the rule's spec.", valueName: "file")
    )
    var specFile: String

    @OptionGroup var metadata: MetadataOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let rule: [String: JSONValue] = [
                "name": .string(self.name),
                "spec": try RuleSpecFile.load(self.specFile),
                "metadata": try self.metadata.json(),
            ]
            let answer = try await client.post(["rules"], body: .object(["rule": .object(rule)]))
            self.global.printObject(try client.member(answer, key: "rule"))
        }
    }
}
