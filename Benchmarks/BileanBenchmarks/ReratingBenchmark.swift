import BileanCore
import BileanEngine
import BileanStore
import Foundation
import Logging
import PostgresNIO

/// Shadow re-rating at scale (issue #19 §2): `users` users, each with a Nova server resized twice and a Cinder volume
/// extended once over 30 days, all billed by the default policy; then a preview of the 30 days with a draft that
/// doubles the server prices, and its apply. Reports the seconds and the peak resident memory (VmHWM) of each.
///
/// The engine runs directly over the store with a clock the benchmark sets: the events are applied in cloud-time
/// order, in batches, with "now" a minute after the window's end, as a listener that kept up would have.
struct ReratingBenchmark {
    struct Figures {
        var users = 0
        var events = 0
        var loadSeconds = 0.0
        var residentBeforeMiB = 0.0
        var previewSeconds = 0.0
        var previewPeakMiB = 0.0
        var previewLines = 0
        var current = Money.zero
        var draft = Money.zero
        var applySeconds = 0.0
        var applyPeakMiB = 0.0
        var consumptions = 0
        /// Whether the peak could be reset before each step (else each peak is the process's since its start).
        var peakReset = false
    }

    /// The goals of issue #19 §2 for 10,000 users over 30 days.
    static let goalSeconds = 60.0
    static let goalMiB = 256.0

    static let days: Int64 = 30
    /// The window's end; the engine's clock stands a minute after it.
    static let end = BillingTime(seconds: 1_800_000_000)
    static let start = end.adding(seconds: -days * 86_400)
    static let now = end.adding(seconds: 60)

    static func novaSpec(factor: Int) -> JSONValue {
        let prices = [("m1.small", 5), ("m1.medium", 10), ("m1.large", 40)]
        return .object([
            "type": .string("os.nova.server"), "version": .string("1.0"),
            "properties": .object([
                "unit": .string("per_hour"),
                "price_mapping": .array(
                    prices.map { flavor, cents in
                        .object([
                            "flavor": .string(flavor),
                            "price": .number(
                                Money(units: Int128(cents * factor) * Money.unitsPerOne / 100).description
                            ),
                        ])
                    }
                ),
            ]),
        ])
    }

    static let cinderSpec = JSONValue.object([
        "type": .string("os.cinder.volume"), "version": .string("1.0"),
        "properties": .object([
            "unit": .string("per_hour"),
            "price_mapping": .array([
                .object(["start": .number("1"), "end": .number("10"), "price": .number("0.01")]),
                .object(["start": .number("11"), "price": .number("0.1")]),
            ]),
        ]),
    ])

    /// One user's events, in cloud-time order: a server created in the window's first day, resized at about day 10
    /// and day 20; a volume created a day before the window and extended at about day 15. Instants are spread by
    /// the user's index so that no two users share them.
    static func events(user index: Int) -> [ResourceEvent] {
        let user = "bench-user-\(index)"
        let server = "bench-server-\(index)"
        let volume = "bench-volume-\(index)"
        let spread = Int64(index % 86_400)
        func at(day: Int64) -> BillingTime { Self.start.adding(seconds: day * 86_400 + spread) }
        func event(
            _ step: Int,
            _ action: ResourceEvent.Action,
            _ type: String,
            _ id: String,
            _ properties: [String: JSONValue],
            _ time: BillingTime
        ) -> ResourceEvent {
            ResourceEvent(
                messageID: "bench-\(index)-\(step)",
                action: action,
                resourceType: type,
                resourceID: id,
                userID: user,
                properties: properties,
                time: time
            )
        }
        return [
            event(0, .create, "os.cinder.volume", volume, ["size": .number("10")], at(day: -1)),
            event(1, .create, "os.nova.server", server, ["flavor": .string("m1.small")], at(day: 0)),
            event(2, .update, "os.nova.server", server, ["flavor": .string("m1.large")], at(day: 10)),
            event(3, .update, "os.cinder.volume", volume, ["size": .number("20")], at(day: 15)),
            event(4, .update, "os.nova.server", server, ["flavor": .string("m1.medium")], at(day: 20)),
        ]
    }

    /// Creates the rules and the default policy, and applies every user's events in batches of `batchUsers` users.
    /// - Returns: The Nova rule's id and the number of events applied.
    static func load(_ engine: Engine, users: Int, batchUsers: Int) async throws -> (novaRuleID: String, events: Int) {
        let nova = try await engine.createRule(name: "nova", spec: Self.novaSpec(factor: 1), metadata: .object([:]))
        let cinder = try await engine.createRule(name: "cinder", spec: Self.cinderSpec, metadata: .object([:]))
        let policy = try await engine.createPolicy(
            name: "standard",
            ruleIDs: [nova.id, cinder.id],
            metadata: .object([:])
        )
        guard policy.isDefault else {
            throw BenchmarkFailure("the benchmark's policy is not the default: the database is not empty")
        }
        var applied = 0
        var first = 0
        while first < users {
            let range = first..<min(first + batchUsers, users)
            let batch = range.flatMap { Self.events(user: $0) }
            let outcomes = try await engine.apply(batch)
            applied += outcomes.count(where: { $0 == .applied })
            first = range.upperBound
        }
        return (nova.id, applied)
    }

