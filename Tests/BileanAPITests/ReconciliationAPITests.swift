import BileanAPIModels
import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `GET /v1/reconciliation`: only the admin may see the runs, `limit` (1 to 50, default 5) is the only parameter and
/// is checked before the engine is asked, and the runs an engine recorded come back newest first in the documented
/// body (counts by kind and by action, each finding with its evidence).
@Suite("Reconciliation API")
struct ReconciliationAPITests {
    static let nonAdmins: [Caller] = [.member("proj-a"), .reader("proj-a"), .headers(project: "proj-a", roles: nil)]

    /// Admin only, decided before the parameters are read: even a bad limit is a 403.
    @Test(arguments: nonAdmins)
    func onlyTheAdminMaySeeTheRuns(_ caller: Caller) async throws {
        try await APITestHarness.withAPI(engine: FailingEngine(error: Boom())) { api in
            for prefix in APITestHarness.prefixes {
                for query in ["", "?limit=2", "?limit=0", "?marker=x"] {
                    let response = try await api.get(prefix + "/reconciliation" + query, as: caller)
                    expectOpenStackError(response, .forbidden, type: "Forbidden")
                }
            }
            // The admin's request reaches the engine (which fails here).
            expectOpenStackError(try await api.get("/v1/reconciliation"), .internalServerError)
        }
    }

    /// `(query, the parameter the message names)`.
    static let badQueries: [(String, String)] = [
        ("limit=0", "limit"), ("limit=51", "limit"), ("limit=-1", "limit"), ("limit=abc", "limit"),
        ("limit=", "limit"), ("limit=1.5", "limit"), ("limit=%205", "limit"), ("limit=5&limit=100", "limit"),
        ("limit=99999999999999999999", "limit"), ("marker=run-1", "marker"), ("limit=5&sort_dir=asc", "sort_dir"),
        ("repair=true", "repair"),
    ]

    /// The engine fails every call: a 400 proves the query was refused before it was asked.
    @Test(arguments: badQueries)
    func aBadQueryIsA400BeforeTheEngineIsAsked(_ query: String, _ names: String) async throws {
        try await APITestHarness.withAPI(engine: FailingEngine(error: Boom())) { api in
            for prefix in APITestHarness.prefixes {
                let error = expectOpenStackError(
                    try await api.get("\(prefix)/reconciliation?\(query)"),
                    .badRequest,
                    type: "InvalidInput"
                )
                #expect(error.message.contains(names), "message: \(error.message)")
            }
        }
    }

