package import CoreMetrics
import Synchronization

/// A metric with labels (a Prometheus family): one counter, timer, meter or recorder per combination of label
/// values, made once through the factory and kept, so that recording costs a lookup, not a new handler.
///
/// Label values must come from a bounded set (route templates, definition names, job kinds, outcomes): never ids,
/// never money.
///
/// ```swift
/// let requests = MetricFamily.counter("bilean_api_requests_total", labels: ["method", "route", "status"], factory)
/// requests("GET", "/v1/users/{id}", "200").increment()
/// ```
package final class MetricFamily<Metric: Sendable>: Sendable {
    /// The label names, in order.
    package let labels: [String]
    private let make: @Sendable ([(String, String)]) -> Metric
    private let metrics = Mutex<[[String]: Metric]>([:])

    /// A family from a maker of one metric per set of dimensions.
    /// - Parameters:
    ///   - labels: The label names.
    ///   - make: Makes the metric of one set of dimensions.
    package init(labels: [String], make: @escaping @Sendable ([(String, String)]) -> Metric) {
        self.labels = labels
        self.make = make
    }

    /// The metric of these label values (as many as ``labels``, in the same order).
    package func callAsFunction(_ values: String...) -> Metric {
        self.metric(values)
    }

    /// The metric of these label values (as many as ``labels``, in the same order).
    package func metric(_ values: [String]) -> Metric {
        if let metric = self.metrics.withLock({ $0[values] }) { return metric }
        let metric = self.make(Array(zip(self.labels, values)))
        return self.metrics.withLock { metrics in
            if let existing = metrics[values] { return existing }
            metrics[values] = metric
            return metric
        }
    }
}

extension MetricFamily where Metric == CoreMetrics.Counter {
    /// A family of counters.
    package static func counter(
        _ name: String,
        labels: [String],
        _ factory: any MetricsFactory
    ) -> MetricFamily<CoreMetrics.Counter> {
        MetricFamily(labels: labels) { CoreMetrics.Counter(label: name, dimensions: $0, factory: factory) }
    }
}

extension MetricFamily where Metric == CoreMetrics.Timer {
    /// A family of timers (Prometheus histograms in seconds).
    package static func timer(
        _ name: String,
        labels: [String],
        _ factory: any MetricsFactory
    ) -> MetricFamily<CoreMetrics.Timer> {
        MetricFamily(labels: labels) { CoreMetrics.Timer(label: name, dimensions: $0, factory: factory) }
    }
}

extension MetricFamily where Metric == CoreMetrics.Meter {
    /// A family of meters (Prometheus gauges).
    package static func meter(
        _ name: String,
        labels: [String],
        _ factory: any MetricsFactory
    ) -> MetricFamily<CoreMetrics.Meter> {
        MetricFamily(labels: labels) { CoreMetrics.Meter(label: name, dimensions: $0, factory: factory) }
    }
}

extension CoreMetrics.Timer {
    /// Records the time since `start`.
    package func recordSince(_ start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        self.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
