import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Synchronization
import Testing

@testable import BileanAPI

/// `GET /healthz`, `GET /readyz` and `GET /metrics`: public, no tenant data, readiness from the role's checks (a
/// failing or silent one makes a 503 naming it), and the requests counted by route template.
@Suite("Health, readiness and metrics")
struct OperationsTests {
    /// Runs `body` against the whole API with `operations`, over an engine on a fresh SQLite database.
    static func withAPI(
        _ operations: OperationsEndpoints,
        configuration: APIConfiguration = APIConfiguration(),
        _ body: @Sendable (APIClient) async throws -> Void
    ) async throws {
        try await TestDatabase.sqlite.withStore { store in
            let engine = Engine(store: store, logger: TestDatabase.logger)
            let router = try APIRouter.make(
                engine: engine,
                configuration: configuration,
                tokenValidator: FakeTokenValidator.standard,
                operations: operations
            )
            try await Application(router: router, logger: TestDatabase.logger).test(.router) { client in
                try await body(APIClient(client: client))
            }
        }
    }

    @Test func healthIsOKWithoutAToken() async throws {
        try await Self.withAPI(OperationsEndpoints(), configuration: KeystoneAuthMiddlewareTests.configuration) {
            api in
            let response = try await api.get("/healthz")
            let body = try expectSuccess(response)
            #expect(body == .object(["status": .string("ok")]))
            // The API itself still needs a token.
            #expect(try await api.get("/v1/users").status == .unauthorized)
            #expect(try await api.post("/healthz", "{}").status == .methodNotAllowed)
        }
    }

    @Test func readyWhenEveryCheckPasses() async throws {
        let operations = OperationsEndpoints(readiness: [
            ReadinessCheck("database") {}, ReadinessCheck("broker") {},
        ])
        try await Self.withAPI(operations, configuration: KeystoneAuthMiddlewareTests.configuration) { api in
            let body = try expectSuccess(try await api.get("/readyz"))
            #expect(
                body
                    == .object([
                        "status": .string("ready"),
                        "checks": .object([
                            "database": .object(["status": .string("ok")]),
                            "broker": .object(["status": .string("ok")]),
                        ]),
                    ])
            )
        }
    }

    @Test func aFailingOrSilentCheckIs503WithItsReason() async throws {
        let operations = OperationsEndpoints(
            readiness: [
                ReadinessCheck("database") { throw NotReady("connection refused") },
                ReadinessCheck("migrations") {
                    throw BileanError(.unavailable, "the database schema is at version 3, this release needs 6")
                },
                ReadinessCheck("broker") { try await Task.sleep(for: .seconds(60)) },
                ReadinessCheck("engine") {},
            ],
            readinessTimeout: .milliseconds(200)
        )
        try await Self.withAPI(operations) { api in
            let started = ContinuousClock.now
            let response = try await api.get("/readyz")
            // The silent check sleeps 60 s; the answer comes after the 200 ms bound (30 s of slack for a loaded CI).
            #expect(ContinuousClock.now - started < .seconds(30), "a silent check must not hold /readyz")
            #expect(response.status == .serviceUnavailable)
            let body = try response.json()
            #expect(body.text("status") == "not ready")
            let checks = try #require(body["checks"])
            #expect(checks["database"]?.text("status") == "failed")
            #expect(checks["database"]?.text("reason") == "connection refused")
            #expect(checks["migrations"]?.text("reason")?.contains("version 3") == true)
            #expect(checks["broker"]?.text("reason")?.hasPrefix("no answer within") == true)
            #expect(checks["engine"] == .object(["status": .string("ok")]))
        }
    }

    @Test func metricsCountRequestsByRouteTemplateNeverByID() async throws {
        let registry = PrometheusCollectorRegistry()
        let operations = OperationsEndpoints(
            metricsText: { registry.emitToBuffer() },
            metricsFactory: PrometheusMetricsFactory(registry: registry)
        )
        try await Self.withAPI(operations) { api in
            for id in ["p-one", "p-two", "p-three"] {
                #expect(try await api.get("/v1/users/\(id)").status == .notFound)
            }
            #expect(try await api.get("/v1/users").status == .ok)
            let response = try await api.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == OperationsController.metricsContentType)
            let text = response.text
            let lines = Set(text.split(separator: "\n").map(String.init))
            #expect(lines.contains(#"bilean_api_requests_total{method="GET",route="/v1/users/{id}",status="404"} 3"#))
            #expect(lines.contains(#"bilean_api_requests_total{method="GET",route="/v1/users",status="200"} 1"#))
            #expect(
                lines.contains(#"bilean_api_request_duration_seconds_count{method="GET",route="/v1/users/{id}"} 3"#)
            )
            #expect(!text.contains("p-one") && !text.contains("p-two"), "ids must never be label values")
        }
    }

    @Test func withoutMetricsThereIsNoMetricsRoute() async throws {
        try await Self.withAPI(OperationsEndpoints()) { api in
            let response = try await api.get("/metrics")
            #expect(response.status == .notFound)
        }
    }

    @Test func aRoleWithoutTheAPIServesOnlyTheOperationsRoutes() async throws {
        let operations = OperationsEndpoints(
            readiness: [ReadinessCheck("engine") { throw NotReady("no engine answers") }],
            metricsText: { Array("# nothing yet\n".utf8) }
        )
        let router = APIRouter.makeOperations(operations)
        try await Application(router: router, logger: TestDatabase.logger).test(.router) { client in
            let api = APIClient(client: client)
            let health = try await api.get("/healthz")
            let readiness = try await api.get("/readyz")
            let metrics = try await api.get("/metrics")
            let users = try await api.get("/v1/users")
            #expect(health.status == .ok)
            #expect(readiness.status == .serviceUnavailable)
            #expect(metrics.text == "# nothing yet\n")
            #expect(users.status == .notFound)
        }
    }
}
