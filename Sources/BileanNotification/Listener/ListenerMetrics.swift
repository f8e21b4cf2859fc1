package import BileanCore
package import CoreMetrics

/// The notification listener's metrics.
///
/// - `bilean_notifications_total{outcome, definition}`: messages `received` (redeliveries included), and once their
///   batch commits `billed`, `duplicate` (the id was processed before), `ignored` (by design) or `rejected` (set
///   aside). `definition` is the first definition the event type matched, named by its `event_type` globs as
///   written (a bounded set: the definitions file's entries), or `other` (none matched, or the body could not be
///   read); never the raw event type.
/// - `bilean_listener_batch_size` (histogram): deliveries per batch.
/// - `bilean_listener_commit_duration_seconds` (histogram): one batch's transaction, retries included.
/// - `bilean_listener_oldest_held_seconds` and `bilean_listener_queue_depth` (gauges): the age of the oldest
///   delivery held unbilled, and the messages waiting (the broker's ready count from a passive declare, plus those
///   buffered and held here), refreshed every few seconds and with each report; the depth is -1 while unknown (no
///   connection).
/// - `bilean_amqp_reconnects_total{connection="listener"}`: connections to the broker after the first.
package struct ListenerMetrics: Sendable {
    /// The `definition` label of a message that matched no definition (or could not be read).
    package static let other = "other"

    let notifications: MetricFamily<CoreMetrics.Counter>
    let batchSize: CoreMetrics.Recorder
    let commitDuration: CoreMetrics.Timer
    let oldestHeld: CoreMetrics.Meter
    let queueDepth: CoreMetrics.Meter
    let reconnects: CoreMetrics.Counter

    /// The metrics.
    /// - Parameter factory: Where they go.
    package init(factory: any MetricsFactory) {
        self.notifications = .counter("bilean_notifications_total", labels: ["outcome", "definition"], factory)
        self.batchSize = CoreMetrics.Recorder(label: Self.batchSizeName, factory: factory)
        self.commitDuration = CoreMetrics.Timer(label: "bilean_listener_commit_duration_seconds", factory: factory)
        self.oldestHeld = CoreMetrics.Meter(label: "bilean_listener_oldest_held_seconds", factory: factory)
        self.queueDepth = CoreMetrics.Meter(label: "bilean_listener_queue_depth", factory: factory)
        self.reconnects = CoreMetrics.Counter(
            label: "bilean_amqp_reconnects_total",
            dimensions: [("connection", "listener")],
            factory: factory
        )
    }

    /// The batch size histogram's name (its buckets are set where the factory is made).
    package static let batchSizeName = "bilean_listener_batch_size"
    /// The batch size histogram's buckets.
    package static let batchSizeBuckets: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]

    /// Counts messages of one outcome and definition.
    func count(_ outcome: String, _ definition: String, by amount: Int = 1) {
        guard amount > 0 else { return }
        self.notifications(outcome, definition).increment(by: Int64(amount))
    }

    /// Sets the lag gauges from a report.
    func record(_ report: ListenerReport) {
        self.oldestHeld.set(report.oldestHeldSeconds)
        self.queueDepth.set(report.queueDepth == Int64.max ? -1 : report.queueDepth)
    }
}
