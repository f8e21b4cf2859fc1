import BileanCore
import Testing

@testable import BileanNotification

@Suite("JSONPath")
struct JSONPathTests {
    static let document: [String: JSONValue] = [
        "payload": .object([
            "instance_id": .string("i-1"),
            "size": .number("10"),
            "deleted_at": .null,
            "volume_attachment": .array([
                .object(["server_id": .string("s-1")]), .object(["server_id": .string("s-2")]),
            ]),
            "nova_object.data": .object([
                "flavor": .object(["nova_object.data": .object(["name": .string("m1.small")])]),
                "it's": .string("quoted"),
            ]),
        ]),
        "_context_project_id": .string("p-1"),
    ]

    @Test(arguments: [
        ("payload.instance_id", JSONValue.string("i-1")),
        ("$.payload.instance_id", .string("i-1")),
        ("$['payload'].instance_id", .string("i-1")),
        ("$[\"payload\"][\"instance_id\"]", .string("i-1")),
        ("payload.size", .number("10")),
        ("payload.deleted_at", .null),
        ("payload.volume_attachment[0].server_id", .string("s-1")),
        ("payload.volume_attachment[1].server_id", .string("s-2")),
        ("payload['nova_object.data'].flavor['nova_object.data'].name", .string("m1.small")),
        ("payload[\"nova_object.data\"].flavor[\"nova_object.data\"].name", .string("m1.small")),
        ("payload['nova_object.data']['it\\'s']", .string("quoted")),
        ("_context_project_id", .string("p-1")),
    ])
    func findsValues(_ text: String, _ expected: JSONValue) throws {
        #expect(try JSONPath(text).value(in: Self.document) == expected)
    }

    @Test(arguments: [
        "payload.missing",
        "payload.instance_id.deeper",
        "payload.volume_attachment[2].server_id",
        "payload.volume_attachment.server_id",
        "payload[0]",
        "payload.nova_object.data",
        "missing",
    ])
    func findsNothingWhereThereIsNothing(_ text: String) throws {
        #expect(try JSONPath(text).value(in: Self.document) == nil)
    }

    @Test func stepsAreParsed() throws {
        #expect(
            try JSONPath("$.payload['nova_object.data'].list[12].x").steps
                == [.key("payload"), .key("nova_object.data"), .key("list"), .index(12), .key("x")]
        )
    }

    @Test(arguments: [
        "", "$", "$x", "payload..a", "$..payload", "payload.*", "payload[*]", "payload[", "payload['x",
        "payload['x'", "payload[-1]", "payload.", ".payload", "payload a", "payload['']", "payload[0", "payload]",
        "payload[?(@.a)]",
    ])
    func refusesUnsupportedPaths(_ text: String) {
        #expect(throws: JSONPath.SyntaxError.self) { try JSONPath(text) }
    }
}
