import BileanCore
import BileanEngine
import BileanStore
import BileanTestSupport
import Testing

/// Shadow re-rating through the engine, over a real store: what a preview prices, what an apply records, and
/// how late events replay over a re-rated window.
@Suite("Shadow re-rating")
struct ReratingTests {
    static let hour: Int64 = 3600
    static let small: [String: JSONValue] = ["flavor": .string("m1.small")]
    static let large: [String: JSONValue] = ["flavor": .string("m1.large")]
    /// The draft: m1.small at 3 per hour (billed 1.5), m1.large at 10 (billed 7).
    static let draftNova = Specs.nova([("m1.small", "3"), ("m1.large", "10")])

    static func money(_ text: String) throws -> Money { try Money(parsing: text) }

    /// One server, m1.small from 0 h, m1.large from 10 h; the clock at 30 h; 1000 recharged.
    static func resizedServer(_ engine: Engine, _ clock: ManualNow) async throws {
        try await EngineTests.standardPolicy(engine)
        _ = try await engine.recharge(userID: "p1", value: try money("1000"), kind: .recharge, metadata: .object([:]))
        _ = try await engine.apply([EngineTests.event("m1", .create, "s1", Self.small, at: 0)])
        _ = try await engine.apply([EngineTests.event("m2", .update, "s1", Self.large, at: 10 * Self.hour)])
        clock.set(EngineTests.t0.adding(seconds: 30 * Self.hour))
    }

    static func window(from start: Int64, to end: Int64, rules: [ReratingDraft]) -> ReratingRequest {
        ReratingRequest(
            startTime: EngineTests.t0.adding(seconds: start * Self.hour),
            endTime: EngineTests.t0.adding(seconds: end * Self.hour),
            rules: rules
        )
    }

    @Test(arguments: TestDatabase.available)
    func aPreviewPricesTheWindowExactlyAndChangesNothing(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, clock, store in
            try await Self.resizedServer(engine, clock)
            let before = try await engine.user("p1")
            let linesBefore = try await store.withTransaction {
                try await $0.consumptions(userID: nil, overlapping: nil, nil)
            }
            let preview = try await engine.previewRerating(
                Self.window(from: 5, to: 15, rules: [ReratingDraft(spec: Self.draftNova)])
            )
            // Billed: 5 h at 1.5 and 5 h at 7 = 42.5; drafted: 5 h at 3 and 5 h at 10 = 65.
            #expect(
                preview.lines == [
                    ReratingLine(
                        userID: "p1",
                        resourceType: "os.nova.server",
                        resources: 1,
                        current: try Self.money("42.5"),
                        draft: try Self.money("65")
                    )
                ]
            )
            #expect(preview.lines.first?.difference == (try Self.money("22.5")))
            #expect(try await engine.user("p1").balance == before.balance)
            let linesAfter = try await store.withTransaction {
                try await $0.consumptions(userID: nil, overlapping: nil, nil)
            }
            #expect(linesAfter == linesBefore)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anApplyRecordsTheDifferenceOnceWithItsReason(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, clock, store in
            try await Self.resizedServer(engine, clock)
            let before = try await engine.user("p1")
            let preview = try await engine.previewRerating(
                Self.window(from: 5, to: 15, rules: [ReratingDraft(spec: Self.draftNova)])
            )
            let applied = try await engine.applyRerating(previewID: preview.id, reason: "flavor prices of November")
            #expect(applied.lines == preview.lines)
            #expect(applied.reason == "flavor prices of November")
            let after = try await engine.user("p1")
            #expect(before.balance - after.balance == (try Self.money("22.5")))
            let rerates = try await store.withTransaction { transaction in
                try await transaction.consumptions(userID: "p1", overlapping: nil, nil).filter { $0.cause == .rerate }
            }
            #expect(!rerates.isEmpty)
            #expect(rerates.reduce(Money.zero) { $0 + $1.cost } == (try Self.money("22.5")))
            #expect(rerates.allSatisfy { $0.reason == "flavor prices of November" && $0.reratingID == preview.id })
            // Each line is its rate × its duration: 5 h at +1.5 and 5 h at +3.
            #expect(Set(rerates.map(\.cost)) == [try Self.money("7.5"), try Self.money("15")])
            #expect(applied.consumptions == rerates.count + 1)  // and the settlement up to the window's end

            // Idempotent by preview id.
            let again = try await engine.applyRerating(previewID: preview.id, reason: "another reason")
            #expect(again == applied)
            #expect(try await engine.user("p1").balance == after.balance)

