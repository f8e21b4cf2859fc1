package import BileanCore
import BileanStore
import Logging

extension Engine {
    package func apply(_ events: [ResourceEvent]) async throws -> [ApplyOutcome] {
        for event in events { try Self.check(event) }
        let now = self.now()
        return try await self.transaction("apply resource events") { transaction in
            var outcomes = [ApplyOutcome](repeating: .duplicate, count: events.count)
            // One message may carry several resource events: its id is recorded once; the same event twice in one
            // batch (a redelivery) is a duplicate too.
            let fresh = try await transaction.markProcessed(events.map(\.messageID), at: now)
            var appliedHere: Set<EventKey> = []
            var toApply: [ResourceEvent] = []
            for index in events.indices where fresh.contains(events[index].messageID) {
                if appliedHere.insert(EventKey(events[index])).inserted {
                    toApply.append(events[index])
                    outcomes[index] = .applied
                }
            }
            try await self.applyFresh(toApply, now: now, in: transaction)
            return outcomes
        }
    }

    /// Applies resource events whose message ids were just recorded as processed, in a transaction: locks their
    /// users (creating the ones not seen before), bills each event and refreshes the accounts.
    func applyFresh(_ events: [ResourceEvent], now: BillingTime, in transaction: any StoreTransaction) async throws {
        guard !events.isEmpty else { return }
        // Group by user so that each user is locked once per batch, in a stable order (fewer deadlocks between
        // concurrent engines); the order of one user's events is kept. Billing does not depend on it anyway.
        let ordered = events.indices.sorted { (events[$0].userID, $0) < (events[$1].userID, $1) }.map { events[$0] }
        // A resource stays billed to the project that created it (a volume transferred to another project, say):
        // each event goes to the recorded owner. Owners never change, so they may be read before locking.
        let resourceIDs = ordered.map(\.resourceID)
        var owners: [String: String] = [:]
        let found = try await transaction.resources(ids: resourceIDs)
        for resource in found { owners[resource.id] = resource.userID }
        var effective: [ResourceEvent] = []
        for var event in ordered {
            let owner = owners[event.resourceID] ?? event.userID
            owners[event.resourceID] = owner
            if owner != event.userID {
                self.logger.warning(
                    "resource event names another project than the resource's owner; billed to the owner",
                    metadata: [
                        "resource.id": "\(event.resourceID)", "message.id": "\(event.messageID)",
                        "user.id": "\(owner)",
                    ]
                )
                event.userID = owner
            }
            effective.append(event)
        }
        // Lock every user of the batch at once (in id order), creating the ones not seen before; then read the
        // resources' state under those locks (again, unless no other writer can have changed them since).
        let userIDs = Array(Set(effective.map(\.userID))).sorted()
        var users = try await self.lockOrCreateUsers(userIDs, now: now, in: transaction)
        let stored = users
        var pending = PendingWrites()
        let current = transaction.excludesOtherWriters ? found : try await transaction.resources(ids: resourceIDs)
        pending.remember(lookedUp: resourceIDs, found: current)
        var rules = RuleLookup()
        for event in effective {
            guard var user = users[event.userID] else { continue }
            try await self.applyLocked(event, user: &user, pending: &pending, rules: &rules, now: now, in: transaction)
            users[event.userID] = user
        }
        try await self.refreshAccountsQuietly(
            userIDs.compactMap { users[$0] },
            previous: stored,
            trigger: .billingChanged,
            pending: &pending,
            now: now,
            in: transaction
        )
    }

    /// What identifies one resource event within a message.
    struct EventKey: Hashable {
        let messageID: String
        let resourceID: String
        let action: ResourceEvent.Action

        init(_ event: ResourceEvent) {
            self.messageID = event.messageID
            self.resourceID = event.resourceID
            self.action = event.action
        }
    }

    /// Checks a resource event's fields.
    static func check(_ event: ResourceEvent) throws(BileanError) {
        try Self.checkID(event.messageID, field: "message_id")
        try Self.checkID(event.resourceID, field: "resource_id")
        try Self.checkID(event.userID, field: "user_id")
        try Self.checkID(event.resourceType, field: "resource_type")
    }

