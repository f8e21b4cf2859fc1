import BileanCore
import Testing

@testable import BileanNotification

@Suite("NotificationParser")
struct NotificationParserTests {
    static let inner = #"""
        {"message_id": "9496cc35-c339-4dbb-82bc-fcca440c7bc5", "publisher_id": "compute.stack01",
         "event_type": "compute.instance.create.end", "priority": "info",
         "payload": {"instance_id": "i-1", "size": 1.10, "big": 123456789012345678901234567890.5},
         "timestamp": "2026-11-24 23:33:51.823142", "_unique_id": "0c593566763147dfb0474d0660897b31",
         "_context_project_id": "p-1", "_context_auth_token": null}
        """#

    /// `inner` as the oslo 2.0 envelope sends it: JSON text inside a JSON string.
    static var enveloped: String {
        JSONText.write(.object(["oslo.version": .string("2.0"), "oslo.message": .string(Self.inner)]))
    }

    @Test func readsTheOslo2Envelope() throws {
        let notification = try NotificationParser().parse(Self.enveloped)
        #expect(notification.envelope == .oslo2)
        #expect(notification.messageID == "9496cc35-c339-4dbb-82bc-fcca440c7bc5")
        #expect(notification.publisherID == "compute.stack01")
        #expect(notification.eventType == "compute.instance.create.end")
        #expect(notification.priority == "INFO")
        #expect(notification.timestamp == BillingTime(microseconds: 1_795_563_231_823_142))
        #expect(notification.timestamp.iso8601 == "2026-11-24T23:33:51.823142Z")
        #expect(notification.context == ["project_id": .string("p-1"), "auth_token": .null])
        #expect(notification.document["_unique_id"] == .string("0c593566763147dfb0474d0660897b31"))
        #expect(notification.document["_context_project_id"] == .string("p-1"))
    }

    @Test func keepsNumbersAsTheirExactText() throws {
        let notification = try NotificationParser().parse(Self.enveloped)
        #expect(notification.payload["size"] == .number("1.10"))
        #expect(notification.payload["big"] == .number("123456789012345678901234567890.5"))
    }

    @Test func readsABareBodyFromTheOlderDriver() throws {
        let notification = try NotificationParser().parse(Self.inner)
        #expect(notification.envelope == .bare)
        #expect(notification.messageID == "9496cc35-c339-4dbb-82bc-fcca440c7bc5")
        #expect(notification.payload["instance_id"] == .string("i-1"))
    }

    @Test func bytesAndTextGiveTheSameNotification() throws {
        let parser = NotificationParser()
        #expect(try parser.parse(Array(Self.enveloped.utf8)) == parser.parse(Self.enveloped))
    }

    @Test func contextPublisherAndPriorityAreOptional() throws {
        let notification = try NotificationParser().parse(
            #"{"message_id": "m", "event_type": "e", "timestamp": "2026-11-24 23:33:51", "payload": null,"#
                + #" "publisher_id": null}"#
        )
        #expect(notification.context.isEmpty)
        #expect(notification.publisherID == nil)
        #expect(notification.priority == nil)
        #expect(notification.payload == .null)
        #expect(notification.timestamp.iso8601 == "2026-11-24T23:33:51.000000Z")
    }

    @Test(arguments: ["2.0", "2.0.0", "02.0"])
    func acceptsEnvelopeVersionsOsloReads(_ version: String) throws {
        let body = JSONText.write(.object(["oslo.version": .string(version), "oslo.message": .string(Self.inner)]))
        #expect(try NotificationParser().parse(body).envelope == .oslo2)
    }

    /// A malformed body and the reason it must be set aside with.
    struct Malformed: Sendable, CustomTestStringConvertible {
        var name: String
        var body: [UInt8]
        var code: NotificationRejection.Code

        init(_ name: String, _ body: String, _ code: NotificationRejection.Code) {
            self.name = name
            self.body = Array(body.utf8)
            self.code = code
        }

        init(_ name: String, bytes: [UInt8], _ code: NotificationRejection.Code) {
            self.name = name
            self.body = bytes
            self.code = code
        }

        var testDescription: String { self.name }
    }

    /// A notification object with one field replaced (or removed with `nil`).
    static func notification(_ key: String, _ value: JSONValue?) -> String {
        var object: [String: JSONValue] = [
            "message_id": .string("m-1"),
            "event_type": .string("compute.instance.create.end"),
            "timestamp": .string("2026-11-24 23:33:51.823142"),
            "payload": .object([:]),
            "publisher_id": .string("compute.host"),
            "priority": .string("INFO"),
        ]
        object[key] = value
        return JSONText.write(.object(object))
    }

    static func envelope(version: JSONValue?, message: JSONValue?) -> String {
        var object: [String: JSONValue] = [:]
        object["oslo.version"] = version
        object["oslo.message"] = message
        return JSONText.write(.object(object))
    }

    static let malformed: [Malformed] = [
        Malformed("empty body", "", .invalidJSON),
        Malformed("not JSON", "hello, rabbit", .invalidJSON),
        Malformed("truncated JSON", #"{"oslo.version": "2.0", "oslo.mess"#, .invalidJSON),
        Malformed("trailing text", #"{"a": 1} {"b": 2}"#, .invalidJSON),
        Malformed("NaN", #"{"a": NaN}"#, .invalidJSON),
        Malformed("binary bytes", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0x00], .invalidUTF8),
        Malformed(
            "invalid UTF-8 in a string",
            bytes: Array(#"{"message_id": ""#.utf8) + [0xC3, 0x28, 0x22, 0x7D],
            .invalidUTF8
        ),
        Malformed("unescaped control character", "{\"a\": \"x\ny\"}", .invalidJSON),
        Malformed("lone surrogate", #"{"a": "\ud800"}"#, .invalidJSON),
        Malformed(
            "nested too deep",
            String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
            .invalidJSON
        ),
        Malformed("an array", "[1, 2]", .notAnObject),
        Malformed("a string", #""compute.instance.create.end""#, .notAnObject),
        Malformed(
            "envelope version 1.0",
            envelope(version: .string("1.0"), message: .string(inner)),
            .unsupportedEnvelope
        ),
        Malformed(
            "envelope version 2.1",
            envelope(version: .string("2.1"), message: .string(inner)),
            .unsupportedEnvelope
        ),
        Malformed(
            "envelope version 3.0",
            envelope(version: .string("3.0"), message: .string(inner)),
            .unsupportedEnvelope
        ),
        Malformed("envelope version 2", envelope(version: .string("2"), message: .string(inner)), .unsupportedEnvelope),
        Malformed(
            "envelope version a number",
            envelope(version: .number("2.0"), message: .string(inner)),
            .unsupportedEnvelope
        ),
        Malformed("envelope without message", envelope(version: .string("2.0"), message: nil), .invalidEnvelope),
        Malformed("envelope without version", envelope(version: nil, message: .string(inner)), .invalidEnvelope),
        Malformed("oslo.message an object", envelope(version: .string("2.0"), message: .object([:])), .invalidEnvelope),
        Malformed("oslo.message a number", envelope(version: .string("2.0"), message: .number("1")), .invalidEnvelope),
        Malformed("oslo.message not JSON", envelope(version: .string("2.0"), message: .string("{oops")), .invalidJSON),
        Malformed("oslo.message an array", envelope(version: .string("2.0"), message: .string("[1]")), .notAnObject),
        // A repeated key: which copy the sender meant cannot be known (Python's json would keep the last).
        Malformed(
            "a repeated key in the envelope",
            #"{"oslo.version": "2.0", "oslo.message": "{}", "oslo.version": "2.0"}"#,
            .invalidJSON
        ),
        Malformed(
            "a repeated key in oslo.message",
            envelope(
                version: .string("2.0"),
                message: .string(#"{"message_id": "m-1", "event_type": "a.b", "message_id": "m-2"}"#)
            ),
            .invalidJSON
        ),
        Malformed(
            "a repeated key in the payload",
            #"{"message_id": "m", "event_type": "e", "timestamp": "2026-11-24 23:33:51", "#
                + #""payload": {"size": 1, "size": 2}}"#,
            .invalidJSON
        ),
        Malformed("no message_id", notification("message_id", nil), .missingField),
        Malformed("message_id a number", notification("message_id", .number("7")), .invalidField),
        Malformed("message_id null", notification("message_id", .null), .invalidField),
        Malformed("message_id empty", notification("message_id", .string("")), .invalidField),
        Malformed("message_id blank", notification("message_id", .string("   ")), .invalidField),
        Malformed("message_id with a newline", notification("message_id", .string("a\nb")), .invalidField),
        Malformed(
            "message_id too long",
            notification("message_id", .string(String(repeating: "x", count: 256))),
            .invalidField
        ),
        Malformed("no event_type", notification("event_type", nil), .missingField),
        Malformed("event_type an array", notification("event_type", .array([])), .invalidField),
        Malformed("event_type empty", notification("event_type", .string("")), .invalidField),
        Malformed("no timestamp", notification("timestamp", nil), .missingField),
        Malformed("timestamp a number", notification("timestamp", .number("1795563231")), .invalidField),
        Malformed("timestamp not a time", notification("timestamp", .string("yesterday")), .invalidTimestamp),
        Malformed(
            "timestamp 30 February",
            notification("timestamp", .string("2026-02-30 00:00:00")),
            .invalidTimestamp
        ),
        Malformed("timestamp a date only", notification("timestamp", .string("2026-11-24")), .invalidTimestamp),
        Malformed("no payload", notification("payload", nil), .missingField),
        Malformed("publisher_id a number", notification("publisher_id", .number("1")), .invalidField),
        Malformed("priority an object", notification("priority", .object([:])), .invalidField),
    ]

    @Test(arguments: malformed)
    func setsAsideMalformedBodies(_ malformed: Malformed) {
        #expect(throws: NotificationRejection.self) { try NotificationParser().parse(malformed.body) }
        do throws(NotificationRejection) {
            _ = try NotificationParser().parse(malformed.body)
        } catch {
            #expect(error.code == malformed.code, "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func aRejectionNamesTheMessageOnceKnown() {
        do throws(NotificationRejection) {
            _ = try NotificationParser().parse(Self.notification("timestamp", .string("soon")))
            Issue.record("parsed")
        } catch {
            #expect(error.code == .invalidTimestamp)
            #expect(error.messageID == "m-1")
            #expect(error.eventType == "compute.instance.create.end")
        }
    }

    @Test func refusesA10MBBodyUnread() {
        // 10 MB of something that would be slow to parse if it were read: it must not be.
        let body = [UInt8](repeating: UInt8(ascii: "["), count: 10 * 1_024 * 1_024)
        do throws(NotificationRejection) {
            _ = try NotificationParser().parse(body)
            Issue.record("parsed")
        } catch {
            #expect(error.code == .bodyTooLarge)
        }
    }

    @Test func theMaximumBodySizeIsConfigurable() throws {
        var configuration = NotificationParser.Configuration()
        #expect(configuration.maximumBodySize == 1_048_576)
        let body = Array(Self.inner.utf8)
        configuration.maximumBodySize = body.count
        #expect(try NotificationParser(configuration: configuration).parse(body).messageID.isEmpty == false)
        configuration.maximumBodySize = body.count - 1
        #expect(throws: NotificationRejection.self) {
            try NotificationParser(configuration: configuration).parse(body)
        }
    }

    @Test func aBodyJustUnderTheDefaultMaximumIsRead() throws {
        let padding = String(repeating: "x", count: 1_048_576 - 200)
        let body = Self.notification("payload", .object(["padding": .string(padding)]))
        #expect(body.utf8.count <= 1_048_576)
        #expect(try NotificationParser().parse(body).payload["padding"] == .string(padding))
    }

    @Test func escapesAreDecoded() throws {
        let notification = try NotificationParser().parse(
            #"{"message_id": "m", "event_type": "e\u00e9\ud83d\ude00\/\"", "timestamp": "2026-11-24 23:33:51","#
                + #" "payload": "tab\there"}"#
        )
        #expect(notification.eventType == "eé😀/\"")
        #expect(notification.payload == .string("tab\there"))
    }
}
