import BileanCore
import Logging
import Synchronization
import Testing

@testable import BileanServer

/// `[DEFAULT] log_format = json`: the lines the handler writes.
@Suite struct JSONLogHandlerTests {
    static let t0 = BillingTime(microseconds: 1_700_000_000_123_456)

    /// The lines a logger wrote through the handler.
    final class Lines: Sendable {
        private let lines = Mutex<[[UInt8]]>([])

        func append(_ line: [UInt8]) { self.lines.withLock { $0.append(line) } }

        var all: [[UInt8]] { self.lines.withLock { $0 } }
    }

    static func logger(_ lines: Lines, role: String = "scheduler", level: Logger.Level = .info) -> Logger {
        Logger(label: "bilean") { label in
            var handler = JSONLogHandler(
                label: label,
                role: role,
                metadataProvider: nil,
                now: { Self.t0 },
                output: { lines.append($0) }
            )
            handler.logLevel = level
            return handler
        }
    }

    @Test func aLineCarriesTheTimeLevelRoleMessageAndRequestID() throws {
        let lines = Lines()
        var logger = Self.logger(lines, role: "api")
        logger[metadataKey: "request.id"] = "req-1234"
        logger.warning("GET /v1/users 200", metadata: ["user.id": "u1", "duration": "2ms"])
        let written = try #require(lines.all.first)
        #expect(written.last == UInt8(ascii: "\n"))
        #expect(written.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        let line = try JSONValue(jsonText: String(decoding: written.dropLast(), as: UTF8.self))
        #expect(
            line
                == .object([
                    "timestamp": .string("2023-11-14T22:13:20.123456Z"),
                    "level": .string("warning"),
                    "role": .string("api"),
                    "logger": .string("bilean"),
                    "message": .string("GET /v1/users 200"),
                    "request_id": .string("req-1234"),
                    "metadata": .object(["user.id": .string("u1"), "duration": .string("2ms")]),
                ])
        )
        // The exact bytes: the project's writer, keys in byte order, no whitespace.
        #expect(
            String(decoding: written, as: UTF8.self)
                == #"{"level":"warning","logger":"bilean","message":"GET /v1/users 200","metadata":{"duration":"2ms","#
                + #""user.id":"u1"},"request_id":"req-1234","role":"api","timestamp":"2023-11-14T22:13:20.123456Z"}"#
                + "\n"
        )
    }

    @Test func withoutRequestOrMetadataThoseKeysAreAbsent() throws {
        let lines = Lines()
        Self.logger(lines).info("scheduler started")
        let written = try #require(lines.all.first)
        let line = try JSONValue(jsonText: String(decoding: written, as: UTF8.self))
        let keys = try #require(line.objectValue?.keys).sorted()
        #expect(keys == ["level", "logger", "message", "role", "timestamp"])
        #expect(line["role"] == .string("scheduler"))
        #expect(line["level"] == .string("info"))
    }

    @Test func aMessageNeverSpansTwoLines() throws {
        let lines = Lines()
        Self.logger(lines).error(
            "first\nsecond\u{2028}third \"quoted\" \u{7}",
            metadata: ["sql": "SELECT 1;\r\nDROP", "nested": ["a": ["x", "y"]]]
        )
        let written = try #require(lines.all.first)
        #expect(written.filter { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }.count == 1)
        let line = try JSONValue(jsonText: String(decoding: written, as: UTF8.self))
        #expect(line["message"] == .string("first\nsecond\u{2028}third \"quoted\" \u{7}"))
        #expect(line["metadata"]?["sql"] == .string("SELECT 1;\r\nDROP"))
        #expect(line["metadata"]?["nested"] == .object(["a": .array([.string("x"), .string("y")])]))
    }

    @Test func theLevelAndTheProviderAreHonoured() throws {
        let lines = Lines()
        let logger = Logger(label: "bilean") { label in
            JSONLogHandler(
                label: label,
                role: "all",
                metadataProvider: Logger.MetadataProvider { ["provided": "yes", "user.id": "provider"] },
                now: { Self.t0 },
                output: { lines.append($0) }
            )
        }
        logger.debug("not written")
        logger.notice("written", metadata: ["user.id": "call"])
        #expect(lines.all.count == 1)
        let line = try JSONValue(jsonText: String(decoding: try #require(lines.all.first), as: UTF8.self))
        #expect(line["level"] == .string("notice"))
        // The call's metadata wins over the provider's.
        #expect(line["metadata"] == .object(["provided": .string("yes"), "user.id": .string("call")]))
    }
}
