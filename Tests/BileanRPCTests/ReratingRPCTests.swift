import AMQP
import BileanCore
import BileanEngine
import BileanRPC
import BileanTestSupport
import Foundation
import Testing

@testable import BileanMessaging

/// Shadow re-rating over the engine RPC (`preview_rerating`, `apply_rerating`): the values cross exactly, the
/// served methods answer what the engine does (an apply once per preview, a redelivered one included), errors keep
/// their kind and field, and a consumption keeps its reason and re-rating id (an older engine's, without them,
/// still reads).
@Suite("Rerating over RPC")
struct ReratingRPCTests {
    static let t = RPCValueTests.t

    /// A request with a spec in canonical JSON (the API reads numbers so; the wire keeps them exactly).
    static let request = ReratingRequest(
        startTime: t,
        endTime: t.adding(seconds: 3600),
        userIDs: ["p1", "p2"],
        rules: [
            ReratingDraft(
                ruleID: "r1",
                spec: .object([
                    "type": .string("os.nova.server"), "version": .string("1.0"),
                    "properties": .object([
                        "price_mapping": .array([
                            .object(["flavor": .string("m1.small"), "price": .number("0.000000000001")])
                        ])
                    ]),
                ])
            ),
            ReratingDraft(spec: .object(["type": .string("os.cinder.volume"), "properties": .object([:])])),
        ],
        policyID: "pol"
    )

    static func lines() throws -> [ReratingLine] {
        [
            ReratingLine(
                userID: "p1",
                resourceType: "os.nova.server",
                resources: 3,
                current: try Money(parsing: "3.6"),
                draft: try Money(parsing: "-0.000000000001")
            ),
            ReratingLine(userID: "p2", resourceType: "os.cinder.volume", resources: 0, current: .zero, draft: .zero),
        ]
    }

    @Test func valuesCrossExactly() throws {
        try RPCValueTests.roundTrip(Self.request)
        try RPCValueTests.roundTrip(ReratingRequest(startTime: Self.t, endTime: Self.t, rules: []))
        try RPCValueTests.roundTrip(
            ReratingPreview(id: "pv", request: Self.request, createdAt: Self.t, lines: try Self.lines())
        )
        try RPCValueTests.roundTrip(ReratingPreview(id: "pv", request: Self.request, createdAt: Self.t, lines: []))
        try RPCValueTests.roundTrip(
            Rerating(
                id: "pv",
                request: Self.request,
                reason: "fix: «prices» ✓",
                previewedAt: Self.t,
                appliedAt: Self.t.adding(microseconds: 1),
                lines: try Self.lines(),
                consumptions: 7
            )
        )
    }

    @Test func aConsumptionKeepsItsReasonAndRerating() throws {
        var consumption = Consumption(
            id: "c",
            userID: "p",
            resourceID: "vm",
            resourceType: "os.nova.server",
            startTime: Self.t,
            endTime: Self.t,
            rate: Rate(unitsPerHour: 0),
            cost: try Money(parsing: "-1.5"),
            cause: .rerate,
            createdAt: Self.t,
            reason: "price fix",
            reratingID: "pv"
        )
        try RPCValueTests.roundTrip(consumption)
        consumption.reason = nil
        consumption.reratingID = nil
        try RPCValueTests.roundTrip(consumption)
        // An engine of an earlier release sends neither key.
        guard case .object(var fields) = consumption.rpcValue else {
            Issue.record("a consumption is not an object")
            return
        }
        fields["reason"] = nil
        fields["rerating_id"] = nil
        let old = try Consumption(rpcValue: .object(fields))
        #expect(old == consumption)
    }

    @Test func aMalformedValueNamesItsField() {
        var request = Self.request.rpcValue
        if case .object(var fields) = request {
            fields["start_time"] = .string("yesterday")
            request = .object(fields)
        }
        do {
            _ = try ReratingRequest(rpcValue: request)
            Issue.record("accepted a bad start_time")
        } catch {
            #expect(error.kind == .invalidInput && error.field == "start_time")
        }
        do {
            _ = try ReratingPreview(
                rpcValue: .object([
                    "id": .string("pv"), "request": Self.request.rpcValue, "created_at": .number("1"),
                    "lines": .array([.object(["user_id": .string("p")])]),
                ])
            )
            Issue.record("accepted a line without amounts")
        } catch {
            #expect(error.kind == .invalidInput && error.field == "lines")
        }
    }

