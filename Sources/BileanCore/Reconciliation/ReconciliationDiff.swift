/// A resource as Bilean bills it, for a comparison with the cloud's listing.
package struct BilledResource: Sendable, Hashable {
    /// The cloud's id.
    package var resourceID: String
    /// The project billed.
    package var userID: String
    /// The resource type.
    package var resourceType: String
    /// The billed properties.
    package var properties: [String: JSONValue]
    /// When billing started, if it did.
    package var startedAt: BillingTime?
    /// When a reconciliation run last listed it.
    package var seenAt: BillingTime?
    /// The cloud time of its latest event.
    package var lastEventAt: BillingTime?
    /// Whether a real notification created it (billing then starts where the service says it does, e.g. Cinder's
    /// `launched_at`, Glance's upload, which may be well after the listing's `created_at`).
    package var hasCreation: Bool

    /// Creates a record.
    package init(
        resourceID: String,
        userID: String,
        resourceType: String,
        properties: [String: JSONValue],
        startedAt: BillingTime?,
        seenAt: BillingTime?,
        lastEventAt: BillingTime?,
        hasCreation: Bool = false
    ) {
        self.resourceID = resourceID
        self.userID = userID
        self.resourceType = resourceType
        self.properties = properties
        self.startedAt = startedAt
        self.seenAt = seenAt
        self.lastEventAt = lastEventAt
        self.hasCreation = hasCreation
    }
}

/// Compares a complete listing with the resources Bilean bills as live, and reports the drift.
package enum ReconciliationDiff {
    /// How much later than the cloud's creation billing may start before the difference is a finding: a
    /// notification's time and the API's `created_at` need not be the same instant.
    package static let startTolerance: Int64 = 60 * 1_000_000

    /// The findings of one resource type (all reported; the engine decides what to repair).
    /// - Parameters:
    ///   - listing: The cloud's complete listing.
    ///   - billed: The resources of that type that Bilean bills as live (not deleted).
    /// - Returns: The findings, by resource id.
    package static func findings(_ listing: InventoryListing, billed: [BilledResource]) -> [ReconciliationFinding] {
        var live: [String: InventoryItem] = [:]
        var deleted: [String: InventoryItem] = [:]
        for item in listing.items {
            if item.isDeleted { deleted[item.resourceID] = item } else { live[item.resourceID] = item }
        }
        let billedByID = Dictionary(billed.map { ($0.resourceID, $0) }, uniquingKeysWith: { first, _ in first })
        var findings: [ReconciliationFinding] = []
        for item in live.values {
            guard let record = billedByID[item.resourceID] else {
                findings.append(
                    ReconciliationFinding(
                        resourceID: item.resourceID,
                        resourceType: listing.resourceType,
                        userID: item.userID,
                        kind: .missing,
                        effectiveAt: item.createdAt,
                        evidence: .object(["cloud": Self.evidence(item), "billed": .null])
                    )
                )
                continue
            }
            // Billed from later than the cloud created it, with no creation notification: the creation was lost.
            if !record.hasCreation, let created = item.createdAt, let started = record.startedAt,
                started.microseconds - created.microseconds > Self.startTolerance
            {
                findings.append(
                    ReconciliationFinding(
                        resourceID: item.resourceID,
                        resourceType: listing.resourceType,
                        userID: record.userID,
                        kind: .missing,
                        effectiveAt: created,
                        evidence: .object(["cloud": Self.evidence(item), "billed": Self.evidence(record)])
                    )
                )
            }
            let differs = item.properties.contains { key, value in
                record.properties[key].map { !Self.same($0, value) } ?? true
            }
            if differs {
                findings.append(
                    ReconciliationFinding(
                        resourceID: item.resourceID,
                        resourceType: listing.resourceType,
                        userID: record.userID,
                        kind: .propertyDrift,
                        effectiveAt: item.updatedAt,
                        evidence: .object(["cloud": Self.evidence(item), "billed": Self.evidence(record)])
                    )
                )
            }
        }
        for record in billed where live[record.resourceID] == nil {
            let gone = deleted[record.resourceID]
            let estimate = record.seenAt ?? record.lastEventAt
            findings.append(
                ReconciliationFinding(
                    resourceID: record.resourceID,
                    resourceType: listing.resourceType,
                    userID: record.userID,
                    kind: .vanished,
                    effectiveAt: gone?.deletedAt ?? estimate,
                    estimated: gone?.deletedAt == nil,
                    evidence: .object([
                        "cloud": gone.map(Self.evidence) ?? .null, "billed": Self.evidence(record),
                    ])
                )
            )
        }
        return findings.sorted { ($0.resourceID, $0.kind.rawValue) < ($1.resourceID, $1.kind.rawValue) }
    }

    /// Whether two property values are the same (numbers by value: `10` and `10.0` are one size).
    package static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if lhs == rhs { return true }
        guard let left = lhs.scalarText, let right = rhs.scalarText else { return false }
        if case .string = lhs, case .string = rhs { return false }
        guard let a = try? Money(parsing: left), let b = try? Money(parsing: right) else { return false }
        return a == b
    }

    static func evidence(_ item: InventoryItem) -> JSONValue {
        .object([
            "project_id": .string(item.userID),
            "properties": .object(item.properties),
            "created_at": item.createdAt.map { .string($0.iso8601) } ?? .null,
            "updated_at": item.updatedAt.map { .string($0.iso8601) } ?? .null,
            "deleted_at": item.deletedAt.map { .string($0.iso8601) } ?? .null,
            "deleted": .bool(item.isDeleted),
        ])
    }

    static func evidence(_ record: BilledResource) -> JSONValue {
        .object([
            "user_id": .string(record.userID),
            "properties": .object(record.properties),
            "started_at": record.startedAt.map { .string($0.iso8601) } ?? .null,
            "seen_at": record.seenAt.map { .string($0.iso8601) } ?? .null,
            "last_event_at": record.lastEventAt.map { .string($0.iso8601) } ?? .null,
            "created_by_notification": .bool(record.hasCreation),
        ])
    }
}
