package import BileanCore
import BileanStore
import Logging

extension Engine {

    package func previewRerating(_ request: ReratingRequest) async throws -> ReratingPreview {
        let now = self.now()
        let request = try self.checked(request, now: now)
        let id = self.newID()
        // Read beside the writer (SQLite), so that a long preview never holds billing up; kept afterwards.
        let lines = try await self.transaction("preview rerating", readOnly: true) { transaction in
            let drafts = try await self.draftPricings(request, in: transaction)
            let userIDs = try await self.reratingScope(request, in: transaction)
            var lines: [ReratingLine] = []
            var start = 0
            while start < userIDs.count {
                let batch = Array(userIDs[start..<min(start + self.configuration.reratingBatchUsers, userIDs.count)])
                start += self.configuration.reratingBatchUsers
                let users = try await transaction.users(ids: batch)
                let plans = try await self.reratingPlans(
                    users: users,
                    drafts: drafts,
                    request: request,
                    id: id,
                    in: transaction
                )
                lines += Self.lines(plans)
            }
            return lines
        }
        try await self.transaction("keep rerating preview") { transaction in
            try await transaction.insertReratingPreview(id: id, request: request, createdAt: now)
        }
        return ReratingPreview(id: id, request: request, createdAt: now, lines: lines)
    }

    package func applyRerating(previewID: String, reason: String) async throws -> Rerating {
        try Self.checkID(previewID, field: "preview_id")
        try Self.checkName(reason, field: "reason")
        // A batch of users per transaction, its progress committed with it: a long apply never holds one huge
        // transaction (SQLite's cost per statement grows with it), and one cut short (a crash, a lost RPC reply)
        // goes on where it stopped when it is called again.
        while true {
            let now = self.now()
            let done: Rerating? = try await self.transaction("apply rerating") { transaction in
                guard let stored = try await transaction.rerating(previewID, lock: true) else {
                    throw BileanError.notFound("Rerating preview", previewID)
                }
                // Applied once: the same call again (or a redelivered RPC) returns the first apply.
                if let applied = stored.applied { return applied }
                var progress = stored.progress ?? ReratingProgress(reason: reason)
                let request = stored.request
                let scope = try await self.reratingScope(request, in: transaction)
                let remaining = progress.after.map { after in scope.drop { $0 <= after } } ?? scope[...]
                let batch = Array(remaining.prefix(self.configuration.reratingBatchUsers))
                guard let last = batch.last else {
                    let rerating = Rerating(
                        id: previewID,
                        request: request,
                        reason: progress.reason,
                        previewedAt: stored.createdAt,
                        appliedAt: now,
                        lines: try await transaction.reratingLines(previewID),
                        consumptions: progress.consumptions
                    )
                    try await transaction.markReratingApplied(rerating)
                    return rerating
                }
                let drafts = try await self.draftPricings(request, in: transaction)
                let lines = try await self.applyBatch(
                    batch,
                    request: request,
                    drafts: drafts,
                    id: previewID,
                    progress: &progress,
                    now: now,
                    in: transaction
                )
                progress.after = last
                try await transaction.saveReratingProgress(previewID, progress, lines: lines)
                return nil
            }
            if let done { return done }
        }
    }

