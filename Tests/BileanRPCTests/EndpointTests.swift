import BileanCore
import BileanEngine
import BileanMessaging
import BileanRPC
import BileanTestSupport
import Testing

/// The served namespaces over a real engine (both databases), called as the RPC server calls them: the
/// dispatch, the exact results, the typed errors and the idempotency keys. The broker path is covered by the
/// BileanMessaging and integration tests.
@Suite("RPC endpoints")
struct EndpointTests {
    static let context = RPCContext(requestID: "req-1", projectID: nil, userID: nil, roles: ["admin"], isAdmin: true)

    static func call(
        _ endpoint: some RPCEndpoint,
        _ method: String,
        _ args: [String: JSONValue]
    ) async throws
        -> JSONValue
    {
        try await endpoint.handle(method: method, args: args, context: Self.context)
    }

    @Test(arguments: TestDatabase.available)
    func aRepeatedRechargeIsCreditedOnce(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let engine = Engine(store: store, logger: TestDatabase.logger)
            let accounts = AccountsEndpoint(service: engine)
            let args: [String: JSONValue] = [
                "user_id": .string("p1"), "value": .string("10.5"), "type": .string("Recharge"),
                "metadata": .object([:]), "key": .string("key-1"),
            ]
            _ = try await Self.call(accounts, "recharge", args)
            let again = try User(rpcValue: try await Self.call(accounts, "recharge", args))
            #expect(again.balance == (try Money(parsing: "10.5")))
            // The same key with another value is a conflict, not a second recharge.
            var other = args
            other["value"] = .string("99")
            await #expect(throws: RPCRemoteError.self) { try await Self.call(accounts, "recharge", other) }
            #expect(try await engine.listRecharges(ListQuery(userID: "p1")).count == 1)
        }
    }

    /// `rpc_idempotency_retention`: a state-changing call delivered again answers its stored result (a deletion
    /// done already answers as it did, not "not found"); a key used for another method is a conflict; after the
    /// retention the result is forgotten.
    @Test(arguments: TestDatabase.available)
    func aRepeatedCallAnswersItsStoredResultForTheRetention(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let clock = ManualNow(BillingTime(seconds: 1_800_000_000))
            let engine = Engine(store: store, now: { clock.now }, logger: TestDatabase.logger)
            let accounts = AccountsEndpoint(service: engine, results: engine, retention: .seconds(3600))
            let spec = Specs.nova([("m1.small", "0.05")])
            _ = try await Self.call(
                accounts,
                "create_rule",
                [
                    "name": .string("nova"), "spec": spec, "metadata": .object([:]), "key": .string("r1"),
                    "idempotency_key": .string("r1"),
                ]
            )
            let delete: [String: JSONValue] = ["id": .string("r1"), "idempotency_key": .string("k-del")]
            #expect(try await Self.call(accounts, "delete_rule", delete) == .null)
            // Delivered again: the stored answer, not "not found".
            #expect(try await Self.call(accounts, "delete_rule", delete) == .null)
            #expect(try await engine.storedRPCResult(key: "k-del")?.method == "delete_rule")
            // Without a key, the deletion runs again and finds nothing.
            let again = await #expect(throws: RPCRemoteError.self) {
                try await Self.call(accounts, "delete_rule", ["id": .string("r1")])
            }
            #expect(again?.kind == .notFound)
            // A key used for another method.
            do {
                _ = try await Self.call(
                    accounts,
                    "delete_policy",
                    ["id": .string("x"), "idempotency_key": .string("k-del")]
                )
                Issue.record("a key was used for two methods")
            } catch let error as RPCRemoteError {
                #expect(error.kind == .conflict && error.message.contains("k-del"), "\(error)")
            }
            // Reads keep no result.
            _ = try await Self.call(
                accounts,
                "list_rules",
                ["query": ListQuery().rpcValue, "idempotency_key": .string("k-read")]
            )
            #expect(try await engine.storedRPCResult(key: "k-read") == nil)
            // Past the retention the result is purged (by the next keyed call) and the call runs again.
            clock.advance(seconds: 3601)
            let expired = await #expect(throws: RPCRemoteError.self) {
                try await Self.call(accounts, "delete_rule", delete)
            }
            #expect(expired?.kind == .notFound)
            #expect(try await engine.storedRPCResult(key: "k-del") == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRepeatedCreationMakesOneObject(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let engine = Engine(store: store, logger: TestDatabase.logger)
            let accounts = AccountsEndpoint(service: engine)
            let spec = Specs.nova([("m1.small", "0.05")])
            let args: [String: JSONValue] = [
                "name": .string("nova"), "spec": spec, "metadata": .object([:]), "key": .string("rule-key"),
            ]
            let first = try Rule(rpcValue: try await Self.call(accounts, "create_rule", args))
            let second = try Rule(rpcValue: try await Self.call(accounts, "create_rule", args))
            #expect(first == second && first.id == "rule-key")
            let policyArgs: [String: JSONValue] = [
                "name": .string("p"), "rule_ids": .array([.string(first.id)]), "metadata": .object([:]),
                "key": .string("policy-key"),
            ]
            _ = try await Self.call(accounts, "create_policy", policyArgs)
            let policy = try Policy(rpcValue: try await Self.call(accounts, "create_policy", policyArgs))
            #expect(policy.id == "policy-key" && policy.isDefault)
            #expect(try await engine.listRules(ListQuery()).count == 1)
            #expect(try await engine.listPolicies(ListQuery()).count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func errorsKeepTheirKindAndField(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let engine = Engine(store: store, logger: TestDatabase.logger)
            let accounts = AccountsEndpoint(service: engine)
            do {
                _ = try await Self.call(accounts, "user", ["id": .string("nobody")])
                Issue.record("found nobody")
            } catch let error as RPCRemoteError {
                #expect(error.kind == .notFound)
            }
            do {
                _ = try await Self.call(accounts, "set_credit", ["user_id": .string("p"), "value": .string("-1")])
                Issue.record("accepted a negative credit")
            } catch let error as RPCRemoteError {
                #expect(error.kind == .invalidInput && error.field == "value")
            }
            do {
                _ = try await Self.call(accounts, "nope", [:])
                Issue.record("served an unknown method")
            } catch let error as RPCRemoteError {
                #expect(error.kind == .noSuchMethod)
            }
            do {
                _ = try await Self.call(accounts, "user", [:])
                Issue.record("accepted a missing id")
            } catch let error as RPCRemoteError {
                #expect(error.kind == .invalidInput && error.field == "id")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func ingestAndJobsRunThroughTheirNamespaces(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let clock = ManualNow(BillingTime(seconds: 1_700_000_000))
            let engine = Engine(store: store, now: clock.source, logger: TestDatabase.logger)
            let accounts = AccountsEndpoint(service: engine)
            let ingest = IngestEndpoint(service: engine)
            let jobs = JobsEndpoint(service: engine)
            let rule = try Rule(
                rpcValue: try await Self.call(
                    accounts,
                    "create_rule",
                    ["name": .string("n"), "spec": Specs.nova([("f", "3600")]), "metadata": .object([:])]
                )
            )
            _ = try await Self.call(
                accounts,
                "create_policy",
                ["name": .string("p"), "rule_ids": .array([.string(rule.id)]), "metadata": .object([:])]
            )
            _ = try await Self.call(
                accounts,
                "recharge",
                [
                    "user_id": .string("p1"), "value": .string("10"), "type": .string("Recharge"),
                    "metadata": .object([:]),
                ]
            )
            let event = ResourceEvent(
                messageID: "m1",
                action: .create,
                resourceType: "os.nova.server",
                resourceID: "vm",
                userID: "p1",
                properties: ["flavor": .string("f")],
                time: clock.now
            )
            let batch = NotificationBatch(
                messages: [.init(messageID: "m1", facts: [.resource(event)])],
                report: ListenerReport(listener: "h/q", queueDepth: 0, oldestHeldSeconds: 0)
            )
            let report = try IngestReport(rpcValue: try await Self.call(ingest, "ingest", ["batch": batch.rpcValue]))
            #expect(report.billed == 1)
            let again = try IngestReport(rpcValue: try await Self.call(ingest, "ingest", ["batch": batch.rpcValue]))
            #expect(again.duplicates == 1)
            _ = try await Self.call(ingest, "probe", [:])
            // 1 per second from now: the freeze job is due in 10 s.
            clock.set(clock.now.adding(seconds: 20))
            let claimed = try await Self.call(
                jobs,
                "claim_jobs",
                [
                    "owner": .string("s"), "due_by": .number("\(clock.now.microseconds)"),
                    "lease_until": .number("\(clock.now.adding(seconds: 30).microseconds)"), "limit": .number("10"),
                ]
            )
            guard case .array(let items) = claimed else {
                Issue.record("claim_jobs answered \(claimed)")
                return
            }
            let outcomes = try await Self.call(jobs, "run_jobs", ["jobs": .array(items), "owner": .string("s")])
            #expect(outcomes.arrayValue?.contains(.string("fired")) == true)
            let user = try User(rpcValue: try await Self.call(accounts, "user", ["id": .string("p1")]))
            #expect(user.status == .freeze)
        }
    }
}