            // After the window the billed rate is back: m1.large at 7 per hour.
            #expect(after.rate == Rate(unitsPerHour: 7 * 1_000_000_000_000))
            clock.advance(seconds: Self.hour)
            #expect(after.balance - (try await engine.user("p1").balance) == (try Self.money("7")))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLateEventReplaysAtTheReratedPrices(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, clock, _ in
            try await Self.resizedServer(engine, clock)
            let preview = try await engine.previewRerating(
                Self.window(from: 5, to: 15, rules: [ReratingDraft(spec: Self.draftNova)])
            )
            _ = try await engine.applyRerating(previewID: preview.id, reason: "correction")
            // A resize back to m1.small at 12 h arrives late; and a server created at 8 h arrives whole, late.
            _ = try await engine.apply([EngineTests.event("m3", .update, "s1", Self.small, at: 12 * Self.hour)])
            _ = try await engine.apply([EngineTests.event("m4", .create, "s2", Self.small, at: 8 * Self.hour)])
            _ = try await engine.apply([EngineTests.event("m5", .update, "s2", Self.large, at: 9 * Self.hour)])
            // In order under the draft within [5 h, 15 h): s1: 5 h at 1.5, 5 h at 3, 2 h at 10, 3 h at 3, then
            // 15 h at 1.5 = 74; s2: 1 h at 3, 6 h at 10, then 15 h at 7 = 168.
            #expect(try await engine.user("p1").balance == (try Self.money("758")))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDraftWithARuleIDRepricesOnlyThatRulesStretches(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, clock, _ in
            let standard = try await EngineTests.standardPolicy(engine)
            let premium = try await engine.createRule(
                name: "premium nova",
                spec: Specs.nova([("m1.small", "2"), ("m1.large", "8")]),
                metadata: .object([:])
            )
            let other = try await engine.createPolicy(name: "premium", ruleIDs: [premium.id], metadata: .object([:]))
            _ = try await engine.createUser(id: "p2", name: nil, messageID: nil)
            _ = try await engine.attachPolicy(userID: "p2", policyID: other.id)
            _ = try await engine.apply([
                EngineTests.event("m1", .create, "s1", Self.small, at: 0),
                EngineTests.event("m2", .create, "s2", user: "p2", Self.small, at: 0),
            ])
            clock.set(EngineTests.t0.adding(seconds: 10 * Self.hour))
            let novaRule = try #require(standard.rules.first { $0.resourceType == "os.nova.server" })
            let preview = try await engine.previewRerating(
                Self.window(from: 0, to: 10, rules: [ReratingDraft(ruleID: novaRule.id, spec: Self.draftNova)])
            )
            let byUser = Dictionary(uniqueKeysWithValues: preview.lines.map { ($0.userID, $0) })
            #expect(byUser["p1"]?.difference == (try Self.money("15")))
            #expect(byUser["p2"]?.difference == .zero)
            #expect(byUser["p2"]?.current == (try Self.money("20")))
            // Restricted to the premium policy's users: p1 is left out.
            var restricted = Self.window(from: 0, to: 10, rules: [ReratingDraft(spec: Self.draftNova)])
            restricted.policyID = other.id
            let premiumOnly = try await engine.previewRerating(restricted)
            #expect(premiumOnly.lines.map(\.userID) == ["p2"])
            #expect(premiumOnly.lines.first?.difference == (try Self.money("10")))
        }
    }

    @Test(arguments: TestDatabase.available)
    func badRequestsAreRefusedByField(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, clock, _ in
            try await Self.resizedServer(engine, clock)
            let draft = ReratingDraft(spec: Self.draftNova)
            func field(_ request: ReratingRequest) async -> String? {
                do {
                    _ = try await engine.previewRerating(request)
                    return nil
                } catch let error as BileanError {
                    return error.code == .invalidInput ? error.field : "\(error.code)"
                } catch {
                    return "\(error)"
                }
            }
            #expect(await field(Self.window(from: 5, to: 15, rules: [])) == "rules")
            #expect(await field(Self.window(from: 15, to: 5, rules: [draft])) == "end_time")
            #expect(await field(Self.window(from: 5, to: 31, rules: [draft])) == "end_time")
            #expect(await field(Self.window(from: 5, to: 15, rules: [draft, draft])) == "rules")
            #expect(
                await field(Self.window(from: 5, to: 15, rules: [ReratingDraft(ruleID: "nope", spec: Self.draftNova)]))
                    == "rules[0].id"
            )
            #expect(
                await field(Self.window(from: 5, to: 15, rules: [ReratingDraft(spec: .object(["type": .string("x")]))]))
                    == "rules[0].spec"
            )
            var unknownUser = Self.window(from: 5, to: 15, rules: [draft])
            unknownUser.userIDs = ["nobody"]
            #expect(await field(unknownUser) == "notFound")
            var unknownPolicy = Self.window(from: 5, to: 15, rules: [draft])
            unknownPolicy.policyID = "nope"
            #expect(await field(unknownPolicy) == "notFound")
            #expect(
                await EngineTests.code { _ = try await engine.applyRerating(previewID: "nope", reason: "x") }
                    == .notFound
            )
            let preview = try await engine.previewRerating(Self.window(from: 5, to: 15, rules: [draft]))
            #expect(
                await EngineTests.code { _ = try await engine.applyRerating(previewID: preview.id, reason: " ") }
                    == .invalidInput
            )
        }
    }
}
