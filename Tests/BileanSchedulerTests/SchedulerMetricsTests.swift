import BileanCore
import BileanEngine
import BileanScheduler
import BileanTestSupport
import Prometheus
import Testing

/// The scheduler's metrics, read as Prometheus text: jobs due, fired by kind with their lateness, and the gauges
/// of users by status, the outbox and the pending freeze actions.
@Suite("Scheduler metrics")
struct SchedulerMetricsTests {
    typealias H = SchedulerHarness

    static func samples(_ registry: PrometheusCollectorRegistry) -> [String: String] {
        var samples: [String: String] = [:]
        for line in registry.emitToString().split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return samples
    }

    @Test(arguments: TestDatabase.available)
    func jobsAreCountedByKindAndTheGaugesFollowTheDatabase(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            let registry = PrometheusCollectorRegistry()
            let metrics = SchedulerMetrics(factory: PrometheusMetricsFactory(registry: registry))
            var loop = SchedulerConfiguration(owner: "metered")
            loop.lookAheadSeconds = 60
            loop.leaseSeconds = 30
            let scheduler = JobScheduler(
                engine: h.engine,
                configuration: loop,
                now: h.clock.source,
                logger: TestDatabase.logger,
                metrics: metrics
            )
            let gauges = OperationalGauges(engine: h.engine, metrics: metrics, logger: TestDatabase.logger)
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.recharge("p2", "10")
            try await h.event(.create, "vm", at: 0)
            await gauges.refresh()
            var samples = Self.samples(registry)
            // Gauges are floats in the text format. p2 is funded with nothing billed: FREE.
            #expect(samples["bilean_users{status=\"ACTIVE\"}"] == "1.0", "\(samples)")
            #expect(samples["bilean_users{status=\"FREE\"}"] == "1.0")
            #expect(samples["bilean_users{status=\"FREEZE\"}"] == "0.0")
            #expect(samples["bilean_notify_outbox_depth"] == "0.0")
            #expect(samples["bilean_freeze_actions_pending"] == "0.0")
            // The warning (due at 5 s) fires 1.5 s late; then the freeze at 10 s, on time.
            #expect(try await h.pass(at: 6.5, scheduler).fired == 1)
            samples = Self.samples(registry)
            #expect(samples["bilean_scheduler_jobs_due"] == "1.0")
            #expect(samples["bilean_scheduler_jobs_total{kind=\"notify\",outcome=\"fired\"}"] == "1")
            #expect(samples["bilean_scheduler_job_lateness_seconds_count{kind=\"notify\"}"] == "1")
            #expect(samples["bilean_scheduler_job_lateness_seconds_sum{kind=\"notify\"}"] == "1.5")
            #expect(samples["bilean_scheduler_job_lateness_seconds_bucket{kind=\"notify\",le=\"1.0\"}"] == "0")
            #expect(samples["bilean_scheduler_job_lateness_seconds_bucket{kind=\"notify\",le=\"5.0\"}"] == "1")
            #expect(try await h.pass(at: 10, scheduler).fired == 1)
            samples = Self.samples(registry)
            #expect(samples["bilean_scheduler_jobs_total{kind=\"freeze\",outcome=\"fired\"}"] == "1")
            #expect(samples["bilean_scheduler_job_lateness_seconds_sum{kind=\"freeze\"}"] == "0.0")
            await gauges.refresh()
            samples = Self.samples(registry)
            #expect(samples["bilean_users{status=\"ACTIVE\"}"] == "0.0")
            #expect(samples["bilean_users{status=\"FREEZE\"}"] == "1.0")
            // The warning and the freeze wait in the outbox until published.
            #expect(samples["bilean_notify_outbox_depth"] == "2.0")
            try await h.dispatch()
            await gauges.refresh()
            #expect(Self.samples(registry)["bilean_notify_outbox_depth"] == "0.0")
        }
    }
}
