import BileanCore
import CoreMetrics

/// The engine's metrics, by operation (the fixed names its transactions are given, e.g. `ingest notifications`).
struct EngineMetrics: Sendable {
    /// `bilean_engine_operation_duration_seconds{operation}`: how long each operation's transaction took,
    /// failures included.
    let duration: MetricFamily<CoreMetrics.Timer>
    /// `bilean_database_errors_total{operation}`: transactions that failed for a reason other than the request
    /// (the database refused, failed or could not be reached).
    let databaseErrors: MetricFamily<CoreMetrics.Counter>

    init(factory: any MetricsFactory) {
        self.duration = .timer("bilean_engine_operation_duration_seconds", labels: ["operation"], factory)
        self.databaseErrors = .counter("bilean_database_errors_total", labels: ["operation"], factory)
    }
}
