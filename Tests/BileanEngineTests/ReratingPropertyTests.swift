import BileanCore
import BileanEngine
import BileanStore
import BileanTestSupport
import Foundation
import PropertyBased
import Testing

/// Shadow re-rating over random event sequences (the billing property tests' scenarios): a quarter of the events
/// is held back, the rest delivered in a random order with duplicates and settlements; then
/// preview ≡ apply ≡ a fresh replay under the draft prices, exactly: the preview's differences are what the apply
/// takes from each balance, and the balances after the apply equal those of an engine that billed the same events
/// under the draft rules from the start. The held-back events, delivered late after the apply, keep both engines
/// equal (they replay at the re-rated prices), and the ledger identity holds throughout.
@Suite("Re-rating properties")
struct ReratingPropertyTests {
    typealias Base = BillingPropertyTests

    /// The draft: other prices for every flavor and every volume tier.
    static let draftFlavors = [("m1.tiny", "0.0456"), ("m1.small", "2.25"), ("m1.large", "9.1"), ("m1.odd", "0.7777")]
    static let draftTiers: [(Int, Int?, String)] = [(1, 10, "0.00015"), (11, 100, "0.0001"), (101, nil, "0.000011")]

    /// Creates the rules (billed, or the draft's) and the default policy; returns the Cinder rule.
    static func pricing(_ engine: Engine, draft: Bool) async throws -> Rule {
        let nova = try await engine.createRule(
            name: "nova",
            spec: Specs.nova(draft ? Self.draftFlavors : Base.flavors.map { ($0.0, $0.1) }),
            metadata: .object([:])
        )
        let cinder = try await engine.createRule(
            name: "cinder",
            spec: Specs.cinder(draft ? Self.draftTiers : Base.tiers.map { ($0.0, $0.1, $0.2) }, unit: "per_sec"),
            metadata: .object([:])
        )
        _ = try await engine.createPolicy(name: "default", ruleIDs: [nova.id, cinder.id], metadata: .object([:]))
        return cinder
    }

    static func balances(_ engine: Engine, _ users: [String]) async throws -> [String: Money] {
        var result: [String: Money] = [:]
        for user in users { result[user] = try await engine.user(user).balance }
        return result
    }

    /// Delivers events in batches of 1 to 6.
    static func deliver(
        _ events: [ResourceEvent],
        to engine: Engine,
        rng: inout BileanTestSupport.SeededRandomNumberGenerator
    ) async throws {
        var index = 0
        while index < events.count {
            let size = Int.random(in: 1...6, using: &rng)
            _ = try await engine.apply(Array(events[index..<min(index + size, events.count)]))
            index += size
        }
    }

    /// recharges − consumptions = balance, exactly.
    static func expectLedger(_ store: SQLBillingStore, _ users: [String], seed: UInt64) async throws {
        for user in users {
            try await store.withTransaction { transaction in
                let stored = try #require(try await transaction.user(user, lock: false))
                let recharged = try await transaction.recharges(userID: user).reduce(Money.zero) { $0 + $1.value }
                let consumed = try await transaction.consumptions(userID: user, overlapping: nil, nil)
                    .reduce(Money.zero) { $0 + $1.cost }
                #expect(recharged - consumed == stored.balance, "ledger identity for \(user) (seed \(seed))")
            }
        }
    }

