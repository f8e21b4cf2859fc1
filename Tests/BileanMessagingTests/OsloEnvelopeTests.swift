import BileanCore
import Testing

@testable import BileanMessaging

struct OsloEnvelopeTests {
    @Test func wrapWritesTheMessageAsJSONTextInsideTheEnvelope() throws {
        let body = try OsloEnvelope.wrap(["method": .string("echo"), "n": .number("12345678901234567890")])
        let outer = try #require(try ExactJSONReader.parse(Array(body.utf8), maximumDepth: 10).objectValue)
        #expect(outer.keys.sorted() == ["oslo.message", "oslo.version"])
        #expect(outer["oslo.version"] == .string("2.0"))
        let inner = try #require(outer["oslo.message"]?.stringValue)
        #expect(
            try ExactJSONReader.parse(Array(inner.utf8), maximumDepth: 10)
                == .object(["method": .string("echo"), "n": .number("12345678901234567890")])
        )
    }

    @Test func unwrapReadsTheEnvelopeAndKeepsNumbersExact() throws {
        let unwrapped = try OsloEnvelope.unwrap(OsloFixtures.body("call_request"))
        #expect(unwrapped.form == .oslo2)
        #expect(unwrapped.message["args"]?["amount"] == .number("12345678901234567890"))
        #expect(unwrapped.message["args"]?["ratio"] == .number("0.1"))
        #expect(unwrapped.message["args"]?["note"] == .string("café \"q\""))
    }

    @Test func aBareObjectIsReadAsTheMessage() throws {
        let unwrapped = try OsloEnvelope.unwrap(Array(#"{"method": "x", "args": {}}"#.utf8))
        #expect(unwrapped.form == .bare)
        #expect(unwrapped.message["method"] == .string("x"))
    }

    @Test(arguments: [
        (#"not json"#, MessagingError.Code.notJSON),
        (#"[1, 2]"#, .notAnObject),
        (#"{"oslo.version": "2.0"}"#, .invalidEnvelope),
        (#"{"oslo.message": "{}"}"#, .invalidEnvelope),
        (#"{"oslo.version": "2.0", "oslo.message": {}}"#, .invalidEnvelope),
        (#"{"oslo.version": "3.0", "oslo.message": "{}"}"#, .unsupportedEnvelope),
        (#"{"oslo.version": 2, "oslo.message": "{}"}"#, .unsupportedEnvelope),
        (#"{"oslo.version": "2.0", "oslo.message": "[]"}"#, .notAnObject),
        (#"{"oslo.version": "2.0", "oslo.message": "{"}"#, .notJSON),
    ])
    func badBodiesSayWhy(body: String, code: MessagingError.Code) {
        #expect {
            try OsloEnvelope.unwrap(Array(body.utf8))
        } throws: { error in
            (error as? MessagingError)?.code == code
        }
    }

    @Test func aBodyNestedTooDeeplyIsRefused() {
        let body = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: MessagingError.self) { try OsloEnvelope.unwrap(Array(body.utf8)) }
    }

    @Test(arguments: [("2.0", true), ("2.0.0", true), ("2.1", false), ("2", false), ("1.0", false), ("2.x", false)])
    func versionsOsloReads(version: String, supported: Bool) {
        #expect(OsloEnvelope.isSupportedVersion(version) == supported)
    }

    @Test func notificationsAreStillWrappedAsBefore() throws {
        let body = try OsloEnvelope.notification(
            messageID: "5e3ab1f0-0000-4000-8000-000000000001",
            publisherID: "billing.host",
            eventType: "billing.notify",
            priority: "INFO",
            payload: .object(["user_id": .string("u")]),
            timestamp: try BillingTime(parsing: "2026-01-02T03:04:05.678901Z")
        )
        let message = try OsloEnvelope.unwrap(Array(body.utf8)).message
        #expect(message["event_type"] == .string("billing.notify"))
        #expect(message["timestamp"] == .string("2026-01-02 03:04:05.678901"))
        #expect(message["_unique_id"] == .string("5e3ab1f0000040008000000000000001"))
    }
}
