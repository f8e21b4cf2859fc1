import BileanCore
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// A failure that is not a Bilean error and carries what must never reach a client.
struct Boom: Error, CustomStringConvertible {
    var description: String {
        "SELECT password FROM users WHERE id = 'admin' -- at postgres://bilean:hunter2@db.internal:5432/bilean"
    }
}

/// An engine whose every operation fails with `error`.
struct FailingEngine: BillingEngine {
    let error: any Error

    func listUsers(_ query: ListQuery) async throws -> [User] { throw self.error }
    func user(_ id: String) async throws -> User { throw self.error }
    func createUser(id: String, name: String?, messageID: String?) async throws -> User { throw self.error }
    func deleteUser(id: String, messageID: String?) async throws { throw self.error }
    func recharge(
        userID: String,
        value: Money,
        kind: Recharge.Kind,
        metadata: JSONValue,
        id: String?
    )
        async throws -> User
    {
        throw self.error
    }
    func setCredit(userID: String, value: Money) async throws -> User { throw self.error }
    func listRecharges(_ query: ListQuery) async throws -> [Recharge] { throw self.error }
    func projection(userID: String, at: BillingTime) async throws -> UserProjection { throw self.error }
    func attachPolicy(userID: String, policyID: String) async throws -> User { throw self.error }
    func settle(userID: String, at instant: BillingTime) async throws -> User { throw self.error }
    func createRule(name: String, spec: JSONValue, metadata: JSONValue, id: String?) async throws -> Rule {
        throw self.error
    }
    func rule(_ id: String) async throws -> Rule { throw self.error }
    func listRules(_ query: ListQuery) async throws -> [Rule] { throw self.error }
    func updateRule(_ id: String, _ update: RuleUpdate) async throws -> Rule { throw self.error }
    func deleteRule(_ id: String) async throws { throw self.error }
    func createPolicy(name: String, ruleIDs: [String], metadata: JSONValue, id: String?) async throws -> Policy {
        throw self.error
    }
    func policy(_ id: String) async throws -> Policy { throw self.error }
    func listPolicies(_ query: ListQuery) async throws -> [Policy] { throw self.error }
    func updatePolicy(_ id: String, _ update: PolicyUpdate) async throws -> Policy { throw self.error }
    func deletePolicy(_ id: String) async throws { throw self.error }
    func addRules(policyID: String, ruleIDs: [String]) async throws -> Policy { throw self.error }
    func removeRules(policyID: String, ruleIDs: [String]) async throws -> Policy { throw self.error }
    func apply(_ events: [ResourceEvent]) async throws -> [ApplyOutcome] { throw self.error }
    func ingest(_ batch: NotificationBatch) async throws -> IngestReport { throw self.error }
    func listRejectedNotifications(_ query: ListQuery) async throws -> [RejectedNotification] { throw self.error }
    func rejectedNotification(_ id: String) async throws -> RejectedNotification { throw self.error }
    func resource(_ id: String) async throws -> Resource { throw self.error }
    func listResources(_ query: ListQuery) async throws -> [Resource] { throw self.error }
    func validateCreation(userID: String, resources: [ResourceSpec], count: Int) async throws -> Bool {
        throw self.error
    }
    func claimJobs(
        owner: String,
        dueBy horizon: BillingTime,
        leaseUntil: BillingTime,
        limit: Int
    ) async throws
        -> [Job]
    { throw self.error }
    func runJobs(_ jobs: [Job], owner: String) async throws -> [JobOutcome] { throw self.error }
    func releaseJobs(owner: String) async throws { throw self.error }
    func pendingNotices(limit: Int) async throws -> [BillingNotice] { throw self.error }
    func deleteNotices(_ ids: [String]) async throws { throw self.error }
    func releaseNotices(_ ids: [String]) async throws { throw self.error }
    func claimCloudActions(limit: Int) async throws -> [CloudAction] { throw self.error }
    func reportListener(_ report: ListenerReport) async throws { throw self.error }
    func probe() async throws { throw self.error }
    func finishCloudAction(_ action: CloudAction, outcome: CloudActionOutcome) async throws { throw self.error }
    func operationalCounts() async throws -> OperationalCounts { throw self.error }
    func listEvents(_ query: ListQuery) async throws -> [Event] { throw self.error }
    func listConsumptions(_ query: ListQuery) async throws -> [Consumption] { throw self.error }
    func statistics(_ query: ListQuery, summary: Bool) async throws -> [ConsumptionStatistics] { throw self.error }
    func dailyStatistics(_ query: ListQuery, summary: Bool) async throws -> [ConsumptionStatistics] {
        throw self.error
    }
    func previewRerating(_ request: ReratingRequest) async throws -> ReratingPreview { throw self.error }
    func applyRerating(previewID: String, reason: String) async throws -> Rerating { throw self.error }
    func listReconciliations(limit: Int) async throws -> [ReconciliationRun] { throw self.error }
    func reconciliationResources(type: String, after: String?, limit: Int) async throws -> [BilledResource] {
        throw self.error
    }
    func markSeen(resourceIDs: [String], at time: BillingTime) async throws { throw self.error }
    func recordReconciliation(_ run: ReconciliationRun) async throws -> ReconciliationRun { throw self.error }
    func claimReconciliation(owner: String, every: Int64, leaseSeconds: Int64) async throws -> Bool {
        throw self.error
    }
}

/// Internal failures: a 500 in the OpenStack format that tells the client nothing of the cause.
@Suite("Internal errors")
struct ErrorMiddlewareTests {
    /// What the engine throws.
    enum Failure: String, Sendable, CaseIterable {
        /// A non-Bilean error, e.g. from a database driver.
        case foreign
        /// The engine's own internal error wrapping it.
        case engineInternal

        var error: any Error {
            switch self {
            case .foreign: return Boom()
            case .engineInternal:
                return BileanError(.internalError, "Internal error while running recharge", underlying: Boom())
            }
        }
    }

    static let requests: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/v1/users", nil),
        (.get, "/users/proj-a", nil),
        (.post, "/v1/users/proj-a/action", #"{"recharge": {"value": 1}}"#),
        (.post, "/v1/rules", APITestHarness.novaRuleBody),
        (.delete, "/v1/rules/r", nil),
        (.get, "/v1/policies/p", nil),
        (.get, "/v1/resources?user_id=proj-a", nil),
        (.get, "/v1/events", nil),
        (.get, "/v1/consumptions/statistics?summary=true", nil),
    ]

    @Test(arguments: Failure.allCases)
    func aFailureIsAGeneric500(_ failure: Failure) async throws {
        try await APITestHarness.withAPI(engine: FailingEngine(error: failure.error)) { api in
            for (method, path, body) in Self.requests {
                let response = try await api.send(method, path, body: body)
                let rendered = expectOpenStackError(response, .internalServerError, type: "InternalError")
                #expect(rendered.message == OpenStackErrorBody.internalErrorMessage, "\(method) \(path)")
                for secret in ["SELECT", "password", "hunter2", "postgres", "db.internal", "Boom", "recharge"] {
                    #expect(!response.text.contains(secret), "\(method) \(path) leaks '\(secret)': \(response.text)")
                }
            }
        }
    }

    @Test func badInputIsStillA400BeforeTheEngineIsAsked() async throws {
        try await APITestHarness.withAPI(engine: FailingEngine(error: Boom())) { api in
            expectOpenStackError(
                try await api.post("/v1/users/proj-a/action", #"{"recharge": {"value": -1}}"#),
                .badRequest,
                type: "InvalidInput"
            )
            expectOpenStackError(try await api.get("/v1/users?sort_keys=password"), .badRequest)
        }
    }
}