    /// The process's peak resident memory (`VmHWM`), or its current one (`VmRSS`), in MiB.
    static func memoryMiB(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("\(field):") {
            return (Double(String(line.filter(\.isNumber))) ?? 0) / 1024
        }
        return 0
    }

    /// Resets the process's peak resident memory to its current value (Linux: `5` into `/proc/self/clear_refs`).
    /// - Returns: Whether it could.
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    static func measure(_ store: SQLBillingStore, users: Int, batchUsers: Int, logger: Logger) async throws -> Figures {
        var figures = Figures()
        figures.users = users
        var configuration = Engine.Configuration()
        // Every user may go far below zero: nobody is warned or frozen, so that every stretch is billed and re-rated.
        configuration.defaultCredit = Money(integer: 1_000_000)
        let engine = Engine(store: store, configuration: configuration, now: { Self.now }, logger: logger)
        var novaRuleID = ""
        figures.loadSeconds = try await seconds {
            (novaRuleID, figures.events) = try await Self.load(engine, users: users, batchUsers: batchUsers)
        }
        let request = ReratingRequest(
            startTime: Self.start,
            endTime: Self.end,
            rules: [ReratingDraft(ruleID: novaRuleID, spec: Self.novaSpec(factor: 2))]
        )
        figures.residentBeforeMiB = Self.memoryMiB("VmRSS")
        figures.peakReset = Self.resetPeak()
        var preview: ReratingPreview?
        figures.previewSeconds = try await seconds { preview = try await engine.previewRerating(request) }
        figures.previewPeakMiB = Self.memoryMiB("VmHWM")
        guard let preview else { throw BenchmarkFailure("no preview") }
        figures.previewLines = preview.lines.count
        figures.current = preview.lines.current
        figures.draft = preview.lines.draft
        _ = Self.resetPeak()
        var rerating: Rerating?
        figures.applySeconds = try await seconds {
            rerating = try await engine.applyRerating(previewID: preview.id, reason: "benchmark: doubled server prices")
        }
        figures.applyPeakMiB = Self.memoryMiB("VmHWM")
        figures.consumptions = rerating?.consumptions ?? 0
        return figures
    }

    /// Measures on `store` (empty and migrated) and prints the figures and a one-line summary.
    static func run(name: String, users: Int, batchUsers: Int, store: SQLBillingStore, logger: Logger) async throws {
        let figures = try await Self.measure(store, users: users, batchUsers: batchUsers, logger: logger)
        let peakNote = figures.peakReset ? "" : " (since the process started: /proc/self/clear_refs is not writable)"
        let difference = figures.draft - figures.current
        print("\(name): shadow re-rating of \(figures.users) users over \(Self.days) days")
        print(
            "  load (not the re-rating): \(figures.events) events, \(batchUsers) users per batch: "
                + Self.format(figures.loadSeconds) + " s"
        )
        print("  resident memory before the preview: " + Self.format(figures.residentBeforeMiB) + " MiB")
        print(
            "  preview, a draft doubling the server prices: " + Self.format(figures.previewSeconds) + " s, peak "
                + Self.format(figures.previewPeakMiB) + " MiB" + peakNote
        )
        print(
            "    \(figures.previewLines) lines; current \(figures.current), draft \(figures.draft), difference "
                + "\(difference); draft − 2 × current = \(figures.draft - figures.current - figures.current) "
                + "(each resource's totals are rounded once)"
        )
        print(
            "  apply: " + Self.format(figures.applySeconds) + " s, peak " + Self.format(figures.applyPeakMiB)
                + " MiB" + peakNote + "; \(figures.consumptions) consumptions recorded"
        )
        let met = figures.previewSeconds <= Self.goalSeconds && figures.previewPeakMiB <= Self.goalMiB
        print(
            "rerating: \(figures.users) users × \(Self.days) days, \(name): preview "
                + Self.format(figures.previewSeconds) + " s, peak RSS " + Self.format(figures.previewPeakMiB)
                + " MiB; apply " + Self.format(figures.applySeconds) + " s, peak RSS "
                + Self.format(figures.applyPeakMiB) + " MiB (goal for 10,000 users: preview ≤ "
                + "\(Int(Self.goalSeconds)) s and ≤ \(Int(Self.goalMiB)) MiB: \(met ? "met" : "not met"))"
        )
    }

    /// A figure with one decimal.
    static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}

/// Why a benchmark could not run.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
