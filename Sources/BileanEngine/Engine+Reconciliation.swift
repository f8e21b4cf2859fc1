package import BileanCore
import BileanStore
import Logging

extension Engine {
    /// The prefix of the message ids of a reconciliation's repairs.
    static let repairPrefix = "reconcile-"

    package func reconciliationResources(type: String, after: String?, limit: Int) async throws -> [BilledResource] {
        try Self.checkID(type, field: "resource_type")
        if let after { try Self.checkID(after, field: "after") }
        guard (1...10_000).contains(limit) else { throw BileanError.invalid("limit", "limit must be 1 to 10000") }
        return try await self.transaction("list resources to reconcile", readOnly: true) { transaction in
            try await transaction.reconciliationResources(type: type, after: after, limit: limit)
        }
    }

    package func markSeen(resourceIDs: [String], at time: BillingTime) async throws {
        guard !resourceIDs.isEmpty else { return }
        guard resourceIDs.count <= 10_000 else {
            throw BileanError.invalid("resource_ids", "at most 10000 resource ids at a time")
        }
        for id in resourceIDs { try Self.checkID(id, field: "resource_ids") }
        try await self.transaction("mark resources seen") { transaction in
            try await transaction.markSeen(resourceIDs: resourceIDs, at: time)
        }
    }

    package func claimReconciliation(owner: String, every: Int64, leaseSeconds: Int64) async throws -> Bool {
        try Self.checkID(owner, field: "owner")
        guard every > 0, leaseSeconds > 0 else {
            throw BileanError.invalid("every", "the interval and the lease must be positive")
        }
        let now = self.now()
        return try await self.transaction("claim reconciliation") { transaction in
            try await transaction.claimLease(
                "reconciliation",
                owner: owner,
                now: now,
                leaseUntil: now.adding(seconds: leaseSeconds),
                nextAt: now.adding(seconds: every)
            )
        }
    }

    package func listReconciliations(limit: Int) async throws -> [ReconciliationRun] {
        guard (1...50).contains(limit) else { throw BileanError.invalid("limit", "limit must be 1 to 50") }
        return try await self.transaction("list reconciliations", readOnly: true) { transaction in
            try await transaction.reconciliationRuns(limit: limit)
        }
    }

    package func recordReconciliation(_ run: ReconciliationRun) async throws -> ReconciliationRun {
        try Self.checkID(run.id, field: "id")
        for finding in run.findings {
            try Self.checkID(finding.resourceID, field: "resource_id")
            try Self.checkID(finding.userID, field: "user_id")
            try Self.checkID(finding.resourceType, field: "resource_type")
        }
        let now = self.now()
        return try await self.transaction("record reconciliation") { transaction in
            // Recorded once: the same call again (a redelivered RPC) returns the run as it was recorded.
            if let stored = try await transaction.reconciliationRun(run.id) { return stored }
            var run = run
            run.finishedAt = now
            let currency = try await self.dataCurrency(at: now, in: transaction)
            let lag = try await transaction.listenerStatuses().map(\.oldestHeldSeconds).max() ?? 0
            let margin = max(self.configuration.reconciliationMinAgeSeconds, lag)
            let cutoff = now.adding(seconds: -margin)
            let current = Dictionary(
                try await transaction.resources(ids: run.findings.map(\.resourceID)).map { ($0.id, $0) },
                uniquingKeysWith: { first, _ in first }
            )
            var repairs: [ResourceEvent] = []
            var notes: [Event] = []
            for index in run.findings.indices {
                var finding = run.findings[index]
                let decision = Self.decide(
                    finding,
                    repair: run.repair,
                    currency: currency,
                    cutoff: cutoff,
                    now: current[finding.resourceID]
                )
                finding.action = decision.action
                if let reason = decision.reason, case .object(var evidence) = finding.evidence {
                    evidence["deferred_because"] = .string(reason)
                    finding.evidence = .object(evidence)
                }
                run.findings[index] = finding
                guard finding.action == .repaired, let time = finding.effectiveAt else { continue }
                var event = ResourceEvent(
                    messageID: "\(Self.repairPrefix)\(run.id)-\(index)",
                    action: finding.kind == .missing ? .create : finding.kind == .vanished ? .delete : .update,
                    resourceType: finding.resourceType,
                    resourceID: finding.resourceID,
                    userID: current[finding.resourceID]?.userID ?? finding.userID,
                    properties: finding.kind == .vanished ? [:] : Self.cloudProperties(finding),
                    time: time
                )
                event.isEstimated = finding.estimated
                repairs.append(event)
                notes.append(
                    Event(
                        id: self.newID(),
                        timestamp: time,
                        objectID: finding.resourceID,
                        objectType: finding.resourceType,
                        action: "reconcile",
                        userID: event.userID,
                        level: .warning,
                        status: "REPAIRED",
                        statusReason: "\(finding.kind.rawValue): \(Self.describe(finding))",
                        metadata: .object([
                            "reconciliation_id": .string(run.id), "message_id": .string(event.messageID),
                            "kind": .string(finding.kind.rawValue), "estimated": .bool(finding.estimated),
                            "evidence": finding.evidence,
                        ])
                    )
                )
            }
            try await self.applyFresh(repairs, now: now, in: transaction)
            if !repairs.isEmpty {
                // Billed up to now, so that a real notification of before the listing, arriving later, is never
                // taken in order: it replays the history, where it supersedes the repair it stands for.
                let owners = Set(try await transaction.resources(ids: repairs.map(\.resourceID)).map(\.userID))
                let locked = try await transaction.lockUsers(owners.sorted())
                var pending = PendingWrites()
                var settled: [User] = []
                for user in locked {
                    settled.append(
                        try await self.settleLocked(
                            user,
                            at: now,
                            cause: .settlement,
                            pending: &pending,
                            in: transaction
                        )
                    )
                }
                try await self.refreshAccountsQuietly(
                    settled,
                    previous: Dictionary(uniqueKeysWithValues: locked.map { ($0.id, $0) }),
                    trigger: .billingChanged,
                    pending: &pending,
                    now: now,
                    in: transaction
                )
            }
            try await transaction.insertEvents(notes)
            try await transaction.insertReconciliationRun(run)
            return run
        }
    }

