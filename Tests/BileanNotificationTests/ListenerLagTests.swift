import BileanCore
import Foundation
import Synchronization
import Testing

@testable import BileanNotification

/// The instant every test starts from (2023-11-14T22:13:20Z).
private let t0 = BillingTime(seconds: 1_700_000_000)

/// The report expected of the listener `l`.
private func expected(depth: Int64, age: Int64) -> ListenerReport {
    ListenerReport(listener: "l", queueDepth: depth, oldestHeldSeconds: age)
}

/// The listener's lag report, without a broker: the queue depth (the broker's ready count, plus what is buffered on
/// the connection, plus what the listener holds unbilled), the age of the oldest delivery it holds, the batch being
/// committed left out, and "behind" (`Int64.max`) while the ready count is unknown.
@Suite("ListenerLag")
struct ListenerLagTests {
    /// Starting or stopping, the listener reports itself behind whatever it holds: an infinite depth, so that every
    /// `max_queue_depth` holds the freezes, and no age.
    @Test func behindIsAnInfiniteDepth() {
        let lag = ListenerLag(listener: "host-1:bilean-notifications")
        let behind = ListenerReport(listener: "host-1:bilean-notifications", queueDepth: .max, oldestHeldSeconds: 0)
        #expect(lag.behind == behind)
        // Even with a known ready count and nothing held.
        lag.probed(ready: 0)
        #expect(lag.behind.queueDepth == .max)
    }

    /// No probe yet (no connection): the depth is not known to be small, so it is `Int64.max`; the age of what
    /// the listener holds is still reported.
    @Test func unknownReadyCountIsBehind() {
        let lag = ListenerLag(listener: "l")
        #expect(lag.report(excluding: nil, at: t0) == expected(depth: .max, age: 0))
        _ = lag.received(3, buffered: 2, at: t0)
        let report = lag.report(excluding: nil, at: t0.adding(seconds: 42))
        #expect(report.queueDepth == .max)
        #expect(report.oldestHeldSeconds == 42)
    }

    /// A connected, idle listener: the depth is the broker's ready count and nothing is held.
    @Test func idleListenerReportsTheReadyCount() {
        let lag = ListenerLag(listener: "l")
        lag.probed(ready: 0)
        #expect(lag.report(excluding: nil, at: t0) == expected(depth: 0, age: 0))
        lag.probed(ready: 1_234)
        #expect(lag.report(excluding: nil, at: t0) == expected(depth: 1_234, age: 0))
    }

    /// A batch of 3 received at t0 with 4 more buffered on the connection, 10 ready in the broker, reported 90 s
    /// later: 10 + 4 + 3 waiting, the oldest for 90 s.
    @Test func depthCountsReadyBufferedAndHeld() {
        let lag = ListenerLag(listener: "l")
        _ = lag.received(3, buffered: 4, at: t0)
        lag.probed(ready: 10)
        let report = lag.report(excluding: nil, at: t0.adding(seconds: 90))
        #expect(report == expected(depth: 17, age: 90))
    }

    /// Batches of 3 (t0) and 2 (t0 + 30 s) are held, 5 ready, 1 buffered. A report made for the commit of the
    /// first leaves it out (it will be billed when the report is read): 5 + 1 + 2 waiting, the oldest 70 s old at
    /// t0 + 100 s. Leaving out the second instead keeps the first and its age; leaving out an unknown id changes
    /// nothing.
    @Test func theBatchBeingCommittedIsLeftOut() {
        let lag = ListenerLag(listener: "l")
        let first = lag.received(3, buffered: 0, at: t0)
        let second = lag.received(2, buffered: 1, at: t0.adding(seconds: 30))
        #expect(first != second)
        lag.probed(ready: 5)
        let now = t0.adding(seconds: 100)
        #expect(lag.report(excluding: nil, at: now) == expected(depth: 11, age: 100))
        #expect(lag.report(excluding: first, at: now) == expected(depth: 8, age: 70))
        #expect(lag.report(excluding: second, at: now) == expected(depth: 9, age: 100))
        let unknown = max(first, second) + 1_000
        #expect(lag.report(excluding: unknown, at: now) == lag.report(excluding: nil, at: now))
        // Leaving a batch out of a report does not forget it.
        #expect(lag.report(excluding: nil, at: now).queueDepth == 11)
    }