    /// The apply changes billing: it is one of the calls whose result is kept by idempotency key.
    @Test func anApplyIsStateChanging() {
        #expect(AccountsEndpoint.stateChangingMethods.contains("apply_rerating"))
        #expect(!AccountsEndpoint.stateChangingMethods.contains("preview_rerating"))
    }

    /// p1 has vm-1 (m1.small, 3.6/h) from t0, seen at t0 + 7200 s; the default policy prices it.
    static func seed(_ engine: Engine, clock: ManualNow) async throws -> Rule {
        let rule = try await engine.createRule(
            name: "nova",
            spec: Specs.nova([("m1.small", "3.6")]),
            metadata: .object([:])
        )
        _ = try await engine.createPolicy(name: "p", ruleIDs: [rule.id], metadata: .object([:]))
        _ = try await engine.recharge(
            userID: "p1",
            value: try Money(parsing: "100"),
            kind: .recharge,
            metadata: .object([:])
        )
        clock.set(clock.now.adding(seconds: 7200))
        _ = try await engine.apply([
            ResourceEvent(
                messageID: "m1",
                action: .create,
                resourceType: "os.nova.server",
                resourceID: "vm-1",
                userID: "p1",
                properties: ["flavor": .string("m1.small")],
                time: clock.now.adding(seconds: -7200)
            )
        ])
        return rule
    }

    /// The first hour of p1 at twice the price.
    static func doubled(_ start: BillingTime, rule: Rule) -> ReratingRequest {
        ReratingRequest(
            startTime: start,
            endTime: start.adding(seconds: 3600),
            userIDs: ["p1"],
            rules: [ReratingDraft(ruleID: rule.id, spec: Specs.nova([("m1.small", "7.2")]))]
        )
    }

