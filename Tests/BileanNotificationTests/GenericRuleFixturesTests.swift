import BileanCore
import Foundation
import Testing

@testable import BileanNotification

/// This repository's Octavia and Manila fixtures (`Fixtures/`, sources in its README) through the parser and the
/// shipped definitions, then priced by `os.generic` rules: the exact facts and rates.
@Suite("Octavia and Manila fixtures")
struct GenericRuleFixturesTests {
    static let loadBalancer = "5f2b0d5e-3c1a-4a57-8f43-6a3f6f1e2b90"
    static let loadBalancerProject = "b1c0ffee00000000000000000000beef"
    static let share = "3e0a9bd7-1f6f-4d2b-9c5e-0b1d2f3a4c5d"
    static let shareProject = "c0ffee00c0ffee00c0ffee00c0ffee00"
    static let flavor = "a7ae5d5a-d855-4f9a-b187-af66b53f4d04"

    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return Array(try Data(contentsOf: url))
    }

    static func facts(_ name: String) throws -> [BillingFact] {
        let converter = NotificationConverter(definitions: try ResourceDefinitions.shipped())
        let notification = try NotificationParser().parse(try Self.bytes(name))
        guard case .facts(let facts) = try converter.convert(notification) else {
            Issue.record("\(name) gave no facts")
            return []
        }
        return facts
    }

    static func event(
        _ message: String,
        _ action: ResourceEvent.Action,
        _ type: String,
        _ id: String,
        _ user: String,
        _ properties: [String: JSONValue],
        _ time: String
    ) throws -> BillingFact {
        .resource(
            ResourceEvent(
                messageID: message,
                action: action,
                resourceType: type,
                resourceID: id,
                userID: user,
                properties: properties,
                time: try BillingTime(parsing: time)
            )
        )
    }

    static func shareProperties(size: Int) -> [String: JSONValue] {
        ["size": .number("\(size)"), "share_type": .string("default"), "proto": .string("NFS")]
    }

    @Test func octaviaLoadBalancersBecomeFacts() throws {
        #expect(
            try Self.facts("octavia/octavia.loadbalancer.create.end") == [
                try Self.event(
                    "0b6b1f46-5c0e-4b8e-9a57-2f1c2b7e0c11",
                    .create,
                    "os.octavia.loadbalancer",
                    Self.loadBalancer,
                    Self.loadBalancerProject,
                    ["flavor_id": .string(Self.flavor), "provider": .string("amphora")],
                    "2026-03-01T10:00:05.250000Z"
                )
            ]
        )
        #expect(
            try Self.facts("octavia/octavia.loadbalancer.delete.end") == [
                try Self.event(
                    "7e3d2c1b-0a9f-4e8d-8c7b-6a5f4e3d2c1b",
                    .delete,
                    "os.octavia.loadbalancer",
                    Self.loadBalancer,
                    Self.loadBalancerProject,
                    [:],
                    "2026-03-01T12:30:01.500000Z"
                )
            ]
        )
    }

    @Test func manilaSharesBecomeFactsBySize() throws {
        let cases: [(String, ResourceEvent.Action, [String: JSONValue], String)] = [
            ("share.create.end", .create, Self.shareProperties(size: 100), "2026-03-01T10:00:00Z"),
            ("share.extend.end", .update, Self.shareProperties(size: 150), "2026-03-01T11:00:00Z"),
            ("share.shrink.end", .update, Self.shareProperties(size: 101), "2026-03-01T12:00:00Z"),
            ("share.delete.end", .delete, [:], "2026-03-01T13:00:00Z"),
        ]
        for (index, (name, action, properties, time)) in cases.enumerated() {
            let message = "1a1a1a1a-0000-4000-8000-00000000000\(index + 1)"
            #expect(
                try Self.facts("manila/" + name) == [
                    try Self.event(message, action, "os.manila.share", Self.share, Self.shareProject, properties, time)
                ],
                "\(name)"
            )
        }
    }

    @Test func theFactsArePricedByGenericRules() throws {
        let octavia = JSONValue.object([
            "type": .string("os.generic"), "version": .number("1.0"),
            "properties": .object([
                "resource_type": .string("os.octavia.loadbalancer"),
                "price_mapping": .object([
                    "property": .string("flavor_id"),
                    "prices": .array([.object(["value": .string(Self.flavor), "price": .string("0.02")])]),
                ]),
            ]),
        ])
        let manila = JSONValue.object([
            "type": .string("os.generic"), "version": .number("1.0"),
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
        let (octaviaSpec, octaviaPricer) = try PluginRegistry.standard.validate(spec: octavia)
        let (manilaSpec, manilaPricer) = try PluginRegistry.standard.validate(spec: manila)
        for (name, spec, pricer, unitsPerHour) in [
            // 0.02 per hour.
            ("octavia/octavia.loadbalancer.create.end", octaviaSpec, octaviaPricer, Int128(20_000_000_000)),
            // 100 GB × 0.001 (the first tier, its end inclusive) = 0.1 per hour.
            ("manila/share.create.end", manilaSpec, manilaPricer, 100_000_000_000),
            // 150 GB × 0.0008 = 0.12 per hour.
            ("manila/share.extend.end", manilaSpec, manilaPricer, 120_000_000_000),
            // 101 GB × 0.0008 (the second tier, its start inclusive) = 0.0808 per hour.
            ("manila/share.shrink.end", manilaSpec, manilaPricer, 80_800_000_000),
        ] {
            guard case .resource(let event) = try #require(try Self.facts(name).first) else {
                Issue.record("\(name) gave no resource")
                continue
            }
            #expect(event.resourceType == spec.resourceType, "\(name)")
            #expect(pricer.price(of: event.properties) == PriceQuote(rate: Rate(unitsPerHour: unitsPerHour)), "\(name)")
        }
    }
}