    /// A finished batch (billed, or given back to the broker) is no longer held: the oldest is the next one, and
    /// with none left the age is 0 and the depth is the ready count plus what is buffered.
    @Test func finishedBatchesAreNoLongerHeld() {
        let lag = ListenerLag(listener: "l")
        let first = lag.received(3, buffered: 0, at: t0)
        let second = lag.received(2, buffered: 6, at: t0.adding(seconds: 30))
        lag.probed(ready: 5)
        let now = t0.adding(seconds: 100)
        lag.finished(first)
        #expect(lag.report(excluding: nil, at: now) == expected(depth: 13, age: 70))
        // Finishing it again, or an id never given, changes nothing.
        lag.finished(first)
        lag.finished(max(first, second) + 1_000)
        #expect(lag.report(excluding: nil, at: now) == expected(depth: 13, age: 70))
        lag.finished(second)
        #expect(lag.report(excluding: nil, at: now) == expected(depth: 11, age: 0))
    }

    /// The buffered count is the connection's latest: each received batch replaces it, it is not summed.
    @Test func bufferedIsTheLatestCount() {
        let lag = ListenerLag(listener: "l")
        lag.probed(ready: 0)
        let first = lag.received(1, buffered: 50, at: t0)
        let second = lag.received(1, buffered: 7, at: t0)
        #expect(lag.report(excluding: nil, at: t0).queueDepth == 1 + 1 + 7)
        lag.finished(first)
        lag.finished(second)
        // Finishing batches does not touch it either.
        #expect(lag.report(excluding: nil, at: t0).queueDepth == 7)
    }

    /// The age is whole seconds, truncated (1.999999 s is 1), and never negative when the delivery's instant is
    /// after the report's (clocks of different hosts).
    @Test func ageIsWholeSecondsAndNeverNegative() {
        let lag = ListenerLag(listener: "l")
        lag.probed(ready: 0)
        _ = lag.received(1, buffered: 0, at: t0)
        #expect(lag.report(excluding: nil, at: t0).oldestHeldSeconds == 0)
        #expect(lag.report(excluding: nil, at: t0.adding(microseconds: 999_999)).oldestHeldSeconds == 0)
        #expect(lag.report(excluding: nil, at: t0.adding(microseconds: 1_999_999)).oldestHeldSeconds == 1)
        #expect(lag.report(excluding: nil, at: t0.adding(seconds: 2)).oldestHeldSeconds == 2)
        #expect(lag.report(excluding: nil, at: t0.adding(microseconds: -500_000)).oldestHeldSeconds == 0)
        #expect(lag.report(excluding: nil, at: t0.adding(seconds: -3_600)).oldestHeldSeconds == 0)
    }

    /// The oldest held delivery decides the age, whatever the order the batches were received in.
    @Test func theOldestBatchDecidesTheAge() {
        let lag = ListenerLag(listener: "l")
        lag.probed(ready: 0)
        _ = lag.received(1, buffered: 0, at: t0.adding(seconds: 50))
        let older = lag.received(1, buffered: 0, at: t0.adding(seconds: 10))
        _ = lag.received(1, buffered: 0, at: t0.adding(seconds: 30))
        let now = t0.adding(seconds: 60)
        #expect(lag.report(excluding: nil, at: now).oldestHeldSeconds == 50)
        #expect(lag.report(excluding: older, at: now).oldestHeldSeconds == 30)
    }

    /// A lost connection (the probe answers `nil`) makes the depth unknown again: behind, until a probe answers.
    @Test func lostConnectionIsBehindAgain() {
        let lag = ListenerLag(listener: "l")
        lag.probed(ready: 3)
        #expect(lag.report(excluding: nil, at: t0).queueDepth == 3)
        lag.probed(ready: nil)
        #expect(lag.report(excluding: nil, at: t0).queueDepth == .max)
        lag.probed(ready: 4)
        #expect(lag.report(excluding: nil, at: t0).queueDepth == 4)
    }

    /// The largest ready count the broker can give, with deliveries held and buffered, does not overflow.
    @Test func largestReadyCountDoesNotOverflow() {
        let lag = ListenerLag(listener: "l")
        lag.probed(ready: .max)
        _ = lag.received(1_000, buffered: 1_000, at: t0)
        #expect(lag.report(excluding: nil, at: t0).queueDepth == Int64(UInt32.max) + 2_000)
    }