    /// Runs one scenario.
    /// - Returns: How many users the apply changed (so that the run cannot pass on drafts that change nothing).
    static func check(seed: UInt64, on database: TestDatabase) async throws -> Int {
        let scenario = Base.scenario(seed: seed, prefix: "")
        var rng = BileanTestSupport.SeededRandomNumberGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        var early: [ResourceEvent] = []
        var late: [ResourceEvent] = []
        for step in scenario.steps {
            guard case .event(let event) = step else { continue }
            if Int.random(in: 0..<4, using: &rng) == 0 { late.append(event) } else { early.append(event) }
        }
        var delivered = early
        for event in early where Int.random(in: 0..<5, using: &rng) == 0 { delivered.append(event) }
        delivered.shuffle(using: &rng)
        late.shuffle(using: &rng)
        let end = Base.t0.adding(seconds: Base.endSeconds)
        return try await database.withStore { billedStore in
            try await database.withStore { freshStore in
                let clock = ManualNow(end)
                // One user per transaction of the apply: the batches and their progress are exercised.
                var configuration = Engine.Configuration()
                configuration.reratingBatchUsers = 1
                let billed = Engine(
                    store: billedStore,
                    configuration: configuration,
                    now: clock.source,
                    logger: TestDatabase.logger
                )
                let fresh = Engine(store: freshStore, now: clock.source, logger: TestDatabase.logger)
                let cinder = try await Self.pricing(billed, draft: false)
                _ = try await Self.pricing(fresh, draft: true)
                for engine in [billed, fresh] {
                    for user in scenario.users {
                        _ = try await engine.createUser(id: user, name: nil, messageID: nil)
                        _ = try await engine.recharge(
                            userID: user,
                            value: Money(integer: 1_000_000),
                            kind: .recharge,
                            metadata: .object([:])
                        )
                    }
                }
                try await Self.deliver(delivered, to: billed, rng: &rng)
                for user in scenario.users where Bool.random(using: &rng) {
                    let instant = Base.t0.adding(seconds: Int64.random(in: 0...Base.endSeconds, using: &rng))
                    _ = try await billed.settle(userID: user, at: instant)
                }
                try await Self.deliver(early.sorted { $0.messageID < $1.messageID }, to: fresh, rng: &rng)

                // The window covers every event: the draft replaces the prices of the whole history.
                let request = ReratingRequest(
                    startTime: Base.t0.adding(seconds: -3600),
                    endTime: end,
                    rules: [
                        ReratingDraft(spec: Specs.nova(Self.draftFlavors)),
                        ReratingDraft(ruleID: cinder.id, spec: Specs.cinder(Self.draftTiers, unit: "per_sec")),
                    ]
                )
                let before = try await Self.balances(billed, scenario.users)
                let preview = try await billed.previewRerating(request)
                #expect(try await Self.balances(billed, scenario.users) == before, "a preview changes nothing")
                let applied = try await billed.applyRerating(previewID: preview.id, reason: "property \(seed)")
                #expect(applied.lines == preview.lines, "apply ≡ preview (seed \(seed))")
                let after = try await Self.balances(billed, scenario.users)
                var changed = 0
                for user in scenario.users {
                    let difference = preview.lines.filter { $0.userID == user }.reduce(Money.zero) {
                        $0 + $1.difference
                    }
                    #expect(before[user]! - after[user]! == difference, "preview ≡ apply for \(user) (seed \(seed))")
                    if !difference.isZero { changed += 1 }
                }
                #expect(
                    try await Self.balances(fresh, scenario.users) == after,
                    "apply ≡ a fresh replay under the draft (seed \(seed))"
                )
                try await Self.expectLedger(billedStore, scenario.users, seed: seed)

                // The held-back events arrive after the apply: they replay at the re-rated prices.
                try await Self.deliver(late, to: billed, rng: &rng)
                try await Self.deliver(late, to: fresh, rng: &rng)
                #expect(
                    try await Self.balances(billed, scenario.users) == Self.balances(fresh, scenario.users),
                    "late events after the apply ≡ a fresh replay (seed \(seed))"
                )
                try await Self.expectLedger(billedStore, scenario.users, seed: seed)
                return changed
            }
        }
    }

    @Test("preview ≡ apply ≡ fresh replay under the draft, late events too, on SQLite")
    func propertiesOnSQLite() async {
        var changed = 0
        await propertyCheck(count: Base.count, input: Gen.int(in: 0...Int.max)) { seed in
            changed += try await Self.check(seed: UInt64(seed), on: .sqlite)
        }
        #expect(changed > 0, "no apply changed a balance, so the properties checked nothing")
    }

    @Test(
        "preview ≡ apply ≡ fresh replay under the draft, late events too, on PostgreSQL",
        .enabled(if: TestDatabase.available.contains(.postgres), "BILEAN_TEST_POSTGRES_URL is not set")
    )
    func propertiesOnPostgres() async {
        var changed = 0
        await propertyCheck(count: max(5, Base.count / 3), input: Gen.int(in: 0...Int.max)) { seed in
            changed += try await Self.check(seed: UInt64(seed), on: .postgres)
        }
        #expect(changed > 0, "no apply changed a balance, so the properties checked nothing")
    }
}
