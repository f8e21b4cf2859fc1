import BileanCore
import BileanNotification
import Foundation

/// How fast the listener reads a notification (`bilean-bench --parse FILE [--parse-count N]`): one AMQP body (an
/// oslo 2.0 envelope) parsed N times by `NotificationParser` (the envelope, its inner JSON text, the notification's
/// fields), against Foundation's `JSONSerialization` reading the same two levels (the envelope, then its
/// `oslo.message` text) in the same run.
enum ParseBenchmark {
    static func run(file: String, count: Int) throws {
        let body = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let parser = NotificationParser()
        let eventType = try parser.parse(body).eventType
        // Warm both up before timing.
        for _ in 0..<min(count, 1_000) {
            blackHole(try parser.parse(body))
            blackHole(try Self.foundation(body))
        }
        var ours = Double.infinity
        var foundation = Double.infinity
        // Best of 3 each, alternating, against the machine's noise.
        for _ in 0..<3 {
            let oursStart = ContinuousClock.now
            for _ in 0..<count { blackHole(try parser.parse(body)) }
            ours = min(ours, Self.seconds(since: oursStart))
            let foundationStart = ContinuousClock.now
            for _ in 0..<count { blackHole(try Self.foundation(body)) }
            foundation = min(foundation, Self.seconds(since: foundationStart))
        }
        print("notification parse: \(eventType), \(body.count) bytes, \(count) times (best of 3):")
        print(
            String(
                format: "  NotificationParser (envelope + inner + fields) %8.2f µs/message",
                ours * 1e6 / Double(count)
            )
        )
        print(
            String(
                format: "  JSONSerialization (envelope + inner)           %8.2f µs/message   ours/Foundation = %.2f×",
                foundation * 1e6 / Double(count),
                ours / foundation
            )
        )
    }

    /// The two levels of an oslo 2.0 envelope, read by Foundation.
    static func foundation(_ body: [UInt8]) throws -> Any {
        let outer = try JSONSerialization.jsonObject(with: Data(body))
        guard let envelope = outer as? [String: Any], let inner = envelope["oslo.message"] as? String else {
            throw CocoaError(.coderReadCorrupt)
        }
        return try JSONSerialization.jsonObject(with: Data(inner.utf8))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
