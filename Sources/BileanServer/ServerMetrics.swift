import BileanNotification
package import CoreMetrics
package import Prometheus

/// The metrics of one `bilean-server` process: swift-metrics over one Prometheus registry, served as
/// `GET /metrics` by the API (or on `[DEFAULT] metrics_port`). Each process has its own registry (no global
/// bootstrap): several servers in one test process keep their figures apart.
package struct ServerMetrics: Sendable {
    /// Where the figures are kept.
    package let registry: PrometheusCollectorRegistry
    /// What the components record through.
    package let factory: any MetricsFactory

    /// A registry with Bilean's histogram buckets: durations from 1 ms to 60 s (API requests, transactions,
    /// batch commits; scheduler lateness up to an hour), and batch sizes from 1 to 2,000.
    package init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        factory.durationHistogramBuckets["bilean_scheduler_job_lateness_seconds"] = [
            .milliseconds(10), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15),
            .seconds(60), .seconds(300), .seconds(900), .seconds(3600),
        ]
        factory.valueHistogramBuckets[ListenerMetrics.batchSizeName] = ListenerMetrics.batchSizeBuckets
        self.registry = registry
        self.factory = factory
    }

    /// The Prometheus text format (0.0.4) of every figure.
    package func text() -> [UInt8] {
        self.registry.emitToBuffer()
    }
}
