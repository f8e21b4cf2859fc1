import BileanCore
package import CoreMetrics
import HTTPTypes
package import Hummingbird
import Synchronization

/// Counts the API's requests by method, route template and status, and times them by method and route:
/// `bilean_api_requests_total{method, route, status}` and `bilean_api_request_duration_seconds{method, route}`.
///
/// The route is the template the request matched (`/v1/users/{id}`), never the path: label values stay bounded.
/// It wraps ``ErrorMiddleware``, so an error counts with the status it is answered with.
package struct RequestMetricsMiddleware: RouterMiddleware {
    package typealias Context = APIRequestContext

    let requests: MetricFamily<CoreMetrics.Counter>
    let duration: MetricFamily<CoreMetrics.Timer>
    /// The counter and timer of each (method, route, status): one lookup per request, with no label text to make.
    private let cache = Cache()

    /// What identifies a request's metrics.
    struct Key: Hashable {
        var method: HTTPRequest.Method
        var route: String
        var status: Int
    }

    final class Cache: Sendable {
        let metrics = Mutex<[Key: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])
    }

    /// Creates the middleware.
    /// - Parameter factory: Where the metrics go.
    package init(factory: any MetricsFactory) {
        self.requests = .counter("bilean_api_requests_total", labels: ["method", "route", "status"], factory)
        self.duration = .timer("bilean_api_request_duration_seconds", labels: ["method", "route"], factory)
    }

    package func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let status: HTTPResponse.Status
        defer {
            let (counter, timer) = self.metrics(
                Key(method: request.method, route: context.endpointPath ?? "unmatched", status: status.code)
            )
            counter.increment()
            timer.recordSince(started)
        }
        do {
            let response = try await next(request, context)
            status = response.status
            return response
        } catch let error as any HTTPResponseError {
            status = error.status
            throw error
        } catch {
            status = .internalServerError
            throw error
        }
    }

    /// The counter and the timer of a request, made once per key (bounded: methods × route templates × statuses).
    func metrics(_ key: Key) -> (CoreMetrics.Counter, CoreMetrics.Timer) {
        if let found = self.cache.metrics.withLock({ $0[key] }) { return found }
        let made = (
            self.requests(key.method.rawValue, key.route, String(key.status)),
            self.duration(key.method.rawValue, key.route)
        )
        self.cache.metrics.withLock { $0[key] = made }
        return made
    }
}
