package import BileanCore
import Foundation
package import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `[DEFAULT] log_format = json`: one JSON object per line, for log pipelines.
///
/// Each line is `{"level", "logger", "message", "metadata", "request_id", "role", "timestamp"}`, written by
/// ``ExactJSONWriter`` (keys in byte order, no whitespace):
/// - `timestamp`: the instant in UTC, ISO 8601 with microseconds (`2026-12-01T10:00:00.123456Z`);
/// - `level`: swift-log's level (`trace` … `critical`);
/// - `role`: the `bilean-server` role (`all`, `api`, `engine`, `scheduler`, `notification`);
/// - `logger`: the logger's label;
/// - `message`: the message;
/// - `request_id`: the request's id (the `request.id` metadata), only when there is one;
/// - `metadata`: every other metadata value (the handler's, the provider's, the call's, in that order of
///   precedence, and an attached error as `error.message` and `error.type`), only when there is any. Values keep
///   their shape: strings, objects and arrays of strings.
///
/// Newlines, other control characters, U+007F, U+2028 and U+2029 are escaped, so that a line is always one line.
package struct JSONLogHandler: LogHandler {
    /// The metadata key promoted to `request_id`.
    package static let requestIDKey = "request.id"

    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let role: String
    private let output: @Sendable ([UInt8]) -> Void
    private let now: @Sendable () -> BillingTime

    /// Creates a handler.
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - role: The process's role, on every line.
    ///   - metadataProvider: Metadata added at each line (by default the logging system's).
    ///   - now: The clock of the timestamps.
    ///   - output: Takes each line's bytes, the final newline included; called from any thread, so it must write a
    ///     line at once (``StandardError/write(_:)``).
    package init(
        label: String,
        role: String,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
        now: @escaping @Sendable () -> BillingTime = { BillingTime(date: Date()) },
        output: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.label = label
        self.role = role
        self.metadataProvider = metadataProvider
        self.now = now
        self.output = output
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        self.output(self.line(event))
    }

    /// The bytes of an event's line, with its final newline.
    /// - Parameter event: The event.
    /// - Returns: The line.
    func line(_ event: LogEvent) -> [UInt8] {
        var metadata = self.metadata
        if let provided = self.metadataProvider?.get(), !provided.isEmpty {
            metadata.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            metadata.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            metadata["error.message"] = "\(error)"
            metadata["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var object: [String: JSONValue] = [
            "timestamp": .string(self.now().iso8601),
            "level": .string(event.level.rawValue),
            "role": .string(self.role),
            "logger": .string(self.label),
            "message": .string(event.message.description),
        ]
        if let requestID = metadata.removeValue(forKey: Self.requestIDKey) {
            object["request_id"] = .string(requestID.description)
        }
        if !metadata.isEmpty {
            object["metadata"] = Self.json(metadata)
        }
        var bytes: [UInt8]
        do {
            bytes = try ExactJSONWriter.bytes(.object(object), options: Self.options)
        } catch {
            // Only strings, objects and arrays are written: no number can fail to be one.
            preconditionFailure("a log line without numbers failed to encode: \(error)")
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Compact, with what a terminal would interpret escaped.
    private static let options = ExactJSONWriter.Options(escapesDeleteAndSeparators: true)

    private static func json(_ metadata: Logger.Metadata) -> JSONValue {
        .object(metadata.mapValues(Self.json))
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let convertible): return .string(convertible.description)
        case .dictionary(let metadata): return Self.json(metadata)
        case .array(let values): return .array(values.map(Self.json))
        }
    }
}

extension JSONLogHandler {
    /// Standard error, one whole line per `write(2)` sequence: lines of concurrent loggers never interleave.
    package final class StandardError: Sendable {
        private let lock = Mutex(())

        /// A writer of standard error.
        package init() {}

        /// Writes a line (retrying after an interrupted or partial write; a line that cannot be written is lost, as
        /// there is nowhere left to report it).
        /// - Parameter bytes: The line.
        package func write(_ bytes: [UInt8]) {
            self.lock.withLock { _ in
                bytes.withUnsafeBytes { writeAll(to: STDERR_FILENO, $0) }
            }
        }
    }
}

/// Writes all of `buffer` to a file descriptor, again after an interruption or a partial write; gives up at the
/// first error.
private func writeAll(to descriptor: Int32, _ buffer: UnsafeRawBufferPointer) {
    guard let base = buffer.baseAddress else { return }
    var offset = 0
    while offset < buffer.count {
        let written = write(descriptor, base + offset, buffer.count - offset)
        if written > 0 {
            offset += written
        } else if written < 0 && errno == EINTR {
            continue
        } else {
            return
        }
    }
}
