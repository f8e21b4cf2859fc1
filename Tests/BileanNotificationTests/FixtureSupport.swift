import BileanCore
import BileanTestSupport
import Foundation
import Testing

@testable import BileanNotification

/// How each notification fixture file is found and fed to the parser.
extension NotificationFixtures {
    /// Every file under the directory, as paths relative to it, sorted.
    static func allFiles() throws -> [String] {
        let root = self.directory.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = root + "/" + relative
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// The bytes of a fixture file.
    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: self.directory.appendingPathComponent(relative)))
    }

    /// The message id given to a fixture that has none (nova samples, payload-only files): from its file name, so
    /// that `nova/X` and `nova/resolved/X` give the same facts.
    static func sampleMessageID(_ relative: String) -> String {
        "sample:" + (relative.split(separator: "/").last.map(String.init) ?? relative)
    }

    /// The timestamp given to a fixture that has none, as Python prints a naive datetime with no microseconds.
    static let sampleTimestamp = "2026-01-01 00:00:00"

    /// How a fixture file is turned into an AMQP body.
    enum Form: String, Sendable {
        /// Sent as it is: an oslo 2.0 envelope, a bare wire notification, or anything that is not a notification.
        case asIs
        /// An oslo listener's endpoint form (`ctxt`, `metadata`): rebuilt as the wire form.
        case endpoint
        /// A sample without `message_id` or `timestamp` (nova's doc samples, some watcher files): given them, with
        /// nova's `$ref` links resolved.
        case sample
        /// A payload only (`*-payload.json`): wrapped in a notification of the event type its file name gives.
        case payloadOnly
    }

    /// The AMQP body (bare, old-driver form) a fixture file stands for, and how it was made.
    static func body(_ relative: String) throws -> (body: [UInt8], form: Form) {
        let raw = try self.bytes(relative)
        guard let value = try? ExactJSONReader.parse(raw, maximumDepth: 100), case .object(var object) = value else {
            return (raw, .asIs)
        }
        let fileName = relative.split(separator: "/").last.map(String.init) ?? relative
        if object["oslo.version"] != nil || object["oslo.message"] != nil || object["message_id"] != nil {
            return (raw, .asIs)
        }
        if object["event_type"] != nil, case .object(let metadata) = object["metadata"] {
            let context = object.removeValue(forKey: "ctxt")?.objectValue ?? [:]
            object.removeValue(forKey: "metadata")
            for (key, value) in metadata { object[key] = value }
            for (key, value) in context { object["_context_" + key] = value }
            if object["priority"] == nil { object["priority"] = .string("INFO") }
            return (Array(JSONText.write(.object(object)).utf8), .endpoint)
        }
        if object["event_type"] != nil {
            let base = self.directory.appendingPathComponent(relative).deletingLastPathComponent()
            object = try NovaReferences.resolve(.object(object), base: base).objectValue ?? object
            object["message_id"] = .string(self.sampleMessageID(relative))
            object["timestamp"] = .string(self.sampleTimestamp)
            if object["priority"] == nil { object["priority"] = .string("INFO") }
            return (Array(JSONText.write(.object(object)).utf8), .sample)
        }
        if fileName.contains("-payload.") {
            // <event type>.<variant>-payload.json
            var parts = fileName.split(separator: ".")
            parts.removeLast(2)
            let wrapped: JSONValue = .object([
                "message_id": .string(self.sampleMessageID(relative)),
                "publisher_id": .string("fixture"),
                "event_type": .string(parts.joined(separator: ".")),
                "priority": .string("INFO"),
                "payload": .object(object),
                "timestamp": .string(self.sampleTimestamp),
            ])
            return (Array(JSONText.write(wrapped).utf8), .payloadOnly)
        }
        return (raw, .asIs)
    }

    /// A bare body wrapped in the oslo 2.0 envelope, as oslo.messaging's `messagingv2` driver sends it.
    static func envelope(_ bare: [UInt8]) -> [UInt8] {
        let text = String(decoding: bare, as: UTF8.self)
        return Array(JSONText.write(.object(["oslo.version": .string("2.0"), "oslo.message": .string(text)])).utf8)
    }
}

/// Nova's `$ref` links in its notification samples, resolved as nova's `nova/tests/json_ref.py` does: the referenced
/// file (relative to the referring file), resolved in turn, with the sibling keys of `$ref` merged over it
/// recursively.
enum NovaReferences {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func resolve(_ value: JSONValue, base: URL) throws -> JSONValue {
        switch value {
        case .array(let elements):
            return .array(try elements.map { try self.resolve($0, base: base) })
        case .object(var members):
            guard let reference = members.removeValue(forKey: "$ref") else {
                return .object(try members.mapValues { try self.resolve($0, base: base) })
            }
            guard case .string(let text) = reference, let file = text.split(separator: "#").first else {
                throw Failure(description: "a $ref is not a file reference")
            }
            let url = base.appendingPathComponent(String(file))
            let loaded = try ExactJSONReader.parse(Array(try Data(contentsOf: url)), maximumDepth: 100)
            let resolved = try self.resolve(loaded, base: url.deletingLastPathComponent())
            let overrides = try self.resolve(.object(members), base: base)
            return self.merge(resolved, overrides)
        case .null, .bool, .number, .string:
            return value
        }
    }

    private static func merge(_ base: JSONValue, _ update: JSONValue) -> JSONValue {
        guard case .object(var target) = base, case .object(let changes) = update else { return update }
        for (key, value) in changes {
            if let existing = target[key], case .object = existing, case .object = value {
                target[key] = self.merge(existing, value)
            } else {
                target[key] = value
            }
        }
        return .object(target)
    }
}

/// Compact JSON text of a `JSONValue`, numbers as their exact text, keys sorted.
enum JSONText {
    static func write(_ value: JSONValue) -> String {
        var output = ""
        self.write(value, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let text): output += text
        case .string(let text): self.writeString(text, into: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                self.write(element, into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                self.writeString(key, into: &output)
                output += ":"
                if let member = members[key] { self.write(member, into: &output) }
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