    @Test func onlyGETIsAllowed() async throws {
        try await APITestHarness.withAPI(engine: FailingEngine(error: Boom())) { api in
            for prefix in APITestHarness.prefixes {
                let response = try await api.post("\(prefix)/reconciliation", "{}")
                expectOpenStackError(response, .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
        }
    }

    static let t = APITestHarness.t0

    /// A run with one finding of each kind and action, and a failed listing.
    static let run = ReconciliationRun(
        id: "run-1",
        startedAt: t,
        finishedAt: t.adding(microseconds: 1_500_000),
        repair: true,
        listed: ["os.nova.server": 3, "os.cinder.volume": 0],
        failed: ["os.glance.image": "GET /v2/images: 503 on page 2"],
        findings: [
            ReconciliationFinding(
                resourceID: "vm-1",
                resourceType: "os.nova.server",
                userID: "proj-a",
                kind: .missing,
                action: .repaired,
                effectiveAt: t.adding(seconds: -3600),
                evidence: .object(["cloud": .object(["size": .number("10.0")]), "billed": .null])
            ),
            ReconciliationFinding(
                resourceID: "vm-2",
                resourceType: "os.nova.server",
                userID: "proj-a",
                kind: .vanished,
                action: .deferred,
                effectiveAt: t.adding(seconds: -60),
                estimated: true,
                evidence: .object(["deferred_because": .string("too recent")])
            ),
            ReconciliationFinding(
                resourceID: "vm-3",
                resourceType: "os.nova.server",
                userID: "proj-b",
                kind: .propertyDrift,
                action: .repaired,
                effectiveAt: nil,
                evidence: .null
            ),
        ]
    )

    @Test func aRunsBodyIsExact() throws {
        let body = Self.run.apiBody
        #expect(Set(try #require(body.objectValue).keys) == (try ReratingAPITests.documented("ReconciliationRun")))
        #expect(body.text("id") == "run-1")
        #expect(body.text("started_at") == "2023-11-14T22:13:20.000000Z")
        #expect(body.text("finished_at") == "2023-11-14T22:13:21.500000Z")
        #expect(body["repair"] == .bool(true) && body["complete"] == .bool(false))
        #expect(body["listed"] == .object(["os.nova.server": .number("3"), "os.cinder.volume": .number("0")]))
        #expect(body["failed"] == .object(["os.glance.image": .string("GET /v2/images: 503 on page 2")]))
        #expect(
            body["counts"]
                == .object([
                    "missing": .number("1"), "vanished": .number("1"), "property_drift": .number("1"),
                    "reported": .number("0"), "repaired": .number("2"), "deferred": .number("1"),
                ])
        )
        let counts = try #require(try OpenAPIDocumentTests.document()["components"]?["schemas"]?["ReconciliationRun"])
        let documentedCounts = (counts["properties"]?["counts"]?["required"]?.arrayValue ?? []).compactMap(
            \.stringValue
        )
        #expect(Set(try #require(body["counts"]?.objectValue).keys) == Set(documentedCounts))

        let findings = try #require(body["findings"]?.arrayValue)
        #expect(findings.count == 3)
        let documented = try ReratingAPITests.documented("ReconciliationFinding")
        #expect(findings.allSatisfy { Set(($0.objectValue ?? [:]).keys) == documented })
        #expect(findings.map { $0.text("kind") } == ["missing", "vanished", "property_drift"])
        #expect(findings.map { $0.text("action") } == ["repaired", "deferred", "repaired"])
        #expect(findings.map { $0["estimated"] } == [.bool(false), .bool(true), .bool(false)])
        #expect(findings.first?.text("effective_at") == "2023-11-14T21:13:20.000000Z")
        #expect(findings.last?["effective_at"] == .null)
        #expect(findings.first?.text("resource_id") == "vm-1" && findings.first?.text("user_id") == "proj-a")
        #expect(findings.first?.text("resource_type") == "os.nova.server")
        // The evidence as kept, numbers by their text.
        #expect(findings.first?["evidence"] == Self.run.findings.first?.evidence)
        #expect(findings.last?["evidence"] == .null)

        // A run whose listings all completed, with nothing found.
        let clean = ReconciliationRun(
            id: "run-2",
            startedAt: Self.t,
            finishedAt: Self.t,
            repair: false,
            listed: [:],
            failed: [:],
            findings: []
        ).apiBody
        #expect(clean["complete"] == .bool(true) && clean["findings"] == .array([]))
        #expect(clean["listed"] == .object([:]) && clean["failed"] == .object([:]))
        #expect(clean["counts"]?.objectValue?.values.allSatisfy { $0 == .number("0") } == true)
    }

    /// A consumption's body says `estimated` only when it rests on an estimate.
    @Test func aConsumptionShowsEstimatedOnlyWhenSet() throws {
        var consumption = Consumption(
            id: "c",
            userID: "u",
            resourceID: "r",
            resourceType: "os.nova.server",
            startTime: Self.t,
            endTime: Self.t.adding(seconds: 10),
            rate: Rate(unitsPerHour: 0),
            cost: .zero,
            cause: .deletion,
            createdAt: Self.t
        )
        #expect(consumption.apiBody["metadata"] == .object(["cause": .string("deletion")]))
        consumption.estimated = true
        #expect(consumption.apiBody["metadata"] == .object(["cause": .string("deletion"), "estimated": .bool(true)]))
        let document = try OpenAPIDocumentTests.document()
        let metadata = document["components"]?["schemas"]?["Consumption"]?["properties"]?["metadata"]
        #expect(metadata?["properties"]?["estimated"]?["const"] == .bool(true))
    }

    /// A run found vm-3 in the cloud and not billed; repair is off, so it is only reported.
    static func reportedRun(_ id: String, at time: BillingTime, failed: [String: String] = [:]) -> ReconciliationRun {
        ReconciliationRun(
            id: id,
            startedAt: time.adding(seconds: -5),
            finishedAt: time,
            repair: false,
            listed: ["os.nova.server": 3],
            failed: failed,
            findings: [
                ReconciliationFinding(
                    resourceID: "vm-3",
                    resourceType: "os.nova.server",
                    userID: "proj-a",
                    kind: .missing,
                    effectiveAt: time.adding(seconds: -7200),
                    evidence: .object([
                        "cloud": .object(["project_id": .string("proj-a"), "size": .number("1.5")]),
                        "billed": .null,
                    ])
                )
            ]
        )
    }

    /// Seven runs recorded by the engine: the default shows the newest five, `limit` fewer or all, each as recorded.
    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func theRecordedRunsNewestFirst(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            let api = context.api
            #expect(try await api.list("\(prefix)/reconciliation", "reconciliation").isEmpty)

            var recorded: [ReconciliationRun] = []
            for index in 1...7 {
                context.clock.advance(seconds: 60)
                let failed = index == 7 ? ["os.glance.image": "GET /v2/images: 500"] : [:]
                recorded.append(
                    try await context.engine.recordReconciliation(
                        Self.reportedRun("run-\(index)", at: context.clock.now, failed: failed)
                    )
                )
            }
            let runs = try await api.list("\(prefix)/reconciliation", "reconciliation")
            #expect(runs.map { $0.text("id") } == ["run-7", "run-6", "run-5", "run-4", "run-3"])
            #expect(runs == recorded.reversed().prefix(5).map(\.apiBody))
            let newest = try #require(runs.first)
            #expect(newest["repair"] == .bool(false) && newest["complete"] == .bool(false))
            #expect(newest["failed"] == .object(["os.glance.image": .string("GET /v2/images: 500")]))
            #expect(runs.dropFirst().allSatisfy { $0["complete"] == .bool(true) })
            #expect(newest.text("finished_at") == context.clock.now.iso8601)
            #expect(newest["listed"] == .object(["os.nova.server": .number("3")]))
            #expect(newest["counts"]?["missing"] == .number("1") && newest["counts"]?["reported"] == .number("1"))
            let finding = try #require(newest["findings"]?.arrayValue?.first)
            #expect(finding.text("resource_id") == "vm-3" && finding.text("kind") == "missing")
            #expect(finding.text("action") == "reported" && finding["estimated"] == .bool(false))
            #expect(finding.text("effective_at") == context.clock.now.adding(seconds: -7200).iso8601)
            #expect(finding["evidence"]?["cloud"]?["size"] == .number("1.5"))

            let two = try await api.list("\(prefix)/reconciliation?limit=2", "reconciliation")
            #expect(two.map { $0.text("id") } == ["run-7", "run-6"])
            let all = try await api.list("\(prefix)/reconciliation?limit=50", "reconciliation")
            #expect(all.count == 7 && all.last?.text("id") == "run-1")
            // Reported only: nothing was billed for vm-3.
            #expect(try await api.list("\(prefix)/resources", "resources").isEmpty)
        }
    }
}
