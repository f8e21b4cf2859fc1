import BileanCore
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// `GET /healthz`, `GET /readyz` and `GET /metrics`: public (no token), and none of them reveals tenant data.
///
/// - `/healthz` is liveness: `200 {"status": "ok"}` while the process serves HTTP, without any I/O.
/// - `/readyz` runs the role's ``ReadinessCheck``s at once, each bounded by a timeout: `200` when every one
///   passes, else `503`; the body names each check with `ok` or `failed` and the reason:
///   `{"status": "not ready", "checks": {"database": {"status": "failed", "reason": "…"}}}`.
/// - `/metrics` is the Prometheus text format (version 0.0.4) of the process's metrics.
struct OperationsController: Sendable {
    let endpoints: OperationsEndpoints

    /// The Prometheus text format's content type.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    func addRoutes(to routes: RouteTable) {
        routes.addExact("/healthz", [.get: self.health])
        routes.addExact("/readyz", [.get: self.readiness])
        if self.endpoints.metricsText != nil {
            routes.addExact("/metrics", [.get: self.metrics])
        }
    }

    @Sendable func health(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        JSONResponse.make(.ok, .object(["status": .string("ok")]))
    }

    @Sendable func readiness(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let results = await Self.run(self.endpoints.readiness, timeout: self.endpoints.readinessTimeout)
        var checks: [String: JSONValue] = [:]
        for (name, failure) in results {
            if let failure {
                context.logger.warning("not ready", metadata: ["check": "\(name)", "reason": "\(failure)"])
                checks[name] = .object(["status": .string("failed"), "reason": .string(failure)])
            } else {
                checks[name] = .object(["status": .string("ok")])
            }
        }
        let ready = results.allSatisfy { $0.failure == nil }
        return JSONResponse.make(
            ready ? .ok : .serviceUnavailable,
            .object(["status": .string(ready ? "ready" : "not ready"), "checks": .object(checks)])
        )
    }

    @Sendable func metrics(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let text = self.endpoints.metricsText?() ?? []
        return Response(
            status: .ok,
            headers: [.contentType: Self.metricsContentType],
            body: .init(byteBuffer: ByteBuffer(bytes: text))
        )
    }

    /// Runs every check at once, each bounded by `timeout`.
    /// - Returns: Each check's name, with why it failed or `nil`, in the checks' order.
    static func run(_ checks: [ReadinessCheck], timeout: Duration) async -> [(name: String, failure: String?)] {
        await withTaskGroup(of: (Int, String?).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await Self.failure(of: check, timeout: timeout)) }
            }
            var failures = [String?](repeating: nil, count: checks.count)
            for await (index, failure) in group { failures[index] = failure }
            return zip(checks, failures).map { ($0.name, $1) }
        }
    }

    /// Why one check failed (or did not answer within `timeout`), or `nil` when it passed. A check that does not
    /// answer in time is cancelled and left behind: `/readyz` never waits longer than `timeout`.
    static func failure(of check: ReadinessCheck, timeout: Duration) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let answer = FirstAnswer(continuation)
            let work = Task {
                do {
                    try await check.check()
                    answer.resume(nil)
                } catch let error as BileanError {
                    answer.resume(error.underlying.map { "\(error.message): \($0)" } ?? error.message)
                } catch {
                    answer.resume("\(error)")
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                if answer.resume("no answer within \(timeout)") { work.cancel() }
            }
        }
    }
}

/// Resumes a continuation with the first answer only.
private final class FirstAnswer: Sendable {
    private let continuation: Mutex<CheckedContinuation<String?, Never>?>

    init(_ continuation: CheckedContinuation<String?, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// Resumes with `value` unless an answer came first.
    /// - Returns: Whether this was the first answer.
    @discardableResult
    func resume(_ value: String?) -> Bool {
        guard let continuation = self.continuation.withLock({ $0.take() }) else { return false }
        continuation.resume(returning: value)
        return true
    }
}
