import BileanCore
import BileanEngine
import BileanStore
import BileanTestSupport
import Testing

/// `os.generic` rules through the engine, over a real store: Octavia load balancers by flavor, Manila shares per GB.
@Suite("Generic rules in the engine")
struct GenericRuleEngineTests {
    static let smallFlavor = "a7ae5d5a-d855-4f9a-b187-af66b53f4d04"
    static let largeFlavor = "0f4c2e1d-9b8a-4c7d-a6e5-f4d3c2b1a090"

    /// Load balancers: the small flavor at 0.02 per hour, the large one at 0.1.
    static let octavia = JSONValue.object([
        "type": .string("os.generic"), "version": .number("1.0"),
        "properties": .object([
            "resource_type": .string("os.octavia.loadbalancer"),
            "unit": .string("per_hour"),
            "price_mapping": .object([
                "property": .string("flavor_id"),
                "prices": .array([
                    .object(["value": .string(smallFlavor), "price": .number("0.02")]),
                    .object(["value": .string(largeFlavor), "price": .string("0.1")]),
                ]),
            ]),
        ]),
    ])

    /// Shares per GB per hour: 0–100 GB at 0.001, 101 GB and more at 0.0008.
    static let manila = JSONValue.object([
        "type": .string("os.generic"), "version": .string("1.0"),
        "properties": .object([
            "resource_type": .string("os.manila.share"),
            "per_unit": .object([
                "property": .string("size"),
                "tiers": .array([
                    .object(["start": .number("0"), "end": .number("100"), "price": .string("0.001")]),
                    .object(["start": .number("101"), "price": .string("0.0008")]),
                ]),
            ]),
        ]),
    ])

    /// The spec as stored: the same object, its version as text.
    static func stored(_ spec: JSONValue) -> JSONValue {
        guard case .object(var object) = spec else { return spec }
        object["version"] = .string("1.0")
        return .object(object)
    }

