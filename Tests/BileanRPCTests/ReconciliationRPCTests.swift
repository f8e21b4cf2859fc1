import AMQP
import BileanCore
import BileanEngine
import BileanRPC
import BileanTestSupport
import Foundation
import Testing

@testable import BileanMessaging

/// Inventory reconciliation over the engine RPC (`jobs`: `reconciliation_resources`, `mark_seen`,
/// `record_reconciliation`, `claim_reconciliation`; `accounts`: `list_reconciliations`): the values cross exactly,
/// the served methods answer what the engine does (a run recorded once, a redelivered one included; a pass claimed
/// once), errors keep their kind and field, and a consumption keeps its estimated flag (an older engine's, without
/// it, still reads).
@Suite("Reconciliation over RPC")
struct ReconciliationRPCTests {
    static let t = RPCValueTests.t

    static let evidence = JSONValue.object([
        "cloud": .object([
            "project_id": .string("p1"), "properties": .object(["flavor": .string("m1.small")]),
            "created_at": .string("2026-01-01T00:00:00.123457Z"), "deleted": .bool(false),
        ]),
        "billed": .null,
        "size": .number("10.000000000000000000001"),
    ])

    static let findings: [ReconciliationFinding] = [
        ReconciliationFinding(
            resourceID: "vm-1",
            resourceType: "os.nova.server",
            userID: "p1",
            kind: .missing,
            action: .repaired,
            effectiveAt: t,
            evidence: evidence
        ),
        ReconciliationFinding(
            resourceID: "vol-«1»",
            resourceType: "os.cinder.volume",
            userID: "p2",
            kind: .vanished,
            action: .deferred,
            effectiveAt: t.adding(microseconds: -1),
            estimated: true,
            evidence: .object([:])
        ),
        ReconciliationFinding(
            resourceID: "vm-2",
            resourceType: "os.nova.server",
            userID: "p1",
            kind: .propertyDrift,
            effectiveAt: nil,
            evidence: .null
        ),
    ]

    static let run = ReconciliationRun(
        id: "run-1",
        startedAt: t,
        finishedAt: t.adding(microseconds: 1_234_567),
        repair: true,
        listed: ["os.nova.server": 2, "os.cinder.volume": 0, "os.neutron.floatingip": Int(Int32.max) + 1],
        failed: ["os.glance.image": "GET /v2/images: 503 on page 3 ✗"],
        findings: findings
    )

    @Test func valuesCrossExactly() throws {
        try RPCValueTests.roundTrip(Self.run)
        for finding in Self.findings { try RPCValueTests.roundTrip(finding) }
        try RPCValueTests.roundTrip(
            ReconciliationRun(
                id: "r",
                startedAt: Self.t,
                finishedAt: Self.t,
                repair: false,
                listed: [:],
                failed: [:],
                findings: []
            )
        )
        try RPCValueTests.roundTrip(
            BilledResource(
                resourceID: "vm-1",
                userID: "p1",
                resourceType: "os.nova.server",
                properties: ["flavor": .string("m1.small"), "size": .number("1.000000000000000000000000000001")],
                startedAt: Self.t,
                seenAt: Self.t.adding(seconds: 60),
                lastEventAt: Self.t.adding(microseconds: 1)
            )
        )
        try RPCValueTests.roundTrip(
            BilledResource(
                resourceID: "fip",
                userID: "p2",
                resourceType: "os.neutron.floatingip",
                properties: [:],
                startedAt: nil,
                seenAt: nil,
                lastEventAt: nil
            )
        )
    }