    /// Applies a re-rating to one batch of users (locked here), adding what it did to `progress`.
    /// - Returns: The batch's lines.
    func applyBatch(
        _ batch: [String],
        request: ReratingRequest,
        drafts: [String: DraftPricing],
        id: String,
        progress: inout ReratingProgress,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> [ReratingLine] {
        let locked = try await transaction.lockUsers(batch)
        let plans = try await self.reratingPlans(
            users: locked,
            drafts: drafts,
            request: request,
            id: id,
            in: transaction
        )
        let lines = Self.lines(plans)
        var users = Dictionary(uniqueKeysWithValues: locked.map { ($0.id, $0) })
        var pending = PendingWrites()
        pending.remember(lookedUp: plans.map(\.resource.id), found: plans.map(\.resource))
        for plan in plans {
            guard var user = users[plan.resource.userID] else { continue }
            progress.consumptions += self.applyPlan(
                plan,
                request: request,
                id: id,
                reason: progress.reason,
                user: &user,
                pending: &pending,
                now: now
            )
            users[user.id] = user
        }
        let changed = Set(plans.map(\.resource.userID))
        for line in Self.userTotals(plans) {
            pending.events.append(
                Event(
                    id: self.newID(),
                    timestamp: now,
                    objectID: id,
                    objectType: "rerating",
                    action: "rerate",
                    userID: line.userID,
                    level: .info,
                    status: "APPLIED",
                    statusReason: progress.reason,
                    metadata: .object([
                        "rerating_id": .string(id),
                        "start_time": .string(request.startTime.iso8601),
                        "end_time": .string(request.endTime.iso8601),
                        "difference": .string(line.difference.description),
                    ])
                )
            )
        }
        try await self.refreshAccountsQuietly(
            locked.filter { changed.contains($0.id) }.compactMap { users[$0.id] },
            previous: Dictionary(uniqueKeysWithValues: locked.map { ($0.id, $0) }),
            trigger: .billingChanged,
            pending: &pending,
            now: now,
            in: transaction
        )
        return lines
    }

    /// Checks a request's fields and bounds; the user ids come back sorted and unique.
    func checked(_ request: ReratingRequest, now: BillingTime) throws(BileanError) -> ReratingRequest {
        var request = request
        guard request.startTime < request.endTime else {
            throw BileanError.invalid("end_time", "end_time must be after start_time")
        }
        guard request.endTime <= now else {
            throw BileanError.invalid("end_time", "end_time must not be in the future: only the past is re-rated")
        }
        guard request.endTime - request.startTime <= ReratingRequest.maximumWindowMicroseconds else {
            throw BileanError.invalid("end_time", "the window must not be longer than 366 days")
        }
        guard !request.rules.isEmpty, request.rules.count <= ReratingRequest.maximumRules else {
            throw BileanError.invalid("rules", "rules must hold 1 to \(ReratingRequest.maximumRules) draft rules")
        }
        for draft in request.rules {
            if let ruleID = draft.ruleID { try Self.checkID(ruleID, field: "rules.id") }
        }
        if let policyID = request.policyID { try Self.checkID(policyID, field: "policy_id") }
        if let userIDs = request.userIDs {
            guard !userIDs.isEmpty, userIDs.count <= ReratingRequest.maximumUserIDs else {
                throw BileanError.invalid(
                    "user_ids",
                    "user_ids must name 1 to \(ReratingRequest.maximumUserIDs) users"
                )
            }
            for id in userIDs { try Self.checkID(id, field: "user_ids") }
            request.userIDs = Array(Set(userIDs)).sorted()
        }
        return request
    }

    /// A draft rule ready to price.
    struct DraftPricing {
        /// The draft's resource type.
        var resourceType: String
        /// Its pricer.
        var pricer: any ResourcePricer
        /// With a rule id: the live policies that hold that rule (only their stretches are re-priced).
        var policies: Set<String>?

        /// Whether the draft re-prices a stretch priced under `policyID`: the rule it replaces priced it.
        func covers(policyID: String?) -> Bool {
            guard let policyID else { return false }
            return self.policies.map { $0.contains(policyID) } ?? true
        }
    }

    /// Validates a request's draft rules (specs by their plugins, one per resource type, the rules they replace).
    /// - Returns: The drafts by resource type.
    func draftPricings(
        _ request: ReratingRequest,
        in transaction: any StoreTransaction
    ) async throws -> [String: DraftPricing] {
        var drafts: [String: DraftPricing] = [:]
        for (index, draft) in request.rules.enumerated() {
            let parsed: RuleSpec
            let pricer: any ResourcePricer
            do {
                (parsed, pricer) = try self.plugins.validate(spec: draft.spec)
            } catch {
                throw BileanError.invalid("rules[\(index)].spec", error.message)
            }
            guard drafts[parsed.resourceType] == nil else {
                throw BileanError.invalid("rules", "at most one draft rule per resource type (\(parsed.resourceType))")
            }
            var policies: Set<String>?
            if let ruleID = draft.ruleID {
                guard let rule = try await transaction.rule(ruleID, includeDeleted: false) else {
                    throw BileanError.invalid("rules[\(index)].id", "no rule \(ruleID)")
                }
                guard rule.resourceType == parsed.resourceType else {
                    throw BileanError.invalid(
                        "rules[\(index)].spec",
                        "rule \(ruleID) prices \(rule.resourceType), the draft \(parsed.resourceType)"
                    )
                }
                policies = Set(try await transaction.policyIDs(usingRule: ruleID))
            }
            drafts[parsed.resourceType] = DraftPricing(
                resourceType: parsed.resourceType,
                pricer: pricer,
                policies: policies
            )
        }
        return drafts
    }

    /// The live users a request covers, in id order.
    func reratingScope(_ request: ReratingRequest, in transaction: any StoreTransaction) async throws -> [String] {
        var scope: [String]
        if let policyID = request.policyID {
            guard let policy = try await transaction.policy(policyID, includeDeleted: false) else {
                throw BileanError.notFound("Policy", policyID)
            }
            scope = try await transaction.liveUserIDs(policyID: policyID, orUnattached: policy.isDefault)
        } else if request.userIDs != nil {
            scope = []
        } else {
            scope = try await transaction.liveUserIDs(policyID: nil, orUnattached: false)
        }
        if let userIDs = request.userIDs {
            let found = Set(try await transaction.users(ids: userIDs).filter { $0.deletedAt == nil }.map(\.id))
            if let missing = userIDs.first(where: { !found.contains($0) }) {
                throw BileanError.notFound("User", missing)
            }
            scope = request.policyID == nil ? userIDs : scope.filter { found.contains($0) }
        }
        return scope
    }

    /// One resource's re-rating, planned.
    struct ResourceRerating {
        var resource: Resource
        var records: [TimelineRecord]
        var plan: ReratingPlan
        /// The billing point both totals are taken at: the window's end, or later if billed further.
        var until: BillingTime
        /// The window's cost as billed (exact, rounded once).
        var current: Money
        /// The change of the resource's rounded total under the draft.
        var difference: Money
    }

    /// Plans the re-rating of every resource of these users that the request touches.
    func reratingPlans(
        users: [User],
        drafts: [String: DraftPricing],
        request: ReratingRequest,
        id: String,
        in transaction: any StoreTransaction
    ) async throws -> [ResourceRerating] {
        let byID = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0) })
        let window = request.startTime..<request.endTime
        let resources = try await transaction.resources(
            userIDs: users.map(\.id),
            types: drafts.keys.sorted(),
            billedWithin: request.startTime,
            request.endTime
        )
        let histories = try await transaction.timelines(resourceIDs: resources.map(\.id))
        var result: [ResourceRerating] = []
        for resource in resources {
            guard let draft = drafts[resource.resourceType], let user = byID[resource.userID] else { continue }
            let records = Self.superseding(histories[resource.id] ?? []).sorted {
                ResourceTimeline.precedes($0.entry, $1.entry)
            }
            let entries = records.map(\.entry)
            let frozen = ReratingPlan.frozen(entries, frozenSince: user.status == .freeze ? user.frozenAt : nil)
            let draftRates: [Rate?] = records.indices.map { index in
                let record = records[index]
                guard record.entry.action != .delete, !frozen[index], draft.covers(policyID: record.policyID) else {
                    return nil
                }
                return draft.pricer.price(of: record.properties).rate
            }
            let plan = ReratingPlan(
                canonical: entries,
                draftRates: draftRates,
                window: window,
                markerIDs: ("rerating-\(id)-start", "rerating-\(id)-end")
            )
            let until = max(resource.billing.billedUntil ?? request.endTime, request.endTime)
            let billed = ResourceTimeline(entries).replay(until: until)
            let drafted = ResourceTimeline(plan.entries).replay(until: until)
            let current = Money(
                units: Money.roundedQuotient(
                    ReratingPlan.accrual(entries, within: window, until: until),
                    Rate.accrualDenominator
                )
            )
            result.append(
                ResourceRerating(
                    resource: resource,
                    records: records,
                    plan: plan,
                    until: until,
                    current: current,
                    difference: drafted.charged - billed.charged
                )
            )
        }
        return result
    }

    /// The lines of planned re-ratings: one per user and resource type, in that order.
    static func lines(_ plans: [ResourceRerating]) -> [ReratingLine] {
        var lines: [String: ReratingLine] = [:]
        for plan in plans {
            let key = "\(plan.resource.userID)\u{0}\(plan.resource.resourceType)"
            var line =
                lines[key]
                ?? ReratingLine(
                    userID: plan.resource.userID,
                    resourceType: plan.resource.resourceType,
                    resources: 0,
                    current: .zero,
                    draft: .zero
                )
            line.resources += 1
            line.current += plan.current
            line.draft += plan.current + plan.difference
            lines[key] = line
        }
        return lines.values.sorted { ($0.userID, $0.resourceType) < ($1.userID, $1.resourceType) }
    }

    /// The per-user sums of planned re-ratings (for the users' events).
    static func userTotals(_ plans: [ResourceRerating]) -> [ReratingLine] {
        var totals: [String: ReratingLine] = [:]
        for line in Self.lines(plans) {
            var total =
                totals[line.userID]
                ?? ReratingLine(userID: line.userID, resourceType: "*", resources: 0, current: .zero, draft: .zero)
            total.resources += line.resources
            total.current += line.current
            total.draft += line.draft
            totals[line.userID] = total
        }
        return totals.values.sorted { $0.userID < $1.userID }
    }

    /// Applies one resource's planned re-rating to a locked user: settles it up to the window's end at the billed
    /// rate, stores the draft rates and the edge markers in its history, and records the change of its rounded
    /// total as signed `rerate` consumptions carrying the reason and the re-rating's id.
    /// - Returns: How many consumptions it recorded.
    func applyPlan(
        _ rerating: ResourceRerating,
        request: ReratingRequest,
        id: String,
        reason: String,
        user: inout User,
        pending: inout PendingWrites,
        now: BillingTime
    ) -> Int {
        var resource = rerating.resource
        var recorded = 0
        let before = resource.billing
        // The open interval up to the window's end is billed first, at the rate it was billed at, so that the
        // re-rate lines only carry the draft's difference.
        let settled = before.settling(at: request.endTime)
        if let charge = settled.charge {
            self.record(charge, resource: resource, user: &user, pending: &pending)
            recorded += 1
        }
        for change in rerating.plan.changed {
            pending.updateRate(
                resourceID: resource.id,
                messageID: rerating.records[change.index].entry.messageID,
                rate: change.rate
            )
        }
        for marker in [rerating.plan.startMarker, rerating.plan.endMarker].compactMap(\.self) {
            let inForce = rerating.records[marker.inForce]
            pending.append(
                TimelineRecord(
                    entry: marker.entry,
                    resourceID: resource.id,
                    properties: inForce.properties,
                    policyID: inForce.policyID,
                    isReprice: true,
                    previousPolicyID: inForce.policyID
                )
            )
        }
        let step = settled.billing.rerated(
            timeline: rerating.plan.entries,
            previous: rerating.records.map(\.entry),
            eventTime: request.endTime
        )
        resource.billing = step.billing
        resource.updatedAt = now
        pending.save(resource)
        user.rate = user.rate - before.rate + step.billing.rate
        user.accrual.move(from: before, to: step.billing)
        user.updatedAt = now
        for charge in step.charges {
            self.record(charge, resource: resource, user: &user, pending: &pending, reason: reason, reratingID: id)
            recorded += 1
        }
        return recorded
    }
}

