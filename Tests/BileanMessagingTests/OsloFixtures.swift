import BileanCore
import Foundation
import Testing

/// Bodies oslo.messaging 18.3.1 put on RabbitMQ, captured once with pika (Fixtures/oslo-messaging-18.3.1.json says
/// how): its requests and replies, byte for byte.
enum OsloFixtures {
    static let all: [String: JSONValue] = {
        guard
            let url = Bundle.module.url(
                forResource: "oslo-messaging-18.3.1",
                withExtension: "json",
                subdirectory: "Fixtures"
            ),
            let data = try? Data(contentsOf: url),
            let object = try? ExactJSONReader.parse(Array(data), maximumDepth: 20).objectValue
        else { return [:] }
        return object
    }()

    /// The body named `name`, as bytes.
    static func body(_ name: String) throws -> [UInt8] {
        let text = try #require(Self.all[name]?.stringValue, "no fixture \(name)")
        return Array(text.utf8)
    }

    /// The AMQP properties pika read, as JSON.
    static func properties(_ name: String) throws -> [String: JSONValue] {
        try #require(Self.all["\(name)_properties"]?.objectValue, "no fixture \(name)_properties")
    }
}
