import BileanCore
package import CoreMetrics
import HTTPTypes
package import Hummingbird

/// Counts the API's requests by method, route template and status, and times them by method and route:
/// `bilean_api_requests_total{method, route, status}` and `bilean_api_request_duration_seconds{method, route}`.
///
/// The route is the template the request matched (`/v1/users/{id}`), never the path: label values stay bounded.
/// It wraps ``ErrorMiddleware``, so an error counts with the status it is answered with.
package struct RequestMetricsMiddleware: RouterMiddleware {
    package typealias Context = APIRequestContext

    let requests: MetricFamily<CoreMetrics.Counter>
    let duration: MetricFamily<CoreMetrics.Timer>

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
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let status: HTTPResponse.Status
        defer {
            self.requests(method, route, String(status.code)).increment()
            self.duration(method, route).recordSince(started)
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
}