extension Engine {
    /// An applied re-rating's draft for one resource type, over its window.
    struct AppliedDraft {
        /// The re-rating's id.
        var id: String
        /// The re-rated window.
        var window: Range<BillingTime>
        /// The draft.
        var draft: DraftPricing
    }

    /// The drafts of the applied re-ratings that cover a resource after `time` (oldest apply first: a later apply
    /// prices over an earlier one), for a late event's re-pricing.
    func appliedDrafts(
        for resource: Resource,
        user: User,
        after time: BillingTime,
        rules: inout RuleLookup,
        in transaction: any StoreTransaction
    ) async throws -> [AppliedDraft] {
        let applied = try await transaction.appliedReratings(endingAfter: time)
        var result: [AppliedDraft] = []
        for rerating in applied {
            let request = rerating.request
            if let userIDs = request.userIDs, !userIDs.contains(user.id) { continue }
            if let policyID = request.policyID,
                try await rules.effectivePolicy(of: user, in: transaction) != policyID
            {
                continue
            }
            for draft in request.rules {
                let parsed: RuleSpec
                let pricer: any ResourcePricer
                do {
                    (parsed, pricer) = try self.plugins.validate(spec: draft.spec)
                } catch {
                    self.logger.error(
                        "an applied re-rating's draft no longer validates; late events are priced without it",
                        metadata: ["rerating.id": "\(rerating.id)", "error": "\(error)"]
                    )
                    continue
                }
                guard parsed.resourceType == resource.resourceType else { continue }
                var policies: Set<String>?
                if let ruleID = draft.ruleID { policies = Set(try await transaction.policyIDs(usingRule: ruleID)) }
                result.append(
                    AppliedDraft(
                        id: rerating.id,
                        window: request.startTime..<request.endTime,
                        draft: DraftPricing(resourceType: parsed.resourceType, pricer: pricer, policies: policies)
                    )
                )
            }
        }
        return result
    }

    /// The rate the applied drafts give a history entry, or `nil` when none covers it (a deletion, a frozen
    /// stretch, outside every window, another rule's stretch).
    static func draftRate(of record: TimelineRecord, frozen: Bool, drafts: [AppliedDraft]) -> Rate? {
        guard !frozen else { return nil }
        return Self.draftCovering(record, drafts: drafts)?.draft.pricer.price(of: record.properties).rate
    }

    /// The applied draft that prices a history entry (the latest applied of those that cover it), if any.
    static func draftCovering(_ record: TimelineRecord, drafts: [AppliedDraft]) -> AppliedDraft? {
        guard record.entry.action != .delete else { return nil }
        return drafts.last {
            $0.window.contains(record.entry.time) && $0.draft.covers(policyID: record.policyID)
        }
    }

    /// Where an event priced at an applied re-rating's draft goes back to the rules' price.
    struct ReratingEdge {
        /// The re-rating's id.
        var id: String
        /// The window's end.
        var time: BillingTime
        /// The price from there.
        var rate: Rate
    }
}