    /// What to do with a finding, given the billing as it is now (a notification may have arrived since the listing).
    static func decide(
        _ finding: ReconciliationFinding,
        repair: Bool,
        currency: DataCurrency,
        cutoff: BillingTime,
        now resource: Resource?
    ) -> (action: ReconciliationFinding.Action, reason: String?) {
        guard repair else { return (.reported, nil) }
        guard let time = finding.effectiveAt else {
            return (.reported, "no instant to bill from or close at")
        }
        if case .behind(let why) = currency { return (.deferred, "the billing data is not current: \(why)") }
        if time > cutoff { return (.deferred, "too recent: its notification may still be in flight") }
        switch finding.kind {
        case .missing:
            if let started = resource?.billing.startedAt,
                started.microseconds - time.microseconds <= ReconciliationDiff.startTolerance
            {
                return (.deferred, "billed since the listing")
            }
        case .vanished:
            guard let resource, resource.deletedAt == nil else { return (.deferred, "deleted since the listing") }
            if let last = resource.billing.startedAt, last > time {
                return (.deferred, "billing started after the estimated deletion")
            }
        case .propertyDrift:
            guard let resource else { return (.deferred, "not billed any more") }
            let cloud = Self.cloudProperties(finding)
            if cloud.allSatisfy({ key, value in
                resource.properties[key].map { ReconciliationDiff.same($0, value) } ?? false
            }) {
                return (.deferred, "billed with the cloud's properties since the listing")
            }
        }
        return (.repaired, nil)
    }

    /// The properties the cloud listed, from a finding's evidence.
    static func cloudProperties(_ finding: ReconciliationFinding) -> [String: JSONValue] {
        finding.evidence.objectValue?["cloud"]?.objectValue?["properties"]?.objectValue ?? [:]
    }

    static func describe(_ finding: ReconciliationFinding) -> String {
        let time = finding.effectiveAt?.iso8601 ?? "-"
        switch finding.kind {
        case .missing: return "in the cloud, not billed: billed from \(time)"
        case .vanished: return "gone from the cloud: closed at \(time)\(finding.estimated ? " (estimated)" : "")"
        case .propertyDrift: return "properties differ: billed with the cloud's from \(time)"
        }
    }

    /// A resource's history without the reconciliation repairs that a real notification has superseded: a repair's
    /// creation once a real creation arrived, its deletion once a real deletion arrived, its property change once a
    /// real change to the same properties arrived. What remains bills as in-order delivery of the real events
    /// would have, where they arrived.
    static func superseding(_ records: [TimelineRecord]) -> [TimelineRecord] {
        guard records.contains(where: { $0.entry.messageID.hasPrefix(Self.repairPrefix) }) else { return records }
        let real = records.filter { record in
            let id = record.entry.messageID
            return !record.isReprice && !id.hasPrefix(Self.repairPrefix) && !id.hasPrefix("freeze-")
        }
        return records.filter { record in
            guard record.entry.messageID.hasPrefix(Self.repairPrefix) else { return true }
            switch record.entry.action {
            case .create:
                return !real.contains { $0.entry.action == .create }
            case .delete:
                return !real.contains { $0.entry.action == .delete }
            case .update:
                return !real.contains { other in
                    other.entry.action != .delete
                        && record.properties.allSatisfy { key, value in
                            other.properties[key].map { ReconciliationDiff.same($0, value) } ?? false
                        }
                }
            }
        }
    }
}
