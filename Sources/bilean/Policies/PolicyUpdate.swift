import ArgumentParser
import BileanClient
import BileanCore

/// `bilean policy-update`.
struct PolicyUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy-update",
        abstract: "Change a billing policy's name, metadata or default flag.",
        discussion: """
            Give at least one of --name, --metadata, --default, --no-default. --metadata replaces the whole \
            metadata. A user without a policy is billed by the default policy. Prints the policy.
            """
    )

    @Argument(help: "The policy id.")
    var id: String

    @Option(help: ArgumentHelp("The new name.", valueName: "name"))
    var name: String?

    @OptionGroup var metadata: MetadataOptions

    @Flag(
        name: .customLong("default"),
        inversion: .prefixedNo,
        help: "Make this the default policy (--default), or not (--no-default)."
    )
    var isDefault: Bool?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard self.name != nil || !self.metadata.isEmpty || self.isDefault != nil else {
            throw ValidationError("Give at least one of --name, --metadata, --default, --no-default.")
        }
    }

    func run() async throws {
        try await self.global.run { client in
            var policy: [String: JSONValue] = [:]
            if let name = self.name { policy["name"] = .string(name) }
            if !self.metadata.isEmpty { policy["metadata"] = try self.metadata.json() }
            if let isDefault = self.isDefault { policy["is_default"] = .bool(isDefault) }
            let answer = try await client.put(["policies", self.id], body: .object(["policy": .object(policy)]))
            self.global.printObject(try client.member(answer, key: "policy"))
        }
    }
}
