package import BileanCore
package import CoreMetrics

/// The scheduler's metrics.
///
/// - `bilean_scheduler_jobs_due` (gauge): jobs whose time had come at the last pass (held, due, not postponed).
/// - `bilean_scheduler_jobs_total{kind, outcome}`: jobs run, by kind (`notify`, `freeze`, …) and outcome (`fired`,
///   `stale`, `held`, `owned_elsewhere`, `failed`).
/// - `bilean_scheduler_job_lateness_seconds{kind}` (histogram): how long after its run time a job fired.
/// - `bilean_freeze_actions_total{action, outcome}`: freeze actions attempted (`done`, `failed`).
/// - `bilean_freeze_actions_pending`, `bilean_notify_outbox_depth` and `bilean_users{status}` (gauges): refreshed
///   by ``OperationalGauges`` every ``OperationalGauges/interval``.
package struct SchedulerMetrics: Sendable {
    let jobsDue: CoreMetrics.Meter
    let jobs: MetricFamily<CoreMetrics.Counter>
    let lateness: MetricFamily<CoreMetrics.Timer>
    let freezeActions: MetricFamily<CoreMetrics.Counter>
    let freezeActionsPending: CoreMetrics.Meter
    let outboxDepth: CoreMetrics.Meter
    let users: MetricFamily<CoreMetrics.Meter>
    /// Where the metrics go (for the scheduler's other services: the reconciliation).
    package let factory: any MetricsFactory

    /// The metrics.
    /// - Parameter factory: Where they go (nowhere by default).
    package init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.jobsDue = CoreMetrics.Meter(label: "bilean_scheduler_jobs_due", factory: factory)
        self.jobs = .counter("bilean_scheduler_jobs_total", labels: ["kind", "outcome"], factory)
        self.lateness = .timer("bilean_scheduler_job_lateness_seconds", labels: ["kind"], factory)
        self.freezeActions = .counter("bilean_freeze_actions_total", labels: ["action", "outcome"], factory)
        self.freezeActionsPending = CoreMetrics.Meter(label: "bilean_freeze_actions_pending", factory: factory)
        self.outboxDepth = CoreMetrics.Meter(label: "bilean_notify_outbox_depth", factory: factory)
        self.users = .meter("bilean_users", labels: ["status"], factory)
        self.factory = factory
    }

    /// Sets the gauges of ``OperationalCounts``.
    func record(_ counts: OperationalCounts) {
        for (status, count) in counts.usersByStatus { self.users(status.rawValue).set(count) }
        self.outboxDepth.set(counts.pendingNotices)
        self.freezeActionsPending.set(counts.pendingCloudActions)
    }
}
