import ArgumentParser
import BileanClient
import BileanCore

/// `bilean resource-validate`.
struct ResourceValidate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resource-validate",
        abstract: "Check whether a user can afford to create resources.",
        discussion: """
            Asks the API whether the user's balance covers --count resources of this type and properties \
            (POST /v1/resources/validate_creation). Property values are sent as strings, e.g. \
            --property flavor=m1.small or --property size=10. Prints "validation" true or false (just \
            true or false with -f value).
            """
    )

    @Option(
        name: .customLong("user-id"),
        help: ArgumentHelp("The user (project) who would create them (default: the caller's project).", valueName: "id")
    )
    var userID: String?

    @Option(
        name: .customLong("resource-type"),
        help: ArgumentHelp("The resource type, e.g. os.nova.server or os.cinder.volume.", valueName: "type")
    )
    var resourceType: String

    @Option(
        name: .customLong("property"),
        help: ArgumentHelp("A property as key=value; repeat for several.", valueName: "key=value")
    )
    var property: [String] = []

    @Option(help: ArgumentHelp("How many such resources (default: 1).", valueName: "n"))
    var count: Int?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        do {
            _ = try KeyValueList.metadata(self.property, option: "--property")
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        try await self.global.run { client in
            let resource: [String: JSONValue] = [
                "resource_type": .string(self.resourceType),
                "properties": try KeyValueList.metadata(self.property, option: "--property"),
            ]
            var body: [String: JSONValue] = ["resources": .array([.object(resource)])]
            if let userID = self.userID { body["user_id"] = .string(userID) }
            if let count = self.count { body["count"] = .number(String(count)) }
            let answer = try await client.post(["resources", "validate_creation"], body: .object(body))
            guard let answer, answer["validation"] != nil else {
                throw BileanClientError(.invalidResponse, "the answer of the Bilean API has no 'validation'")
            }
            self.global.printObject(answer)
        }
    }
}