    @Test(arguments: TestDatabase.available)
    func rulesKeepTheirSpecAndAreTypedByTheirResourceType(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, _, _ in
            let octavia = try await engine.createRule(name: "lb", spec: Self.octavia, metadata: .object([:]))
            let manila = try await engine.createRule(name: "shares", spec: Self.manila, metadata: .object([:]))
            #expect(octavia.type == "os.octavia.loadbalancer-1.0")
            #expect(octavia.resourceType == "os.octavia.loadbalancer")
            #expect(manila.type == "os.manila.share-1.0")
            #expect(octavia.spec == Self.stored(Self.octavia))
            #expect(manila.spec == Self.manila)
            #expect(try await engine.rule(octavia.id) == octavia)
            let listed = try await engine.listRules(ListQuery(filters: ["type": ["os.manila.share-1.0"]]))
            #expect(listed.map(\.id) == [manila.id])

            // The resource type cannot change, nor be one with its own plugin.
            let moved = JSONValue.object([
                "type": .string("os.generic"), "version": .string("1.0"),
                "properties": .object([
                    "resource_type": .string("os.manila.snapshot"),
                    "per_unit": Self.manila["properties"]?["per_unit"] ?? .null,
                ]),
            ])
            #expect(
                await EngineTests.field { _ = try await engine.updateRule(manila.id, RuleUpdate(spec: moved)) }
                    == "spec.properties.resource_type"
            )
            let own = JSONValue.object([
                "type": .string("os.generic"), "version": .string("1.0"),
                "properties": .object([
                    "resource_type": .string("os.nova.server"),
                    "price_mapping": Self.octavia["properties"]?["price_mapping"] ?? .null,
                ]),
            ])
            #expect(
                await EngineTests.code { _ = try await engine.createRule(name: "x", spec: own, metadata: .object([:])) }
                    == .invalidInput
            )
            #expect(
                await EngineTests.field {
                    _ = try await engine.createRule(name: "x", spec: own, metadata: .object([:]))
                } == "spec.properties.resource_type"
            )
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPolicyHoldsOneRulePerResourceType(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, _, _ in
            let octavia = try await engine.createRule(name: "lb", spec: Self.octavia, metadata: .object([:]))
            let manila = try await engine.createRule(name: "shares", spec: Self.manila, metadata: .object([:]))
            let nova = try await engine.createRule(
                name: "nova",
                spec: Specs.nova([("m1.small", "1")]),
                metadata: .object([:])
            )
            let policy = try await engine.createPolicy(
                name: "p",
                ruleIDs: [octavia.id, manila.id, nova.id],
                metadata: .object([:])
            )
            #expect(
                Set(policy.rules.map(\.type))
                    == ["os.octavia.loadbalancer-1.0", "os.manila.share-1.0", "os.nova.server-1.0"]
            )
            let second = try await engine.createRule(name: "lb2", spec: Self.octavia, metadata: .object([:]))
            #expect(
                await EngineTests.field { _ = try await engine.addRules(policyID: policy.id, ruleIDs: [second.id]) }
                    == "rules"
            )
            #expect(
                await EngineTests.code {
                    _ = try await engine.createPolicy(
                        name: "q",
                        ruleIDs: [octavia.id, second.id],
                        metadata: .object([:])
                    )
                } == .invalidInput
            )
        }
    }

    @Test(arguments: TestDatabase.available)
    func loadBalancersAndSharesAreBilledExactly(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, clock, _ in
            let octavia = try await engine.createRule(name: "lb", spec: Self.octavia, metadata: .object([:]))
            let manila = try await engine.createRule(name: "shares", spec: Self.manila, metadata: .object([:]))
            _ = try await engine.createPolicy(name: "p", ruleIDs: [octavia.id, manila.id], metadata: .object([:]))
            _ = try await engine.createUser(id: "p1", name: "one", messageID: nil)
            _ = try await engine.recharge(
                userID: "p1",
                value: Money(integer: 100),
                kind: .recharge,
                metadata: .object([:])
            )
            clock.set(EngineTests.t0.adding(seconds: 86_400))
            let lb = "os.octavia.loadbalancer"
            let share = "os.manila.share"
            _ = try await engine.apply([
                EngineTests.event("o1", .create, "lb1", type: lb, ["flavor_id": .string(Self.smallFlavor)], at: 0),
                EngineTests.event("s1", .create, "share1", type: share, ["size": .number("100")], at: 0),
            ])
            #expect(try await engine.resource("lb1").ruleID == octavia.id)
            #expect(try await engine.resource("share1").ruleID == manila.id)
            _ = try await engine.apply([
                EngineTests.event("s2", .update, "share1", type: share, ["size": .number("150")], at: 3600)
            ])
            _ = try await engine.apply([
                EngineTests.event("s3", .update, "share1", type: share, ["size": .number("101")], at: 5400)
            ])
            _ = try await engine.apply([
                EngineTests.event("o2", .delete, "lb1", type: lb, [:], at: 7200),
                EngineTests.event("s4", .delete, "share1", type: share, [:], at: 7200),
            ])
            // lb1: 0.02 × 2 h = 0.04. share1: 100 × 0.001 × 1 h = 0.1; 150 × 0.0008 × 0.5 h = 0.06;
            // 101 × 0.0008 × 0.5 h = 0.0404 (tiers chosen by the size, bounds inclusive).
            let lbs = try await engine.listConsumptions(ListQuery(filters: ["resource_type": [lb]], userID: "p1"))
            #expect(lbs.map(\.cost.description) == ["0.04"])
            let shares = try await engine.listConsumptions(ListQuery(filters: ["resource_type": [share]], userID: "p1"))
            #expect(shares.map(\.cost.description) == ["0.1", "0.06", "0.0404"])
            let user = try await engine.user("p1")
            #expect(user.balance.description == "99.7596")  // 100 − 0.04 − 0.2004
            #expect(user.rate.isZero)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anUnpricedValueCostsZeroWithAWarning(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, _, _ in
            let octavia = try await engine.createRule(name: "lb", spec: Self.octavia, metadata: .object([:]))
            _ = try await engine.createPolicy(name: "p", ruleIDs: [octavia.id], metadata: .object([:]))
            _ = try await engine.apply([
                EngineTests.event(
                    "o1",
                    .create,
                    "lb1",
                    type: "os.octavia.loadbalancer",
                    ["provider": .string("ovn")],
                    at: 0
                )
            ])
            let resource = try await engine.resource("lb1")
            #expect(resource.rate.isZero)
            #expect(resource.ruleID == octavia.id)
            let warnings = try await engine.listEvents(ListQuery(filters: ["level": ["WARNING"]], userID: "p1"))
            #expect(warnings.map(\.objectID) == ["lb1"])
        }
    }
}