    /// Applies one event to a locked user's resource: O(1) when it arrives in order, a replay of the resource's
    /// own history when it is late, out of order, or completes a pending deletion. Writes go to `pending`; the
    /// user's balance and rate move in `user` (not yet saved).
    func applyLocked(
        _ event: ResourceEvent,
        user: inout User,
        pending: inout PendingWrites,
        rules: inout RuleLookup,
        repriceFrom previousPolicy: PolicyChange? = nil,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws {
        let existing = try await pending.resource(event.resourceID, in: transaction)
        var resource =
            existing
            ?? Resource(
                id: event.resourceID,
                userID: event.userID,
                resourceType: event.resourceType,
                properties: event.properties,
                createdAt: now
            )
        if resource.resourceType != event.resourceType {
            self.logger.warning(
                "resource event disagrees with the recorded resource type; the recorded one is kept",
                metadata: ["resource.id": "\(event.resourceID)", "message.id": "\(event.messageID)"]
            )
        }
        var quote: Quote
        var draftEnd: ReratingEdge?
        switch event.action {
        case .create, .update:
            if user.status == .freeze, event.time >= (user.frozenAt ?? event.time) {
                // A frozen user's billing has stopped: what its resources do from the freeze on is recorded at rate 0
                // (the thaw re-prices them); a late event from before the freeze is priced as usual. A resource
                // created or started again while frozen gets the freeze action at once: the freeze holds.
                if let action = self.freezeAction(for: resource, at: now) { pending.append(action) }
                quote = Quote(
                    rate: .zero,
                    ruleID: resource.ruleID,
                    warning: nil,
                    policyID: try await rules.effectivePolicy(of: user, in: transaction)
                )
            } else {
                quote = try await self.price(
                    resourceType: resource.resourceType,
                    properties: event.properties,
                    policyID: try await rules.effectivePolicy(of: user, in: transaction),
                    rules: &rules,
                    in: transaction
                )
                // An event within the window of an applied re-rating is priced at its draft, as the re-rated
                // history around it is (in order or not).
                if let until = try await rules.reratedUntil(in: transaction), event.time < until {
                    let drafts = try await self.appliedDrafts(
                        for: resource,
                        user: user,
                        after: event.time,
                        rules: &rules,
                        in: transaction
                    )
                    var record = TimelineRecord(
                        entry: TimelineEntry(time: event.time, action: event.action, rate: quote.rate, messageID: ""),
                        resourceID: resource.id,
                        properties: event.properties,
                        policyID: quote.policyID
                    )
                    if let applied = Self.draftCovering(record, drafts: drafts) {
                        // Where the window ends, the price the rules (or a later window) give takes over again.
                        record.entry.time = applied.window.upperBound
                        draftEnd = ReratingEdge(
                            id: applied.id,
                            time: applied.window.upperBound,
                            rate: Self.draftRate(of: record, frozen: false, drafts: drafts) ?? quote.rate
                        )
                        quote.rate = applied.draft.pricer.price(of: event.properties).rate
                    }
                }
            }
        case .delete:
            quote = Quote(
                rate: .zero,
                ruleID: resource.ruleID,
                warning: nil,
                policyID: try await rules.effectivePolicy(of: user, in: transaction)
            )
        }
        let entry = TimelineEntry(time: event.time, action: event.action, rate: quote.rate, messageID: event.messageID)
        pending.append(
            TimelineRecord(
                entry: entry,
                resourceID: resource.id,
                properties: event.properties,
                policyID: quote.policyID,
                isReprice: previousPolicy != nil,
                previousPolicyID: previousPolicy?.from
            )
        )

        let before = resource.billing
        var step: BillingStep
        var latestProperties: [String: JSONValue]?
        if before.acceptsInOrder(event.action, at: event.time) {
            step = before.applyingInOrder(event.action, at: event.time, newRate: quote.rate)
            if let draftEnd, step.billing.isActive, let billedUntil = step.billing.billedUntil,
                billedUntil < draftEnd.time
            {
                // Priced at an applied re-rating's draft: a re-price at the window's end restores the price, in
                // the history (so that a later event replays it) and in the billing (the end is in the past).
                pending.append(
                    TimelineRecord(
                        entry: TimelineEntry(
                            time: draftEnd.time,
                            action: .update,
                            rate: draftEnd.rate,
                            messageID: "rerating-\(draftEnd.id)-end"
                        ),
                        resourceID: resource.id,
                        properties: event.properties,
                        policyID: quote.policyID,
                        isReprice: true,
                        previousPolicyID: quote.policyID
                    )
                )
                let closing = step.billing.applyingInOrder(.update, at: draftEnd.time, newRate: draftEnd.rate)
                step = BillingStep(billing: closing.billing, charges: step.charges + closing.charges)
            }
            if event.action != .delete && previousPolicy == nil { latestProperties = event.properties }
        } else {
            let (canonical, previous) = try await self.repriceHistory(
                of: resource,
                newMessageID: event.messageID,
                user: user,
                quote: &quote,
                pending: &pending,
                rules: &rules,
                in: transaction
            )
            step = before.rerated(timeline: canonical.map(\.entry), previous: previous, eventTime: event.time)
            latestProperties = canonical.last { !$0.isReprice && $0.entry.action != .delete }?.properties
        }
        resource.billing = step.billing
        if let latestProperties {
            resource.properties = latestProperties
            if latestProperties == event.properties { resource.ruleID = quote.ruleID }
        }
        resource.updatedAt = now
        pending.save(resource)
        user.rate = user.rate - before.rate + step.billing.rate
        user.accrual.move(from: before, to: step.billing)
        user.lastBill = max(user.lastBill ?? event.time, event.time)
        user.updatedAt = now
        for charge in step.charges {
            self.record(charge, resource: resource, user: &user, pending: &pending, estimated: event.isEstimated)
        }
        if user.status == .freeze, let frozenAt = user.frozenAt, resource.billing.isActive,
            !resource.billing.rate.isZero
        {
            // A late event from before the freeze left the resource billing past it: it stops where the others did.
            self.stopBilling(
                &resource,
                at: frozenAt,
                policyID: quote.policyID,
                user: &user,
                pending: &pending,
                now: now
            )
        }
        let rerated = step.charges.contains { $0.cause == .rerate }
        pending.events.append(
            Event(
                id: self.newID(),
                timestamp: event.time,
                objectID: resource.id,
                objectType: resource.resourceType,
                action: event.action.rawValue,
                userID: user.id,
                level: .info,
                status: step.billing.deletedAt != nil ? "DELETED" : (step.billing.isActive ? "ACTIVE" : "PENDING"),
                statusReason: rerated ? "Late event: earlier intervals re-rated" : nil,
                metadata: .object([
                    "message_id": .string(event.messageID),
                    "rate": .string(step.billing.rate.perSecondForDisplay.description),
                    "properties": .object(event.properties),
                ])
            )
        )
        if let warning = quote.warning {
            pending.events.append(
                Event(
                    id: self.newID(),
                    timestamp: event.time,
                    objectID: resource.id,
                    objectType: resource.resourceType,
                    action: "price",
                    userID: user.id,
                    level: .warning,
                    status: "UNPRICED",
                    statusReason: warning,
                    metadata: .object(["message_id": .string(event.messageID)])
                )
            )
        }
    }

    /// A policy attachment that re-prices a resource: the policy in force before it.
    struct PolicyChange {
        var from: String?
    }

    /// Policies and rules looked up during one operation.
    struct RuleLookup {
        var rules: [String: Rule?] = [:]
        var defaultPolicy: String??
        var latestRerating: BillingTime??

        /// The latest end of an applied re-rating's window (read once per operation).
        mutating func reratedUntil(in transaction: any StoreTransaction) async throws -> BillingTime? {
            if let cached = self.latestRerating { return cached }
            let found = try await transaction.reratedUntil()
            self.latestRerating = .some(found)
            return found
        }

        /// The policy that prices the user's resources now: its own, or the default one.
        mutating func effectivePolicy(of user: User, in transaction: any StoreTransaction) async throws -> String? {
            if let policyID = user.policyID { return policyID }
            if let cached = self.defaultPolicy { return cached }
            let found = try await transaction.defaultPolicyID()
            self.defaultPolicy = .some(found)
            return found
        }
    }

    /// The price of a resource.
    struct Quote: Sendable {
        var rate: Rate
        var ruleID: String?
        var warning: String?
        /// The policy that priced it.
        var policyID: String?
    }

    /// Prices a resource under a given policy.
    func price(
        resourceType: String,
        properties: [String: JSONValue],
        policyID: String?,
        rules: inout RuleLookup,
        in transaction: any StoreTransaction
    ) async throws -> Quote {
        guard let policyID else {
            return Quote(rate: .zero, ruleID: nil, warning: "no policy applies; billed at 0", policyID: nil)
        }
        let key = "\(policyID)\u{0}\(resourceType)"
        let rule: Rule?
        if let cached = rules.rules[key] {
            rule = cached
        } else {
            rule = try await transaction.pricingRule(policyID: policyID, resourceType: resourceType)
            rules.rules[key] = .some(rule)
        }
        guard let rule else {
            return Quote(
                rate: .zero,
                ruleID: nil,
                warning: "policy \(policyID) has no rule for \(resourceType); billed at 0",
                policyID: policyID
            )
        }
        let pricer: any ResourcePricer
        do {
            pricer = try self.pricers.pricer(for: rule, plugins: self.plugins)
        } catch {
            self.logger.error(
                "stored rule no longer validates",
                metadata: ["rule.id": "\(rule.id)", "error": "\(error)"]
            )
            return Quote(
                rate: .zero,
                ruleID: rule.id,
                warning: "rule \(rule.id) is invalid: \(error.message)",
                policyID: policyID
            )
        }
        let quote = pricer.price(of: properties)
        return Quote(rate: quote.rate, ruleID: rule.id, warning: quote.warning, policyID: policyID)
    }

    /// Re-prices a resource's history around a late event, so that each interval is priced under the policy in
    /// force at its cloud time: the late event under the policy of the entry just before it, and every policy
    /// re-price after it from the properties in force then.
    /// - Returns: The history in canonical order, with corrected rates (also recorded in `pending`).
    func repriceHistory(
        of resource: Resource,
        newMessageID: String,
        user: User,
        quote: inout Quote,
        pending: inout PendingWrites,
        rules: inout RuleLookup,
        in transaction: any StoreTransaction
    ) async throws -> (canonical: [TimelineRecord], previous: [TimelineEntry]) {
        let history = try await pending.timeline(of: resource.id, in: transaction)
        // A reconciliation's repair stands in for a notification that never came; the real one supersedes it.
        var canonical = Self.superseding(history).sorted { ResourceTimeline.precedes($0.entry, $1.entry) }
        // The history as billed so far: without the new event, at the rates it was billed at.
        let previous = Self.superseding(history.filter { $0.entry.messageID != newMessageID })
            .sorted { ResourceTimeline.precedes($0.entry, $1.entry) }.map(\.entry)
        guard let index = canonical.firstIndex(where: { $0.entry.messageID == newMessageID }) else {
            return (canonical, previous)
        }
        let record = canonical[index]
        if record.entry.action != .delete && !record.isReprice {
            let before = canonical[..<index].last
            let after = canonical[(index + 1)...].first
            var inForce: String?? = nil
            if let before {
                inForce = .some(before.policyID)
            } else if let after {
                inForce = .some(after.isReprice ? after.previousPolicyID : after.policyID)
            }
            if let inForce, inForce != record.policyID {
                quote = try await self.price(
                    resourceType: resource.resourceType,
                    properties: record.properties,
                    policyID: inForce,
                    rules: &rules,
                    in: transaction
                )
                canonical[index].entry.rate = quote.rate
                canonical[index].policyID = inForce
                pending.updateRate(resourceID: resource.id, messageID: newMessageID, rate: quote.rate)
            }
        }
        // Re-ratings applied over the new event's time re-price it, and the re-prices after it, at their drafts.
        let drafts = try await self.appliedDrafts(
            for: resource,
            user: user,
            after: record.entry.time,
            rules: &rules,
            in: transaction
        )
        let frozen =
            drafts.isEmpty
            ? []
            : ReratingPlan.frozen(canonical.map(\.entry), frozenSince: user.status == .freeze ? user.frozenAt : nil)
        if record.entry.action != .delete && !record.isReprice,
            let rate = Self.draftRate(
                of: canonical[index],
                frozen: frozen.indices.contains(index) && frozen[index],
                drafts: drafts
            ),
            rate != canonical[index].entry.rate
        {
            quote.rate = rate
            canonical[index].entry.rate = rate
            pending.updateRate(resourceID: resource.id, messageID: newMessageID, rate: rate)
        }
        for later in (index + 1)..<canonical.count where canonical[later].isReprice {
            guard
                let properties = canonical[..<later].last(where: { !$0.isReprice && $0.entry.action != .delete })?
                    .properties
            else { continue }
            var repriced = try await self.price(
                resourceType: resource.resourceType,
                properties: properties,
                policyID: canonical[later].policyID,
                rules: &rules,
                in: transaction
            )
            var draftRecord = canonical[later]
            draftRecord.properties = properties
            if let rate = Self.draftRate(
                of: draftRecord,
                frozen: frozen.indices.contains(later) && frozen[later],
                drafts: drafts
            ) {
                repriced.rate = rate
            }
            if repriced.rate != canonical[later].entry.rate {
                canonical[later].entry.rate = repriced.rate
                pending.updateRate(
                    resourceID: resource.id,
                    messageID: canonical[later].entry.messageID,
                    rate: repriced.rate
                )
            }
        }
        return (canonical, previous)
    }

    package func resource(_ id: String) async throws -> Resource {
        try Self.checkID(id, field: "resource_id")
        return try await self.transaction("show resource", readOnly: true) { transaction in
            guard let resource = try await transaction.resource(id) else {
                throw BileanError.notFound("Resource", id)
            }
            return resource
        }
    }

    package func listResources(_ query: ListQuery) async throws -> [Resource] {
        let query = try self.validated(query, .resources)
        return try await self.transaction("list resources", readOnly: true) { transaction in
            try await transaction.resources(query)
        }
    }

    package func validateCreation(userID: String, resources: [ResourceSpec], count: Int) async throws -> Bool {
        guard (1...1000).contains(count) else {
            throw BileanError.invalid("count", "count must be between 1 and 1000")
        }
        guard !resources.isEmpty, resources.count <= 100 else {
            throw BileanError.invalid("resources", "resources must list 1 to 100 resources")
        }
        for spec in resources { try Self.checkID(spec.resourceType, field: "resource_type") }
        let now = self.now()
        return try await self.transaction("validate creation", readOnly: true) { transaction in
            let user = try await self.liveUser(userID, lock: false, in: transaction)
            // A frozen project may create nothing, whatever its balance says.
            guard user.status != .freeze else { return false }
            let live = try await transaction.liveResources(userID: userID)
            var rate = user.rate
            var rules = RuleLookup()
            for spec in resources {
                let quote = try await self.price(
                    resourceType: spec.resourceType,
                    properties: spec.properties,
                    policyID: try await rules.effectivePolicy(of: user, in: transaction),
                    rules: &rules,
                    in: transaction
                )
                rate = rate + quote.rate * count
            }
            let balance = AccountMath.balance(user.balance, resources: live.map(\.billing), at: now)
            // The next hour at the new total rate: rate.unitsPerHour is exactly the cost of one hour.
            let afterHour = balance - Money(units: rate.unitsPerHour)
            return afterHour >= Money.zero - user.credit
        }
    }
}
