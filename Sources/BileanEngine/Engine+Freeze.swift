import BileanCore
import BileanStore
import Logging

extension Engine {
    /// Freezes a locked user at `instant` (the moment its balance reached −credit): every open interval is settled
    /// there (cause `freeze`), each live resource's billing stops (a rate-0 entry in its history, so that late
    /// events replay consistently), and the configured `[freeze] action` is queued for each live resource.
    /// - Returns: The user with its balance, rate and sums moved (not yet saved) and the cloud actions to record.
    func freezeLocked(
        _ user: User,
        at instant: BillingTime,
        pending: inout PendingWrites,
        rules: inout RuleLookup,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> (user: User, actions: [CloudAction]) {
        var user = user
        var actions: [CloudAction] = []
        let policyID = try await rules.effectivePolicy(of: user, in: transaction)
        let live = pending.liveResources(of: user.id, stored: try await transaction.liveResources(userID: user.id))
        for var resource in live {
            if resource.billing.isActive {
                self.stopBilling(&resource, at: instant, policyID: policyID, user: &user, pending: &pending, now: now)
            }
            if let action = self.freezeAction(for: resource, at: now) { actions.append(action) }
        }
        user.lastBill = max(user.lastBill ?? instant, instant)
        user.frozenAt = instant
        user.updatedAt = now
        // A thaw's restarts not carried out yet must not start anything on a project frozen again.
        pending.cancelRestarts(of: user.id)
        return (user, actions)
    }

    /// The freeze action its type gets (`[freeze] action`, `actions`), due at once; `nil` for none.
    func freezeAction(for resource: Resource, at now: BillingTime) -> CloudAction? {
        guard let kind = self.configuration.freezeActions.kind(for: resource.resourceType) else { return nil }
        return CloudAction(
            id: self.newID(),
            userID: resource.userID,
            resourceID: resource.id,
            resourceType: resource.resourceType,
            kind: kind,
            nextAttemptAt: now,
            createdAt: now
        )
    }

    /// Stops a resource's billing at `instant` (or where it is billed until, if later) for a freeze: the open
    /// interval is settled (cause `freeze`) and a rate-0 entry goes into its history, so that late events replay
    /// consistently.
    func stopBilling(
        _ resource: inout Resource,
        at instant: BillingTime,
        policyID: String?,
        user: inout User,
        pending: inout PendingWrites,
        now: BillingTime
    ) {
        let before = resource.billing
        let stop = max(instant, before.billedUntil ?? instant)
        let step = before.settling(at: stop, cause: .freeze)
        var billing = step.billing
        if let charge = step.charge { self.record(charge, resource: resource, user: &user, pending: &pending) }
        if !billing.rate.isZero {
            billing.rate = .zero
            pending.append(
                TimelineRecord(
                    entry: TimelineEntry(time: stop, action: .update, rate: .zero, messageID: "freeze-\(self.newID())"),
                    resourceID: resource.id,
                    properties: resource.properties,
                    policyID: policyID
                )
            )
        }
        user.rate = user.rate - before.rate + billing.rate
        user.accrual.move(from: before, to: billing)
        resource.billing = billing
        resource.updatedAt = now
        pending.save(resource)
    }

    /// Thaws a locked, frozen user whose balance now covers its overdraft: each live resource is priced again
    /// from its current properties under the user's policy, billed from `instant` (a re-price entry in its
    /// history). The status is left to the caller's reassessment.
    /// - Returns: The user with its rate and sums moved (not yet saved).
    func thawLocked(
        _ user: User,
        at instant: BillingTime,
        pending: inout PendingWrites,
        in transaction: any StoreTransaction
    ) async throws -> User {
        var user = user
        var rules = RuleLookup()
        let policyID = try await rules.effectivePolicy(of: user, in: transaction)
        let live = pending.liveResources(of: user.id, stored: try await transaction.liveResources(userID: user.id))
        for var resource in live where resource.billing.isActive {
            let quote = try await self.price(
                resourceType: resource.resourceType,
                properties: resource.properties,
                policyID: policyID,
                rules: &rules,
                in: transaction
            )
            let before = resource.billing
            let start = max(instant, before.billedUntil ?? instant)
            // Nothing accrues while frozen (rate 0): settling only moves the billing point (any charge is recorded).
            let step = before.settling(at: start, cause: .freeze)
            if let charge = step.charge { self.record(charge, resource: resource, user: &user, pending: &pending) }
            var billing = step.billing
            billing.rate = quote.rate
            pending.append(
                TimelineRecord(
                    entry: TimelineEntry(
                        time: start,
                        action: .update,
                        rate: quote.rate,
                        messageID: "thaw-\(self.newID())"
                    ),
                    resourceID: resource.id,
                    properties: resource.properties,
                    policyID: policyID,
                    isReprice: true,
                    previousPolicyID: policyID
                )
            )
            user.rate = user.rate - before.rate + billing.rate
            user.accrual.move(from: before, to: billing)
            resource.billing = billing
            resource.ruleID = quote.ruleID
            resource.updatedAt = instant
            pending.save(resource)
        }
        user.frozenAt = nil
        user.updatedAt = instant
        pending.cancelCloudActions(of: user.id)
        if self.configuration.restartOnThaw {
            // Only what the freeze itself stopped (a server its owner had stopped stays stopped).
            for stopped in try await transaction.stoppedResources(userID: user.id) {
                pending.append(
                    CloudAction(
                        id: self.newID(),
                        userID: user.id,
                        resourceID: stopped.resourceID,
                        resourceType: stopped.resourceType,
                        kind: .start,
                        nextAttemptAt: instant,
                        createdAt: instant
                    )
                )
            }
        }
        return user
    }

    /// Thaws, in `pending`, the frozen users among `users` whose balance now covers the overdraft (a recharge, a
    /// deletion, or a late event that re-rated the past): O(1) per user that is not frozen.
    /// - Returns: The users, thawed where they could be (not yet saved; the reassessment sets their status).
    func thawingCovered(
        _ users: [User],
        pending: inout PendingWrites,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> [User] {
        var result: [User] = []
        for user in users {
            let floor = Money.zero - user.credit
            guard user.status == .freeze, user.deletedAt == nil,
                !AccountMath.isBalance(
                    atOrBelow: floor,
                    balance: user.balance,
                    rate: user.rate,
                    accrual: user.accrual,
                    at: now
                )
            else {
                result.append(user)
                continue
            }
            // Judged on the thawed figures: resuming brings back the rounding residues the freeze left uncharged, so
            // a balance just above −credit may be overdrawn again once billed. Thawing only writes to `pending`, so
            // a thaw that would not hold is simply dropped.
            var trial = pending
            let thawed = try await self.thawLocked(user, at: now, pending: &trial, in: transaction)
            if AccountMath.isBalance(
                atOrBelow: floor,
                balance: thawed.balance,
                rate: thawed.rate,
                accrual: thawed.accrual,
                at: now
            ) {
                result.append(user)
            } else {
                pending = trial
                result.append(thawed)
            }
        }
        return result
    }
}
