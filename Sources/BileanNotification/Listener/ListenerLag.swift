package import BileanCore
import Foundation
import Synchronization

/// How far behind the listener is, for the reports a freeze depends on (``ListenerReport``): the deliveries it
/// holds unbilled (received, not yet committed), the ones buffered on its connection, and the broker's ready count.
package final class ListenerLag: Sendable {
    private struct Batch {
        var id: Int
        var receivedAt: BillingTime
        var count: Int
    }

    private struct State {
        var batches: [Batch] = []
        var nextID = 0
        /// Deliveries received on the connection and not yet taken into a batch.
        var buffered = 0
        /// The broker's ready count at the last probe (`nil`: unknown, no connection).
        var ready: UInt32?
        /// When the probe that gave ``ready`` started (`nil`: none yet).
        var probedAt: ContinuousClock.Instant?
        /// When the last report was made.
        var lastReport: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    /// The listener's name in the reports.
    package let listener: String
    /// Reads the broker's ready count (set once the consumer exists).
    private let probe = Mutex<(@Sendable () async -> UInt32?)?>(nil)
    /// Where ``reportForCommit(excluding:)`` asks for a probe (the newest request only), kept for the next
    /// ``runProbes()`` until one runs; each run takes the stream, and leaves a new one when it ends.
    private let probeRequests = Mutex(ProbeRequests())

    private struct ProbeRequests {
        var stream: AsyncStream<Void>
        var continuation: AsyncStream<Void>.Continuation
        var running = false

        init() {
            (self.stream, self.continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        }
    }

    /// How old the broker's ready count in a batch's report may be. A probe is a passive declare on the consuming
    /// channel, answered after the deliveries ahead of it (about 10 ms a batch on a busy broker, perf): a batch uses
    /// the count of a probe started at most this long ago, and starts the next probe beside its commit. The depth
    /// it reports is thus at most this stale, against the reports' own interval of a commit; after an idle spell
    /// the batch waits for a probe, as before.
    package static let probeMaximumAge = Duration.milliseconds(250)

    /// Sets how the broker's ready count is read when a report is made.
    package func probing(with probe: @escaping @Sendable () async -> UInt32?) {
        self.probe.withLock { $0 = probe }
    }

    /// A report that the listener is behind whatever it holds: it is starting (nothing known yet) or stopping
    /// (nothing drains the queue any more).
    package var behind: ListenerReport {
        ListenerReport(listener: self.listener, queueDepth: Int64.max, oldestHeldSeconds: 0)
    }

    /// Probes the broker's ready count, then makes the report (``report(excluding:at:)``).
    package func probedReport(excluding committing: Int?) async -> ListenerReport {
        await self.probeNow()
        return self.report(excluding: committing, at: BillingTime(date: Date()))
    }

    /// Reads the broker's ready count through the probe set by the consumer (nothing before it is set).
    package func probeNow() async {
        guard let probe = self.probe.withLock({ $0 }) else { return }
        let started = ContinuousClock.now
        self.probed(ready: await probe(), startedAt: started)
    }

    /// The report for a batch about to commit: with the ready count of a probe started at most
    /// ``probeMaximumAge`` ago (and the next probe asked of ``runProbes()``, so that it runs beside the commit),
    /// else after a probe, like ``probedReport(excluding:)``.
    package func reportForCommit(excluding committing: Int?) async -> ListenerReport {
        let fresh = self.state.withLock { state in
            state.probedAt.map { ContinuousClock.now - $0 <= Self.probeMaximumAge } ?? false
        }
        guard fresh else { return await self.probedReport(excluding: committing) }
        _ = self.probeRequests.withLock { $0.continuation.yield() }
        return self.report(excluding: committing, at: BillingTime(date: Date()))
    }

    /// Runs the probes that ``reportForCommit(excluding:)`` asks for, one at a time, until cancelled (at once if
    /// another run is going on).
    package func runProbes() async {
        let taken = self.probeRequests.withLock { requests -> AsyncStream<Void>? in
            guard !requests.running else { return nil }
            requests.running = true
            return requests.stream
        }
        guard let requests = taken else { return }
        defer {
            // The stream ends with this run (a stream is iterated once): the next run gets one of its own.
            self.probeRequests.withLock { $0 = ProbeRequests() }
        }
        for await _ in requests { await self.probeNow() }
    }

    /// Whether the broker answers a passive declare of the queue now (`nil` probe: the consumer has not started).
    package func brokerAnswers() async -> Bool {
        guard let probe = self.probe.withLock({ $0 }) else { return false }
        return await probe() != nil
    }

    /// Creates a tracker.
    package init(listener: String) {
        self.listener = listener
    }

    /// A batch was received (and `buffered` more wait on the connection).
    /// - Returns: The batch's id, for ``finished(_:)``.
    package func received(_ count: Int, buffered: Int, at time: BillingTime) -> Int {
        self.state.withLock { state in
            defer { state.nextID += 1 }
            state.batches.append(Batch(id: state.nextID, receivedAt: time, count: count))
            state.buffered = buffered
            return state.nextID
        }
    }

    /// The broker's ready count, as probed.
    package func probed(ready: UInt32?) {
        self.probed(ready: ready, startedAt: .now)
    }

    /// The broker's ready count, as probed by a probe started at `started`; an answer older than the one kept (a
    /// probe that was overtaken) is dropped.
    package func probed(ready: UInt32?, startedAt started: ContinuousClock.Instant) {
        self.state.withLock { state in
            if let kept = state.probedAt, kept > started { return }
            state.ready = ready
            state.probedAt = started
        }
    }

    /// A batch is billed (or given back to the broker).
    package func finished(_ id: Int) {
        self.state.withLock { state in state.batches.removeAll { $0.id == id } }
    }

    /// The report to record now, once the batch `committing` (if any) commits: what then still waits.
    /// - Parameter marking: Whether this is a report made (the idle heartbeat waits ``isReportDue(every:)`` after
    ///   it); `false` for a look only, such as the metrics'.
    package func report(excluding committing: Int?, at now: BillingTime, marking: Bool = true) -> ListenerReport {
        self.state.withLock { state in
            if marking { state.lastReport = .now }
            let others = state.batches.filter { $0.id != committing }
            let held = others.reduce(0) { $0 + $1.count }
            let oldest = others.map(\.receivedAt).min()
            // Unknown while there is no connection: counted as behind (the depth is not known to be small).
            let depth = state.ready.map { Int64($0) + Int64(state.buffered) + Int64(held) } ?? Int64.max
            let age = oldest.map { max(0, (now.microseconds - $0.microseconds) / 1_000_000) } ?? 0
            return ListenerReport(listener: self.listener, queueDepth: depth, oldestHeldSeconds: age)
        }
    }

    /// Whether no report was made for `interval` (the idle heartbeat is due).
    package func isReportDue(every interval: Duration) -> Bool {
        self.state.withLock { state in
            guard let last = state.lastReport else { return true }
            return ContinuousClock.now - last >= interval
        }
    }
}
