import ArgumentParser
import BileanClient
import BileanCore

/// `bilean rule-update`.
struct RuleUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule-update",
        abstract: "Change a billing rule's name, spec or metadata.",
        discussion: """
            Give at least one of --name, --spec-file, --metadata; what is not given is left as it is. \
            --metadata replaces the whole metadata. Prints the rule.
            """
    )

    @Argument(help: "The rule id.")
    var id: String

    @Option(help: ArgumentHelp("The new name.", valueName: "name"))
    var name: String?

    @Option(
        name: [.customShort("s"), .customLong("spec-file")],
        help: ArgumentHelp("A YAML or JSON file with the new spec.", valueName: "file")
    )
    var specFile: String?

    @OptionGroup var metadata: MetadataOptions

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard self.name != nil || self.specFile != nil || !self.metadata.isEmpty else {
            throw ValidationError("Give at least one of --name, --spec-file, --metadata.")
        }
    }

    func run() async throws {
        try await self.global.run { client in
            var rule: [String: JSONValue] = [:]
            if let name = self.name { rule["name"] = .string(name) }
            if let specFile = self.specFile { rule["spec"] = try RuleSpecFile.load(specFile) }
            if !self.metadata.isEmpty { rule["metadata"] = try self.metadata.json() }
            let answer = try await client.put(["rules", self.id], body: .object(["rule": .object(rule)]))
            self.global.printObject(try client.member(answer, key: "rule"))
        }
    }
}
