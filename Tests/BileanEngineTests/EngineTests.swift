import BileanCore
import BileanEngine
import BileanStore
import BileanTestSupport
import Testing

/// Engine behaviour end to end over a real store (SQLite, and PostgreSQL when configured or in CI).
@Suite("Engine")
struct EngineTests {
    static let t0 = BillingTime(seconds: 1_700_000_000)

    static func withEngine(
        _ database: TestDatabase,
        configure: (inout Engine.Configuration) -> Void = { _ in },
        _ body: (Engine, ManualNow, SQLBillingStore) async throws -> Void
    ) async throws {
        try await database.withStore { store in
            let clock = ManualNow(Self.t0)
            var configuration = Engine.Configuration()
            configure(&configuration)
            let engine = Engine(
                store: store,
                configuration: configuration,
                now: clock.source,
                logger: TestDatabase.logger
            )
            try await body(engine, clock, store)
        }
    }

    /// A default policy pricing m1.small at 1.5/h, m1.large at 7/h, volumes 1..10 GB at 0.5/h and 11+ GB at 2/h.
    @discardableResult
    static func standardPolicy(_ engine: Engine) async throws -> Policy {
        let nova = try await engine.createRule(
            name: "nova",
            spec: Specs.nova([("m1.small", "1.5"), ("m1.large", "7")]),
            metadata: .object([:])
        )
        let cinder = try await engine.createRule(
            name: "cinder",
            spec: Specs.cinder([(1, 10, "0.5"), (11, nil, "2")]),
            metadata: .object([:])
        )
        return try await engine.createPolicy(name: "standard", ruleIDs: [nova.id, cinder.id], metadata: .object([:]))
    }

    static func event(
        _ message: String,
        _ action: ResourceEvent.Action,
        _ resource: String,
        user: String = "p1",
        type: String = "os.nova.server",
        _ properties: [String: JSONValue],
        at seconds: Int64
    ) -> ResourceEvent {
        ResourceEvent(
            messageID: message,
            action: action,
            resourceType: type,
            resourceID: resource,
            userID: user,
            properties: properties,
            time: t0.adding(seconds: seconds)
        )
    }

    static func code(of body: () async throws -> Void) async -> BileanError.Code? {
        do {
            try await body()
            return nil
        } catch let error as BileanError {
            return error.code
        } catch {
            return .internalError
        }
    }

    static func field(of body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as BileanError {
            return error.field
        } catch {
            return nil
        }
    }

