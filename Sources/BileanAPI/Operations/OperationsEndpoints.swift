package import CoreMetrics

/// What the operator's routes serve besides the API: `GET /healthz` (liveness), `GET /readyz` (the role's
/// ``ReadinessCheck``s) and `GET /metrics` (Prometheus text), on the API's port or on `[DEFAULT] metrics_port`.
package struct OperationsEndpoints: Sendable {
    /// What `/readyz` checks, each at most ``readinessTimeout``.
    package var readiness: [ReadinessCheck]
    /// The Prometheus text of the process's metrics; `nil`: no `/metrics` route.
    package var metricsText: (@Sendable () -> [UInt8])?
    /// Where the API records its requests (nowhere by default).
    package var metricsFactory: any MetricsFactory
    /// How long one readiness check may take before it counts as failed.
    package var readinessTimeout: Duration

    /// The endpoints.
    /// - Parameters:
    ///   - readiness: What `/readyz` checks (none: always ready).
    ///   - metricsText: The Prometheus text of the process's metrics, or `nil` for no `/metrics` route.
    ///   - metricsFactory: Where the API records its requests.
    ///   - readinessTimeout: How long one check may take.
    package init(
        readiness: [ReadinessCheck] = [],
        metricsText: (@Sendable () -> [UInt8])? = nil,
        metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance,
        readinessTimeout: Duration = .seconds(3)
    ) {
        self.readiness = readiness
        self.metricsText = metricsText
        self.metricsFactory = metricsFactory
        self.readinessTimeout = readinessTimeout
    }
}