    @Test(arguments: TestDatabase.available)
    func theEndpointPreviewsAndAppliesOnce(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let start = BillingTime(seconds: 1_700_000_000)
            let clock = ManualNow(start)
            let engine = Engine(store: store, now: clock.source, logger: TestDatabase.logger)
            let accounts = AccountsEndpoint(service: engine, results: engine)
            let rule = try await Self.seed(engine, clock: clock)
            let request = Self.doubled(start, rule: rule)

            let preview = try ReratingPreview(
                rpcValue: try await EndpointTests.call(accounts, "preview_rerating", ["request": request.rpcValue])
            )
            #expect(preview.request.startTime == request.startTime && preview.request.rules == request.rules)
            #expect(preview.lines.current == (try Money(parsing: "3.6")))
            #expect(preview.lines.draft == (try Money(parsing: "7.2")))

            let args: [String: JSONValue] = [
                "preview_id": .string(preview.id), "reason": .string("price fix"),
                "idempotency_key": .string("k-1"),
            ]
            let first = try Rerating(rpcValue: try await EndpointTests.call(accounts, "apply_rerating", args))
            #expect(first.id == preview.id && first.reason == "price fix")
            #expect(first.lines.draft - first.lines.current == (try Money(parsing: "3.6")))
            // Delivered again (same key), or asked again (a new key): the first apply.
            clock.advance(seconds: 60)
            let redelivered = try await EndpointTests.call(accounts, "apply_rerating", args)
            #expect(try Rerating(rpcValue: redelivered) == first)
            var asked = args
            asked["idempotency_key"] = .string("k-2")
            #expect(try Rerating(rpcValue: try await EndpointTests.call(accounts, "apply_rerating", asked)) == first)
            let rerated = try await engine.listConsumptions(ListQuery(userID: "p1")).filter { $0.cause == .rerate }
            #expect(!rerated.isEmpty && rerated.count <= first.consumptions)
            #expect(rerated.allSatisfy { $0.reason == "price fix" && $0.reratingID == preview.id })

            // Errors keep their kind and field.
            do {
                _ = try await EndpointTests.call(
                    accounts,
                    "apply_rerating",
                    ["preview_id": .string("nope"), "reason": .string("x")]
                )
                Issue.record("applied an unknown preview")
            } catch let error as RPCRemoteError {
                #expect(error.kind == .notFound)
            }
            var late = request
            late.endTime = clock.now.adding(seconds: 1)
            do {
                _ = try await EndpointTests.call(accounts, "preview_rerating", ["request": late.rpcValue])
                Issue.record("previewed the future")
            } catch let error as RPCRemoteError {
                #expect(error.kind == .invalidInput && error.field == "end_time")
            }
            do {
                _ = try await EndpointTests.call(accounts, "apply_rerating", ["preview_id": .string(preview.id)])
                Issue.record("applied without a reason")
            } catch let error as RPCRemoteError {
                #expect(error.kind == .invalidInput && error.field == "reason")
            }
        }
    }

    /// `BILEAN_TEST_RABBITMQ_URL`, as the BileanMessaging RPC suites read it; unset, this suite is skipped
    /// locally, and fails under `CI=true`.
    static var brokerURL: String? { ProcessInfo.processInfo.environment["BILEAN_TEST_RABBITMQ_URL"] }
    static var isBrokerEnabled: Bool { Self.brokerURL != nil || TestDatabase.isCI }

    /// The API's service (``RPCAccountsService``) calls an engine served on a real RabbitMQ: both calls, an apply
    /// twice, and the engine's errors as the API sees them.
    @Test(.enabled(if: isBrokerEnabled, "needs BILEAN_TEST_RABBITMQ_URL"), .timeLimit(.minutes(2)))
    func theAPIsServiceCallsTheEngineOverRabbitMQ() async throws {
        try await TestDatabase.sqlite.withStore { store in
            let start = BillingTime(seconds: 1_700_000_000)
            let clock = ManualNow(start)
            let engine = Engine(store: store, now: clock.source, logger: TestDatabase.logger)
            let rule = try await Self.seed(engine, clock: clock)
            try await EngineOverRabbitMQ.serve(engine, name: "rerating") { client in
                let service = RPCAccountsService(client: client)
                let preview = try await service.previewRerating(Self.doubled(start, rule: rule))
                #expect(preview.lines.count == 1)
                #expect(preview.lines.draft - preview.lines.current == (try Money(parsing: "3.6")))
                let first = try await service.applyRerating(previewID: preview.id, reason: "price fix")
                let second = try await service.applyRerating(previewID: preview.id, reason: "price fix")
                #expect(first == second && first.id == preview.id && first.consumptions >= 1)
                let consumptions = try await service.listConsumptions(ListQuery(userID: "p1"))
                #expect(consumptions.contains { $0.reason == "price fix" && $0.reratingID == preview.id })
                do {
                    _ = try await service.applyRerating(previewID: "nope", reason: "x")
                    Issue.record("applied an unknown preview")
                } catch let error as BileanError {
                    #expect(error.code == .notFound)
                }
            }
        }
    }

    /// Deletes what the server and the client declared.
    static func cleanUp(
        _ configuration: AMQPConnectionConfiguration,
        exchange: String,
        topic: String,
        server: OsloRPCServer,
        client: OsloRPCClient
    ) async {
        guard
            let connection = try? await AMQPConnection.connect(
                configuration: configuration,
                logger: TestDatabase.logger
            )
        else { return }
        for queue in [topic, "\(topic).\(server.host)", server.fanoutQueue, client.replyQueue] {
            if let channel = try? await connection.openChannel() {
                _ = try? await channel.queueDelete(queue)
                try? await channel.close()
            }
        }
        for name in [exchange, "\(topic)_fanout"] {
            if let channel = try? await connection.openChannel() {
                try? await channel.exchangeDelete(name)
                try? await channel.close()
            }
        }
        try? await connection.close()
    }
}