    /// A report is due before the first one; right after one it is not due for a long interval, and it is for a
    /// zero interval.
    @Test func reportIsDueUntilOneWasMade() {
        let lag = ListenerLag(listener: "l")
        #expect(lag.isReportDue(every: .seconds(3_600)))
        _ = lag.report(excluding: nil, at: t0)
        #expect(!lag.isReportDue(every: .seconds(3_600)))
        #expect(lag.isReportDue(every: .zero))
    }

    /// The probed report reads the ready count through the probe set by the consumer, then reports: the age is
    /// measured against the wall clock. Without a probe, the last probed count (here none: behind) is used.
    @Test func probedReportReadsTheReadyCountThroughTheProbe() async {
        let lag = ListenerLag(listener: "l")
        _ = lag.received(2, buffered: 1, at: BillingTime(date: Date()).adding(seconds: -120))
        let unprobed = await lag.probedReport(excluding: nil)
        #expect(unprobed.queueDepth == .max)
        #expect(unprobed.oldestHeldSeconds >= 120)

        lag.probing { 9 }
        let probed = await lag.probedReport(excluding: nil)
        #expect(probed.listener == "l")
        #expect(probed.queueDepth == 9 + 1 + 2)
        #expect(probed.oldestHeldSeconds >= 120)
        #expect(!lag.isReportDue(every: .seconds(3_600)))

        // The probe loses the connection: behind again.
        lag.probing { nil }
        #expect(await lag.probedReport(excluding: nil).queueDepth == .max)
    }

    /// A batch about to commit does not wait for the broker when the last probe started at most
    /// ``ListenerLag/probeMaximumAge`` ago: it reports that count and asks ``ListenerLag/runProbes()`` for the next,
    /// which runs beside it. With no probe yet, or an old one, it waits for a probe (as ``probedReport``).
    @Test func aBatchWaitsForTheBrokerOnlyWhenTheLastProbeIsOld() async throws {
        let lag = ListenerLag(listener: "l")
        let answer = Mutex<UInt32>(9)
        let probes = Atomic(0)
        lag.probing {
            probes.add(1, ordering: .relaxed)
            return answer.withLock { $0 }
        }
        // No probe yet: the batch waits for one.
        #expect(await lag.reportForCommit(excluding: nil).queueDepth == 9)
        #expect(probes.load(ordering: .relaxed) == 1)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await lag.runProbes() }
            // A fresh count: reported at once; the probe it asks for runs beside and brings the new count.
            answer.withLock { $0 = 20 }
            #expect(await lag.reportForCommit(excluding: nil).queueDepth == 9)
            let deadline = ContinuousClock.now + .seconds(10)
            while lag.report(excluding: nil, at: t0).queueDepth != 20 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(1))
            }
            #expect(lag.report(excluding: nil, at: t0).queueDepth == 20)
            #expect(probes.load(ordering: .relaxed) == 2)
            group.cancelAll()
        }

        // The listener started again: a new run of the probes serves the batches' requests.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await lag.runProbes() }
            answer.withLock { $0 = 25 }
            let deadline = ContinuousClock.now + .seconds(10)
            while lag.report(excluding: nil, at: t0).queueDepth != 25 && ContinuousClock.now < deadline {
                // Asked again until the new run has started and answered.
                _ = await lag.reportForCommit(excluding: nil)
                try await Task.sleep(for: .milliseconds(1))
            }
            #expect(lag.report(excluding: nil, at: t0).queueDepth == 25)
            group.cancelAll()
        }

        // An old count: the batch waits for a probe again.
        try await Task.sleep(for: ListenerLag.probeMaximumAge + .milliseconds(50))
        answer.withLock { $0 = 30 }
        let before = probes.load(ordering: .relaxed)
        #expect(await lag.reportForCommit(excluding: nil).queueDepth == 30)
        #expect(probes.load(ordering: .relaxed) == before + 1)
    }

    /// A probe's answer that arrives after the answer of a probe started later is dropped: the newer count stays.
    @Test func anOvertakenProbeAnswerIsDropped() {
        let lag = ListenerLag(listener: "l")
        let earlier = ContinuousClock.now
        lag.probed(ready: 5, startedAt: earlier + .milliseconds(10))
        lag.probed(ready: 9, startedAt: earlier)
        #expect(lag.report(excluding: nil, at: t0).queueDepth == 5)
        lag.probed(ready: 7, startedAt: earlier + .milliseconds(20))
        #expect(lag.report(excluding: nil, at: t0).queueDepth == 7)
    }
}