    /// The JSON forms the engine and its peers agree on.
    @Test func theFormsAreExact() throws {
        let finding = Self.findings[1].rpcValue
        #expect(finding["kind"] == .string("vanished") && finding["action"] == .string("deferred"))
        #expect(finding["effective_at"] == .number("\(Self.t.microseconds - 1)"))
        #expect(finding["estimated"] == .bool(true))
        #expect(Self.findings[2].rpcValue["kind"] == .string("property_drift"))
        #expect(Self.findings[2].rpcValue["effective_at"] == .null)
        let run = Self.run.rpcValue
        #expect(run["started_at"] == .number("\(Self.t.microseconds)"))
        #expect(run["listed"]?["os.nova.server"] == .number("2"))
        #expect(run["failed"]?["os.glance.image"] == .string("GET /v2/images: 503 on page 3 ✗"))
        #expect(run["repair"] == .bool(true))
        #expect(
            run.objectValue?.keys.sorted() == [
                "failed", "findings", "finished_at", "id", "listed", "repair", "started_at",
            ]
        )
    }

    @Test func aConsumptionKeepsItsEstimatedFlag() throws {
        var consumption = Consumption(
            id: "c",
            userID: "p",
            resourceID: "vm",
            resourceType: "os.nova.server",
            startTime: Self.t,
            endTime: Self.t.adding(seconds: 3600),
            rate: Rate(unitsPerHour: 36),
            cost: try Money(parsing: "1.5"),
            cause: .deletion,
            createdAt: Self.t,
            estimated: true
        )
        try RPCValueTests.roundTrip(consumption)
        consumption.estimated = false
        try RPCValueTests.roundTrip(consumption)
        // An engine of an earlier release sends no `estimated`.
        guard case .object(var fields) = consumption.rpcValue else {
            Issue.record("a consumption is not an object")
            return
        }
        fields["estimated"] = nil
        #expect(try Consumption(rpcValue: .object(fields)) == consumption)
        fields["estimated"] = .null
        #expect(try Consumption(rpcValue: .object(fields)) == consumption)
        fields["estimated"] = .string("yes")
        #expect(throws: RPCRemoteError.self) { try Consumption(rpcValue: .object(fields)) }
    }

    /// The values of an array result.
    static func values<Value: RPCValue>(_ result: JSONValue, of type: Value.Type) throws -> [Value] {
        try #require(result.arrayValue, "not an array: \(result)").map { try Value(rpcValue: $0) }
    }

    static func malformed(_ value: JSONValue, _ key: String, _ replacement: JSONValue?) -> JSONValue {
        guard case .object(var fields) = value else { return value }
        fields[key] = replacement
        return .object(fields)
    }

    @Test(
        arguments: [
            ("id", nil), ("started_at", .string("yesterday")), ("repair", .string("true")), ("listed", .array([])),
            ("failed", .object(["os.glance.image": .number("1")])), ("findings", .object([:])),
        ] as [(String, JSONValue?)]
    )
    func aMalformedRunNamesItsField(_ key: String, _ replacement: JSONValue?) {
        do {
            _ = try ReconciliationRun(rpcValue: Self.malformed(Self.run.rpcValue, key, replacement))
            Issue.record("accepted a bad \(key)")
        } catch {
            #expect(error.kind == .invalidInput && error.field == key, "\(error)")
        }
    }

    @Test func aListedCountIsAWholeNumber() {
        let listed = Self.malformed(Self.run.rpcValue, "listed", .object(["os.nova.server": .number("1.5")]))
        #expect(throws: RPCRemoteError.self) { try ReconciliationRun(rpcValue: listed) }
    }

    @Test(
        arguments: [
            ("kind", .string("gone")), ("action", .string("fixed")), ("action", nil), ("estimated", nil),
            ("effective_at", .string("2026-01-01T00:00:00Z")), ("resource_id", .number("1")),
        ] as [(String, JSONValue?)]
    )
    func aMalformedFindingNamesItsField(_ key: String, _ replacement: JSONValue?) {
        do {
            _ = try ReconciliationFinding(rpcValue: Self.malformed(Self.findings[0].rpcValue, key, replacement))
            Issue.record("accepted a bad \(key)")
        } catch {
            #expect(error.kind == .invalidInput && error.field == key)
        }
    }

    /// Neither namespace keeps results by idempotency key for these: a run is recorded once by its id, a listing
    /// is a read, and `mark_seen` sets an instant.
    @Test func noCallNeedsAnIdempotencyKey() {
        for method in ["list_reconciliations", "record_reconciliation", "mark_seen", "reconciliation_resources"] {
            #expect(!AccountsEndpoint.stateChangingMethods.contains(method))
        }
    }

    /// p1's vm-1 (m1.small) billed from t0, p1's vm-2 too; a run found vm-3 missing (repair off).
    static func seed(_ engine: Engine, clock: ManualNow) async throws {
        let rule = try await engine.createRule(
            name: "nova",
            spec: Specs.nova([("m1.small", "3.6"), ("m1.large", "36")]),
            metadata: .object([:])
        )
        _ = try await engine.createPolicy(name: "p", ruleIDs: [rule.id], metadata: .object([:]))
        _ = try await engine.recharge(
            userID: "p1",
            value: try Money(parsing: "100"),
            kind: .recharge,
            metadata: .object([:])
        )
        clock.set(clock.now.adding(seconds: 3600))
        _ = try await engine.apply(
            ["vm-1", "vm-2"].map { id in
                ResourceEvent(
                    messageID: "m-\(id)",
                    action: .create,
                    resourceType: "os.nova.server",
                    resourceID: id,
                    userID: "p1",
                    properties: ["flavor": .string("m1.small")],
                    time: clock.now.adding(seconds: -3600)
                )
            }
        )
    }

    static func reportedRun(_ id: String, at time: BillingTime) -> ReconciliationRun {
        ReconciliationRun(
            id: id,
            startedAt: time,
            finishedAt: time,
            repair: false,
            listed: ["os.nova.server": 3],
            failed: ["os.cinder.volume": "GET /v3/volumes/detail: 500"],
            findings: [
                ReconciliationFinding(
                    resourceID: "vm-3",
                    resourceType: "os.nova.server",
                    userID: "p1",
                    kind: .missing,
                    effectiveAt: time.adding(seconds: -7200),
                    evidence: .object(["cloud": .object(["project_id": .string("p1")]), "billed": .null])
                )
            ]
        )
    }

    @Test(arguments: TestDatabase.available)
    func theEndpointsServeTheEngine(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let clock = ManualNow(BillingTime(seconds: 1_700_000_000))
            let engine = Engine(store: store, now: clock.source, logger: TestDatabase.logger)
            let jobs = JobsEndpoint(service: engine)
            let accounts = AccountsEndpoint(service: engine, results: engine)
            try await Self.seed(engine, clock: clock)

            // The live servers, a page at a time in id order.
            let page = try await EndpointTests.call(
                jobs,
                "reconciliation_resources",
                ["type": .string("os.nova.server"), "after": .null, "limit": .number("1")]
            )
            let first = try Self.values(page, of: BilledResource.self)
            #expect(first.map(\.resourceID) == ["vm-1"])
            #expect(first.first?.properties["flavor"] == .string("m1.small") && first.first?.seenAt == nil)
            let rest = try await EndpointTests.call(
                jobs,
                "reconciliation_resources",
                ["type": .string("os.nova.server"), "after": .string("vm-1"), "limit": .number("10")]
            )
            #expect(try Self.values(rest, of: BilledResource.self).map(\.resourceID) == ["vm-2"])

            // Seen: the instant comes back on the next listing.
            let seen = clock.now
            let marked = try await EndpointTests.call(
                jobs,
                "mark_seen",
                ["resource_ids": .array([.string("vm-1"), .string("vm-2")]), "at": .number("\(seen.microseconds)")]
            )
            #expect(marked == .null)
            let again = try await EndpointTests.call(
                jobs,
                "reconciliation_resources",
                ["type": .string("os.nova.server"), "limit": .number("10")]
            )
            #expect(try Self.values(again, of: BilledResource.self).allSatisfy { $0.seenAt == seen })

            // Recorded once: delivered again, the run as first recorded.
            let run = Self.reportedRun("run-1", at: clock.now)
            let recorded = try ReconciliationRun(
                rpcValue: try await EndpointTests.call(jobs, "record_reconciliation", ["run": run.rpcValue])
            )
            #expect(recorded.id == run.id && recorded.repair == false)
            #expect(recorded.listed == run.listed && recorded.failed == run.failed)
            #expect(recorded.findings.map(\.action) == [.reported])
            #expect(recorded.findings.map(\.resourceID) == ["vm-3"])
            clock.advance(seconds: 60)
            let redelivered = try await EndpointTests.call(jobs, "record_reconciliation", ["run": run.rpcValue])
            #expect(try ReconciliationRun(rpcValue: redelivered) == recorded)
            // Reported only: nothing billed for vm-3.
            #expect(try await engine.listResources(ListQuery(userID: "p1")).map(\.id).sorted() == ["vm-1", "vm-2"])

            // Listed newest first, as the API asks.
            let second = try ReconciliationRun(
                rpcValue: try await EndpointTests.call(
                    jobs,
                    "record_reconciliation",
                    ["run": Self.reportedRun("run-2", at: clock.now).rpcValue]
                )
            )
            let listed = try await EndpointTests.call(accounts, "list_reconciliations", ["limit": .number("5")])
            #expect(try Self.values(listed, of: ReconciliationRun.self) == [second, recorded])
            let one = try await EndpointTests.call(accounts, "list_reconciliations", ["limit": .number("1")])
            #expect(try Self.values(one, of: ReconciliationRun.self) == [second])

            // The periodic pass: claimed once while due; delivered again, or asked by another scheduler, not.
            let claim: [String: JSONValue] = [
                "owner": .string("scheduler-1"), "every": .number("3600"), "lease_seconds": .number("300"),
            ]
            #expect(try await EndpointTests.call(jobs, "claim_reconciliation", claim) == .bool(true))
            #expect(try await EndpointTests.call(jobs, "claim_reconciliation", claim) == .bool(false))
            var other = claim
            other["owner"] = .string("scheduler-2")
            #expect(try await EndpointTests.call(jobs, "claim_reconciliation", other) == .bool(false))
            clock.advance(seconds: 3600)
            #expect(try await EndpointTests.call(jobs, "claim_reconciliation", other) == .bool(true))

            // Errors keep their kind and field.
            for (endpoint, method, args, field) in [
                (jobs as any RPCEndpoint, "record_reconciliation", ["run": JSONValue.object([:])], "id"),
                (jobs, "reconciliation_resources", ["type": .string("os.nova.server")], "limit"),
                (jobs, "mark_seen", ["resource_ids": .array([.number("1")]), "at": .number("1")], "resource_ids"),
                (accounts, "list_reconciliations", [:], "limit"),
                (jobs, "claim_reconciliation", ["owner": .string("s"), "every": .number("60")], "lease_seconds"),
                (accounts, "list_reconciliations", ["limit": .number("51")], "limit"),
            ] as [(any RPCEndpoint, String, [String: JSONValue], String)] {
                do {
                    _ = try await EndpointTests.call(endpoint, method, args)
                    Issue.record("\(method) accepted \(args)")
                } catch let error as RPCRemoteError {
                    #expect(error.kind == .invalidInput && error.field == field, "\(method): \(error)")
                }
            }
        }
    }

    /// The scheduler's service (``RPCJobsService``) and the API's (``RPCAccountsService``) call an engine served on
    /// a real RabbitMQ: a page of resources, `mark_seen`, a run recorded twice (once), the listing and a claim.
    @Test(.enabled(if: ReratingRPCTests.isBrokerEnabled, "needs BILEAN_TEST_RABBITMQ_URL"), .timeLimit(.minutes(2)))
    func theServicesCallTheEngineOverRabbitMQ() async throws {
        try await TestDatabase.sqlite.withStore { store in
            let clock = ManualNow(BillingTime(seconds: 1_700_000_000))
            let engine = Engine(store: store, now: clock.source, logger: TestDatabase.logger)
            try await Self.seed(engine, clock: clock)
            try await EngineOverRabbitMQ.serve(engine, name: "reconciliation") { client in
                let jobs = RPCJobsService(client: client)
                let accounts = RPCAccountsService(client: client)
                let page = try await jobs.reconciliationResources(type: "os.nova.server", after: nil, limit: 10)
                #expect(page.map(\.resourceID) == ["vm-1", "vm-2"])
                try await jobs.markSeen(resourceIDs: ["vm-2"], at: clock.now)
                let after = try await jobs.reconciliationResources(type: "os.nova.server", after: "vm-1", limit: 10)
                #expect(after.map(\.resourceID) == ["vm-2"] && after.first?.seenAt == clock.now)
                let run = Self.reportedRun("run-rmq", at: clock.now)
                let first = try await jobs.recordReconciliation(run)
                let second = try await jobs.recordReconciliation(run)
                #expect(first == second && first.findings.map(\.action) == [.reported])
                #expect(try await accounts.listReconciliations(limit: 5) == [first])
                #expect(try await jobs.claimReconciliation(owner: "s-1", every: 3600, leaseSeconds: 60))
                #expect(!(try await jobs.claimReconciliation(owner: "s-2", every: 3600, leaseSeconds: 60)))
                do {
                    _ = try await accounts.listReconciliations(limit: 0)
                    Issue.record("listed 0 runs")
                } catch let error as BileanError {
                    #expect(error.code == .invalidInput)
                }
            }
        }
    }
}