    @Test(arguments: TestDatabase.available)
    func rulesValidateAndKeepVersionText(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, _, _ in
            let rule = try await engine.createRule(
                name: "nova",
                spec: Specs.nova([("m1.small", "1")]),
                metadata: .object(["k": .string("v")])
            )
            #expect(rule.type == "os.nova.server-1.0")
            #expect(try await engine.rule(rule.id) == rule)
            let bad = JSONValue.object([
                "type": .string("os.nova.server"), "version": .string("1.0"),
                "properties": .object([
                    "price_mapping": .array([.object(["flavor": .string("x"), "price": .number("-1")])])
                ]),
            ])
            #expect(
                await Self.field { _ = try await engine.createRule(name: "bad", spec: bad, metadata: .object([:])) }
                    == "spec.properties.price_mapping[0].price"
            )
            #expect(
                await Self.field {
                    _ = try await engine.createRule(name: "", spec: Specs.nova([("a", "1")]), metadata: .object([:]))
                }
                    == "name"
            )
            #expect(
                await Self.field {
                    _ = try await engine.updateRule(rule.id, RuleUpdate(spec: Specs.cinder([(0, nil, "1")])))
                } == "spec.type"
            )
            let renamed = try await engine.updateRule(rule.id, RuleUpdate(name: "nova-2"))
            #expect(renamed.name == "nova-2")
            #expect(await Self.code { _ = try await engine.rule("missing") } == .notFound)
            let policy = try await engine.createPolicy(name: "p", ruleIDs: [rule.id], metadata: .object([:]))
            #expect(await Self.code { try await engine.deleteRule(rule.id) } == .conflict)
            _ = try await engine.removeRules(policyID: policy.id, ruleIDs: [rule.id])
            try await engine.deleteRule(rule.id)
            #expect(await Self.code { _ = try await engine.rule(rule.id) } == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func policiesHoldOneRulePerTypeAndOneDefault(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, _, _ in
            let first = try await Self.standardPolicy(engine)
            #expect(first.isDefault)
            #expect(first.rules.count == 2)
            let other = try await engine.createRule(
                name: "nova2",
                spec: Specs.nova([("m1.small", "9")]),
                metadata: .object([:])
            )
            #expect(
                await Self.field { _ = try await engine.addRules(policyID: first.id, ruleIDs: [other.id]) } == "rules"
            )
            let second = try await engine.createPolicy(name: "second", ruleIDs: [other.id], metadata: .object([:]))
            #expect(!second.isDefault)
            #expect(
                await Self.field { _ = try await engine.removeRules(policyID: second.id, ruleIDs: ["nope"]) } == "rules"
            )
            #expect(
                await Self.field {
                    _ = try await engine.createPolicy(name: "x", ruleIDs: ["no-such-rule"], metadata: .object([:]))
                } == "rules"
            )

            _ = try await engine.createUser(id: "p1", name: "one", messageID: nil)
            // p1 has no policy: it relies on the default, which can then be neither unset nor deleted.
            #expect(
                await Self.code { _ = try await engine.updatePolicy(first.id, PolicyUpdate(isDefault: false)) }
                    == .conflict
            )
            #expect(await Self.code { try await engine.deletePolicy(first.id) } == .conflict)
            let promoted = try await engine.updatePolicy(second.id, PolicyUpdate(isDefault: true))
            #expect(promoted.isDefault)
            #expect(try await engine.policy(first.id).isDefault == false)
            _ = try await engine.attachPolicy(userID: "p1", policyID: first.id)
            #expect(await Self.code { try await engine.deletePolicy(first.id) } == .conflict)
            let listed = try await engine.listPolicies(ListQuery(sortKeys: ["name"]))
            #expect(listed.map(\.name) == ["second", "standard"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func rechargeIsExactAndBounded(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, _, _ in
            _ = try await engine.createUser(id: "p1", name: nil, messageID: nil)
            for bad in ["0", "-5", "100000000.000000000001"] {
                #expect(
                    await Self.field {
                        _ = try await engine.recharge(
                            userID: "p1",
                            value: try Money(parsing: bad),
                            kind: .recharge,
                            metadata: .object([:])
                        )
                    } == "value"
                )
            }
            // A project not seen yet is created by its first recharge (its Keystone notification may be late).
            let newcomer = try await engine.recharge(
                userID: "newcomer",
                value: Money(integer: 1),
                kind: .recharge,
                metadata: .object([:])
            )
            #expect(newcomer.balance.description == "1")
            #expect(newcomer.status == .free)
            // A deleted project stays deleted: money is refused, not swallowed.
            try await engine.deleteUser(id: "newcomer", messageID: nil)
            #expect(
                await Self.code {
                    _ = try await engine.recharge(
                        userID: "newcomer",
                        value: Money(integer: 1),
                        kind: .recharge,
                        metadata: .object([:])
                    )
                } == .notFound
            )
            let user = try await engine.recharge(
                userID: "p1",
                value: try Money(parsing: "1.1"),
                kind: .recharge,
                metadata: .object([:])
            )
            #expect(user.balance.description == "1.1")
            #expect(user.status == .free)
            let max = try await engine.recharge(
                userID: "p1",
                value: Recharge.maximumValue,
                kind: .systemBonus,
                metadata: .object([:])
            )
            #expect(max.balance.description == "100000001.1")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aServerIsBilledFromCloudTimesThroughResizeAndDeletion(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, clock, _ in
            try await Self.standardPolicy(engine)
            _ = try await engine.createUser(id: "p1", name: "one", messageID: nil)
            _ = try await engine.recharge(
                userID: "p1",
                value: Money(integer: 100),
                kind: .recharge,
                metadata: .object([:])
            )
            // Processed much later than the cloud times: billing follows the cloud's clock.
            clock.set(Self.t0.adding(seconds: 86_400))
            _ = try await engine.apply([Self.event("m1", .create, "vm", ["flavor": .string("m1.small")], at: 0)])
            _ = try await engine.apply([Self.event("m2", .update, "vm", ["flavor": .string("m1.large")], at: 3600)])
            _ = try await engine.apply([Self.event("m3", .delete, "vm", [:], at: 7200)])
            let user = try await engine.user("p1")
            #expect(user.balance.description == "91.5")  // 100 − 1.5 − 7
            #expect(user.rate.isZero)
            let consumptions = try await engine.listConsumptions(ListQuery(userID: "p1"))
            #expect(consumptions.map(\.cost.description) == ["1.5", "7"])
            #expect(consumptions.map(\.cause) == [.update, .deletion])
            let resource = try await engine.resource("vm")
            #expect(resource.deletedAt == Self.t0.adding(seconds: 7200))
            #expect(resource.properties["flavor"] == .string("m1.large"))
            let events = try await engine.listEvents(
                ListQuery(filters: ["resource_type": ["os.nova.server"]], userID: "p1")
            )
            #expect(events.map(\.action) == ["create", "update", "delete"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func realTimeBalanceAndStatistics(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, clock, _ in
            try await Self.standardPolicy(engine)
            _ = try await engine.createUser(id: "p1", name: nil, messageID: nil)
            _ = try await engine.recharge(
                userID: "p1",
                value: Money(integer: 100),
                kind: .recharge,
                metadata: .object([:])
            )
            _ = try await engine.apply([
                Self.event("v1", .create, "vol", type: "os.cinder.volume", ["size": .number("10")], at: 0),
                Self.event("v2", .create, "vol2", type: "os.cinder.volume", ["size": .number("11")], at: 0),
            ])
            clock.set(Self.t0.adding(seconds: 1800))
            let user = try await engine.user("p1")
            #expect(user.balance.description == "98.75")  // 100 − (0.5 + 2) / 2
            #expect(user.status == .active)
            _ = try await engine.apply([
                Self.event("v3", .update, "vol", type: "os.cinder.volume", ["size": .number("11")], at: 900)
            ])
            // Window [0, 1800): vol 0.5/h for 900 s + 2/h for 900 s = 0.125 + 0.5; vol2 2/h for 1800 s = 1.
            let stats = try await engine.statistics(
                ListQuery(userID: "p1", start: Self.t0, end: Self.t0.adding(seconds: 1800)),
                summary: false
            )
            #expect(stats.map(\.cost.description) == ["0.625", "1"])
            let summary = try await engine.statistics(
                ListQuery(userID: "p1", start: Self.t0.adding(seconds: 900)),
                summary: true
            )
            #expect(summary.map(\.cost.description) == ["1"])  // both at 2/h for the last 900 s
            #expect(try await engine.user("p1").balance.description == "98.375")
        }
    }

    @Test(arguments: TestDatabase.available)
    func duplicatesLateEventsAndEarlyDeletions(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, clock, _ in
            try await Self.standardPolicy(engine)
            _ = try await engine.createUser(id: "p1", name: nil, messageID: nil)
            _ = try await engine.recharge(
                userID: "p1",
                value: Money(integer: 100),
                kind: .recharge,
                metadata: .object([:])
            )
            clock.set(Self.t0.adding(seconds: 10 * 3600))
            // A duplicate changes nothing.
            let create = Self.event("a1", .create, "a", ["flavor": .string("m1.small")], at: 0)
            #expect(try await engine.apply([create]) == [.applied])
            #expect(try await engine.apply([create, create]) == [.duplicate, .duplicate])
            // The same message twice in one batch is applied once; two resources in one message are both applied.
            let twice = Self.event("d1", .create, "d", ["flavor": .string("m1.small")], at: 0)
            #expect(try await engine.apply([twice, twice]) == [.applied, .duplicate])
            let other = Self.event("d1", .create, "d-bis", ["flavor": .string("m1.small")], at: 0)
            #expect(try await engine.apply([other]) == [.duplicate])
            _ = try await engine.apply([
                Self.event("d2", .delete, "d", [:], at: 0), Self.event("d2", .delete, "d-bis", [:], at: 0),
            ])
            #expect(try await engine.resource("d").deletedAt != nil)
            // A deletion that arrives before its creation is kept and applied when the creation comes.
            #expect(try await engine.apply([Self.event("b2", .delete, "b", [:], at: 7200)]) == [.applied])
            #expect(
                try await engine.apply([Self.event("b1", .create, "b", ["flavor": .string("m1.large")], at: 3600)]) == [
                    .applied
                ]
            )
            #expect(try await engine.resource("b").deletedAt == Self.t0.adding(seconds: 7200))
            // Settle a at 2 h, then a resize at 1 h arrives late: the second hour is re-rated (1.5 → 7).
            _ = try await engine.settle(userID: "p1", at: Self.t0.adding(seconds: 7200))
            _ = try await engine.apply([Self.event("a2", .update, "a", ["flavor": .string("m1.large")], at: 3600)])
            _ = try await engine.apply([Self.event("a3", .delete, "a", [:], at: 7200)])
            let consumptions = try await engine.listConsumptions(ListQuery(sortKeys: ["created_at"], userID: "p1"))
            let total = consumptions.reduce(Money.zero) { $0 + $1.cost }
            #expect(total.description == "15.5")  // a: 1.5 + 7; b: 7
            #expect(consumptions.contains { $0.cause == .rerate && $0.cost.description == "5.5" })
            #expect(try await engine.user("p1").balance.description == "84.5")
            // A deletion stamped before the creation costs nothing, never a negative amount.
            _ = try await engine.apply([Self.event("c2", .delete, "c", [:], at: 100)])
            _ = try await engine.apply([Self.event("c1", .create, "c", ["flavor": .string("m1.large")], at: 200)])
            #expect(try await engine.user("p1").balance.description == "84.5")
        }
    }

    @Test(arguments: TestDatabase.available)
    func unpricedResourcesCostZeroWithAWarning(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, clock, _ in
            _ = try await engine.apply([Self.event("n1", .create, "vm0", ["flavor": .string("m1.small")], at: 0)])
            try await Self.standardPolicy(engine)
            _ = try await engine.apply([Self.event("n2", .create, "vm1", ["flavor": .string("m9.huge")], at: 0)])
            clock.set(Self.t0.adding(seconds: 3600))
            let user = try await engine.user("p1")  // created by the first event, status INIT
            #expect(user.status == .initial)
            #expect(user.balance.isZero)
            let warnings = try await engine.listEvents(ListQuery(filters: ["level": ["WARNING"]], userID: "p1"))
            #expect(warnings.count == 2)
            #expect(warnings.allSatisfy { $0.statusReason?.contains("billed at 0") == true })
        }
    }

    @Test(arguments: TestDatabase.available)
    func jobsAreScheduledAtTheExactInstants(_ database: TestDatabase) async throws {
        let notifyFiveSecondsAhead: (inout Engine.Configuration) -> Void = { $0.priorNotifySeconds = 5 }
        try await Self.withEngine(database, configure: notifyFiveSecondsAhead) { engine, _, store in
            _ = try await engine.createRule(
                name: "n",
                spec: Specs.nova([("f", "1")], unit: "per_sec"),
                metadata: .object([:])
            )
            let rules = try await engine.listRules(ListQuery())
            _ = try await engine.createPolicy(name: "p", ruleIDs: rules.map(\.id), metadata: .object([:]))
            _ = try await engine.createUser(id: "p1", name: nil, messageID: nil)
            _ = try await engine.recharge(
                userID: "p1",
                value: Money(integer: 10),
                kind: .recharge,
                metadata: .object([:])
            )
            _ = try await engine.apply([Self.event("j1", .create, "vm", ["flavor": .string("f")], at: 0)])
            // 10 at 1/s: notify when 5 s of money is left (t0 + 5 s), freeze at 0 (t0 + 10 s).
            let user = try await engine.user("p1")
            #expect(user.status == .active)
            #expect(user.rate.perSecondForDisplay.description == "1")
            let jobs = try await store.withTransaction { try await $0.jobs(userID: "p1") }
            // And the daily settlement at the next midnight UTC (t0 is 22:13:20).
            let midnight = TimeOfDay.midnight.nextOccurrence(after: Self.t0)
            #expect(jobs.map(\.kind) == [.notify, .freeze, .daily])
            #expect(jobs.map(\.runAt) == [Self.t0.adding(seconds: 5), Self.t0.adding(seconds: 10), midnight])
            // A recharge of 10 more pushes both back by 10 s.
            _ = try await engine.recharge(
                userID: "p1",
                value: Money(integer: 10),
                kind: .recharge,
                metadata: .object([:])
            )
            let later = try await store.withTransaction { try await $0.jobs(userID: "p1") }
            #expect(later.map(\.runAt) == [Self.t0.adding(seconds: 15), Self.t0.adding(seconds: 20), midnight])
            #expect(
                try await engine.validateCreation(
                    userID: "p1",
                    resources: [ResourceSpec(resourceType: "os.nova.server", properties: ["flavor": .string("f")])],
                    count: 1
                ) == false
            )
        }
    }

    @Test(arguments: TestDatabase.available)
    func listsRejectUnknownKeysAndPageWithMarkers(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, _, _ in
            for index in 0..<7 {
                _ = try await engine.createUser(id: "user-\(index)", name: "n\(index)", messageID: nil)
            }
            #expect(
                await Self.field { _ = try await engine.listUsers(ListQuery(sortKeys: ["password"])) } == "sort_keys"
            )
            #expect(await Self.field { _ = try await engine.listUsers(ListQuery(limit: 0)) } == "limit")
            #expect(await Self.field { _ = try await engine.listUsers(ListQuery(filters: ["1=1": ["x"]])) } == "1=1")
            let first = try await engine.listUsers(ListQuery(limit: 3, sortKeys: ["name"]))
            let second = try await engine.listUsers(ListQuery(limit: 10, marker: first.last?.id, sortKeys: ["name"]))
            #expect((first + second).map(\.id) == (0..<7).map { "user-\($0)" })
            try await engine.deleteUser(id: "user-0", messageID: "k1")
            try await engine.deleteUser(id: "user-0", messageID: "k1")  // redelivered: nothing happens
            #expect(await Self.code { _ = try await engine.user("user-0") } == .notFound)
            #expect(try await engine.listUsers(ListQuery(showDeleted: true)).count == 7)
            #expect(try await engine.listUsers(ListQuery()).count == 6)
            // identity.project.created redelivered after identity.project.deleted: nothing changes.
            _ = try await engine.createUser(id: "user-9", name: "nine", messageID: "kc")
            try await engine.deleteUser(id: "user-9", messageID: "kd")
            let again = try await engine.createUser(id: "user-9", name: "nine", messageID: "kc")
            #expect(again.deletedAt != nil)
            #expect(await Self.code { _ = try await engine.user("user-9") } == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentEnginesSerialisePerUser(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let clock = ManualNow(Self.t0.adding(seconds: 86_400))
            let engines = (0..<4).map { _ in
                Engine(store: store, now: clock.source, logger: TestDatabase.logger)
            }
            try await Self.standardPolicy(engines[0])
            for user in ["p1", "p2", "p3"] {
                _ = try await engines[0].createUser(id: user, name: nil, messageID: nil)
                _ = try await engines[0].recharge(
                    userID: user,
                    value: Money(integer: 1000),
                    kind: .recharge,
                    metadata: .object([:])
                )
            }
            // Four engines apply batches for the same three users at once: each server runs one hour at 1.5/h
            // then is deleted, so every user pays exactly 1.5 per server.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, engine) in engines.enumerated() {
                    group.addTask {
                        for round in 0..<6 {
                            var batch: [ResourceEvent] = []
                            for user in ["p1", "p2", "p3"] {
                                let vm = "vm-\(index)-\(round)-\(user)"
                                batch.append(
                                    Self.event(
                                        "\(vm)-c",
                                        .create,
                                        vm,
                                        user: user,
                                        ["flavor": .string("m1.small")],
                                        at: 0
                                    )
                                )
                                batch.append(Self.event("\(vm)-d", .delete, vm, user: user, [:], at: 3600))
                            }
                            _ = try await engine.apply(batch)
                        }
                    }
                }
                try await group.waitForAll()
            }
            for user in ["p1", "p2", "p3"] {
                #expect(try await engines[1].user(user).balance.description == "964")  // 1000 − 24 × 1.5
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func eventsAreBilledToTheResourceOwner(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, clock, _ in
            try await Self.standardPolicy(engine)
            clock.set(Self.t0.adding(seconds: 86_400))
            _ = try await engine.apply([
                Self.event("o1", .create, "vm", user: "owner", ["flavor": .string("m1.small")], at: 0)
            ])
            // The deletion names another project (a transfer, a bad payload): the owner pays, and no account is
            // opened for the other project.
            _ = try await engine.apply([Self.event("o2", .delete, "vm", user: "other", [:], at: 3600)])
            #expect(try await engine.user("owner").balance.description == "-1.5")
            #expect(try await engine.user("owner").rate.isZero)
            #expect(await Self.code { _ = try await engine.user("other") } == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDeletedProjectStopsBeingBilledAndHasNoJobs(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, clock, store in
            try await Self.standardPolicy(engine)
            _ = try await engine.createUser(id: "p1", name: nil, messageID: nil)
            _ = try await engine.recharge(
                userID: "p1",
                value: Money(integer: 10),
                kind: .recharge,
                metadata: .object([:])
            )
            _ = try await engine.apply([Self.event("x1", .create, "vm", ["flavor": .string("m1.small")], at: 0)])
            clock.set(Self.t0.adding(seconds: 3600))
            try await engine.deleteUser(id: "p1", messageID: "kd")
            // A late event for the orphan server changes nothing after the deletion.
            clock.set(Self.t0.adding(seconds: 7200))
            _ = try await engine.apply([Self.event("x2", .delete, "vm", [:], at: 7200)])
            let jobs = try await store.withTransaction { try await $0.jobs(userID: "p1") }
            #expect(jobs.isEmpty)
            let consumptions = try await engine.listConsumptions(ListQuery(userID: "p1"))
            #expect(consumptions.reduce(Money.zero) { $0 + $1.cost }.description == "1.5")
            #expect(try await engine.resource("vm").deletedAt == Self.t0.adding(seconds: 3600))
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentPolicyCreationsMakeOneDefault(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let engine = Engine(store: store, logger: TestDatabase.logger)
            let policies = try await withThrowingTaskGroup(of: Policy.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await engine.createPolicy(name: "p\(index)", ruleIDs: [], metadata: .object([:]))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(policies.filter(\.isDefault).count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLateEventIsPricedUnderThePolicyInForceAtItsCloudTime(_ database: TestDatabase) async throws {
        try await Self.withEngine(database) { engine, clock, _ in
            let cheap = try await engine.createRule(
                name: "cheap",
                spec: Specs.nova([("small", "1"), ("large", "2")]),
                metadata: .object([:])
            )
            let dear = try await engine.createRule(
                name: "dear",
                spec: Specs.nova([("small", "10"), ("large", "20")]),
                metadata: .object([:])
            )
            _ = try await engine.createPolicy(name: "p1", ruleIDs: [cheap.id], metadata: .object([:]))  // default
            let p2 = try await engine.createPolicy(name: "p2", ruleIDs: [dear.id], metadata: .object([:]))
            for (user, late) in [("in-order", false), ("late", true)] {
                clock.set(Self.t0)
                _ = try await engine.createUser(id: user, name: nil, messageID: nil)
                _ = try await engine.recharge(
                    userID: user,
                    value: Money(integer: 1000),
                    kind: .recharge,
                    metadata: .object([:])
                )
                let vm = "vm-\(user)"
                let create = Self.event("\(vm)-1", .create, vm, user: user, ["flavor": .string("small")], at: 0)
                let resize = Self.event("\(vm)-2", .update, vm, user: user, ["flavor": .string("large")], at: 3600)
                _ = try await engine.apply([create])
                if !late { _ = try await engine.apply([resize]) }
                clock.set(Self.t0.adding(seconds: 7200))
                _ = try await engine.attachPolicy(userID: user, policyID: p2.id)
                clock.set(Self.t0.adding(seconds: 3 * 3600))
                if late { _ = try await engine.apply([resize]) }
                let settled = try await engine.settle(userID: user, at: Self.t0.adding(seconds: 3 * 3600))
                // small at 1/h for 1 h, large at 2/h (policy p1) for 1 h, large at 20/h (p2) for 1 h.
                #expect(settled.balance.description == "977", "\(user)")
                #expect(settled.rate.perHourAmount.description == "20", "\(user)")
                #expect(try await engine.resource(vm).properties["flavor"] == .string("large"))
            }
        }
    }
}
