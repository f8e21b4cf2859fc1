import BileanCore
import Testing

/// What a listing compared with the billed resources reports.
@Suite("Reconciliation diff")
struct ReconciliationDiffTests {
    static let t0 = BillingTime(seconds: 1_700_000_000)

    static func item(
        _ id: String,
        _ properties: [String: JSONValue],
        created: Int64 = 0,
        updated: Int64 = 0,
        deleted: Int64? = nil
    ) -> InventoryItem {
        InventoryItem(
            resourceID: id,
            resourceType: "os.cinder.volume",
            userID: "p1",
            properties: properties,
            createdAt: Self.t0.adding(seconds: created),
            updatedAt: Self.t0.adding(seconds: updated),
            deletedAt: deleted.map { Self.t0.adding(seconds: $0) },
            isDeleted: deleted != nil
        )
    }

    static func billed(
        _ id: String,
        _ properties: [String: JSONValue],
        started: Int64 = 0,
        seen: Int64? = nil,
        created: Bool = true
    ) -> BilledResource {
        BilledResource(
            resourceID: id,
            userID: "p1",
            resourceType: "os.cinder.volume",
            properties: properties,
            startedAt: Self.t0.adding(seconds: started),
            seenAt: seen.map { Self.t0.adding(seconds: $0) },
            lastEventAt: Self.t0.adding(seconds: started),
            hasCreation: created
        )
    }

    static let ten: [String: JSONValue] = ["size": .number("10"), "volume_type": .string("ssd")]
    static let twenty: [String: JSONValue] = ["size": .number("20"), "volume_type": .string("ssd")]

    @Test func eachKindOfDifference() {
        let listing = InventoryListing(
            resourceType: "os.cinder.volume",
            items: [
                Self.item("new", Self.ten, created: 100),
                Self.item("same", Self.ten),
                Self.item("drifted", Self.twenty, updated: 500),
                Self.item("late-start", Self.ten),
                Self.item("slow-create", Self.ten),
                Self.item("numbers", ["size": .number("10.0"), "volume_type": .string("ssd")]),
            ],
            pages: 2
        )
        let findings = ReconciliationDiff.findings(
            listing,
            billed: [
                Self.billed("same", Self.ten),
                Self.billed("drifted", Self.ten),
                Self.billed("late-start", Self.ten, started: 3600, created: false),
                // Billed from its own creation notification (Cinder's launched_at, minutes after created_at).
                Self.billed("slow-create", Self.ten, started: 3600, created: true),
                Self.billed("numbers", Self.ten),
                Self.billed("gone", Self.ten, seen: 900),
            ]
        )
        #expect(findings.map(\.resourceID) == ["drifted", "gone", "late-start", "new"])
        let byID = Dictionary(uniqueKeysWithValues: findings.map { ($0.resourceID, $0) })
        #expect(byID["new"]?.kind == .missing && byID["new"]?.effectiveAt == Self.t0.adding(seconds: 100))
        #expect(byID["late-start"]?.kind == .missing && byID["late-start"]?.effectiveAt == Self.t0)
        #expect(byID["drifted"]?.kind == .propertyDrift && byID["drifted"]?.effectiveAt == Self.t0.adding(seconds: 500))
        #expect(byID["gone"]?.kind == .vanished && byID["gone"]?.estimated == true)
        #expect(byID["gone"]?.effectiveAt == Self.t0.adding(seconds: 900))
        #expect(findings.allSatisfy { $0.action == .reported })
    }

    @Test func aResourceListedAsDeletedClosesAtItsDeletionTime() {
        let listing = InventoryListing(
            resourceType: "os.cinder.volume",
            items: [Self.item("v", Self.ten, deleted: 700)],
            pages: 1
        )
        let findings = ReconciliationDiff.findings(listing, billed: [Self.billed("v", Self.ten)])
        #expect(findings.count == 1)
        #expect(findings.first?.kind == .vanished && findings.first?.estimated == false)
        #expect(findings.first?.effectiveAt == Self.t0.adding(seconds: 700))
    }
}
