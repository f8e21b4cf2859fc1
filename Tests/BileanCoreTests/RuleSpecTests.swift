import Testing

@testable import BileanCore

/// A spec object from its members; `nil` members are left out.
private func spec(
    type: JSONValue? = .string("os.nova.server"),
    version: JSONValue? = .string("1.0"),
    properties: JSONValue? = .object([:]),
    extra: [String: JSONValue] = [:]
) -> JSONValue {
    var object = extra
    if let type { object["type"] = type }
    if let version { object["version"] = version }
    if let properties { object["properties"] = properties }
    return .object(object)
}

@Suite("RuleSpec")
struct RuleSpecTests {
    private func invalid(_ value: JSONValue) -> BileanError? {
        #expect(throws: BileanError.self) { try RuleSpec(value) }
    }

    @Test func parsesAValidSpec() throws {
        let properties = JSONValue.object([
            "price_mapping": .array([.object(["flavor": .string("m1.tiny"), "price": .number("0.5")])])
        ])
        let parsed = try RuleSpec(spec(properties: properties))
        #expect(parsed.resourceType == "os.nova.server")
        #expect(parsed.version == "1.0")
        #expect(parsed.properties == properties)
        #expect(parsed.ruleType == "os.nova.server-1.0")
    }

    @Test(arguments: [
        (JSONValue.number("1.0"), "1.0"),
        // Decimal prints the number 1.0 as "1": a whole number gets ".0" back.
        (.number("1"), "1.0"),
        (.number("2"), "2.0"),
        (.number("1.5"), "1.5"),
        (.string("1.0"), "1.0"),
        // A string is taken as written.
        (.string("1"), "1"),
        (.string("2.0-beta"), "2.0-beta"),
    ])
    func versionIsTextEvenWhenANumber(version: JSONValue, text: String) throws {
        let parsed = try RuleSpec(spec(type: .string("os.cinder.volume"), version: version))
        #expect(parsed.version == text)
        #expect(parsed.ruleType == "os.cinder.volume-\(text)")
    }

    @Test func versionDecodedFromJSONNumberOneIsOnePointZero() throws {
        // What the original client sends for `version: 1.0` in YAML.
        let parsed = try RuleSpec(
            JSONValue(jsonText: #"{"type": "os.nova.server", "version": 1.0, "properties": {"price_mapping": []}}"#)
        )
        #expect(parsed.version == "1.0")
        #expect(parsed.ruleType == "os.nova.server-1.0")
    }

    @Test(arguments: [JSONValue.array([]), .string("os.nova.server-1.0"), .null, .number("1")])
    func specMustBeAnObject(value: JSONValue) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec")
    }

    @Test func unknownKeyIsRejected() {
        let error = self.invalid(spec(extra: ["name": .string("nova")]))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec.name")
        #expect(error?.message.contains("name") == true)
    }

    @Test(arguments: [
        (spec(type: nil), "spec.type"),
        (spec(type: .string("")), "spec.type"),
        (spec(type: .number("1")), "spec.type"),
        (spec(type: .null), "spec.type"),
        (spec(type: .string(String(repeating: "t", count: 256))), "spec.type"),
        (spec(version: nil), "spec.version"),
        (spec(version: .string("")), "spec.version"),
        (spec(version: .string(String(repeating: "1", count: 33))), "spec.version"),
        (spec(version: .null), "spec.version"),
        (spec(version: .bool(true)), "spec.version"),
        (spec(version: .array([.number("1")])), "spec.version"),
        (spec(version: .object([:])), "spec.version"),
        (spec(properties: nil), "spec.properties"),
        (spec(properties: .array([])), "spec.properties"),
        (spec(properties: .string("{}")), "spec.properties"),
        (spec(properties: .null), "spec.properties"),
    ])
    func missingOrMistypedMemberNamesItsField(value: JSONValue, field: String) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
    }

    @Test func longestAcceptedTypeAndVersion() throws {
        let type = String(repeating: "t", count: 255)
        let version = String(repeating: "1", count: 32)
        let parsed = try RuleSpec(spec(type: .string(type), version: .string(version)))
        #expect(parsed.resourceType == type)
        #expect(parsed.version == version)
    }
}
