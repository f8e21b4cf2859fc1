package import BileanCore
import BileanStore
import Logging

extension Engine {
    package func listUsers(_ query: ListQuery) async throws -> [User] {
        let query = try self.validated(query, .users)
        let now = self.now()
        return try await self.transaction("list users", readOnly: true) { transaction in
            let users = try await transaction.users(query)
            let live = try await self.presentingResources(of: users, in: transaction)
            return users.map { self.presented($0, resources: live[$0.id] ?? [], at: now) }
        }
    }

    package func user(_ id: String) async throws -> User {
        let now = self.now()
        return try await self.transaction("show user", readOnly: true) { transaction in
            let user = try await self.liveUser(id, lock: false, in: transaction)
            let resources = try await self.presentingResources(of: user, in: transaction)
            return self.presented(user, resources: resources, at: now)
        }
    }

    package func createUser(id: String, name: String?, messageID: String?) async throws -> User {
        try Self.checkID(id, field: "user_id")
        if let name { try Self.checkName(name) }
        let now = self.now()
        return try await self.transaction("create user") { transaction in
            if let messageID, try await !transaction.markProcessed(messageID, at: now) {
                // A redelivered creation changes nothing, even if the project was deleted since.
                guard let user = try await transaction.user(id, lock: false) else {
                    throw BileanError.notFound("User", id)
                }
                return self.presented(
                    user,
                    resources: try await self.presentingResources(of: user, in: transaction),
                    at: now
                )
            }
            let user = try await self.createUserLocked(id: id, name: name, now: now, in: transaction)
            return self.presented(
                user,
                resources: try await self.presentingResources(of: user, in: transaction),
                at: now
            )
        }
    }

    /// Opens a project's account in a transaction, or renames or revives it.
    /// - Returns: The user as saved.
    func createUserLocked(
        id: String,
        name: String?,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> User {
        var user = try await self.lockOrCreateUser(id, now: now, in: transaction)
        guard user.deletedAt != nil || (name != nil && user.name != name) else { return user }
        let revived = user.deletedAt != nil
        user.deletedAt = nil
        user.name = name ?? user.name
        user.updatedAt = now
        try await transaction.updateUser(user)
        if revived {
            // A project that comes back gets its notify and freeze jobs back.
            var pending = PendingWrites()
            user = try await self.refreshAccount(
                user,
                trigger: .billingChanged,
                pending: &pending,
                now: now,
                in: transaction
            )
        }
        try await transaction.insertEvent(self.userEvent(user, action: "update", at: now))
        return user
    }

    package func deleteUser(id: String, messageID: String?) async throws {
        try Self.checkID(id, field: "user_id")
        let now = self.now()
        try await self.transaction("delete user") { transaction in
            if let messageID, try await !transaction.markProcessed(messageID, at: now) { return }
            guard try await self.deleteUserLocked(id: id, at: now, now: now, in: transaction) else {
                throw BileanError.notFound("User", id)
            }
        }
    }

    /// Deletes a project's account in a transaction: every live resource stops at `time` (or where it is billed
    /// until, if later), the account is settled and soft-deleted, its jobs dropped.
    /// - Returns: `false` when there is no such live user.
    func deleteUserLocked(
        id: String,
        at time: BillingTime,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> Bool {
        guard var user = try await transaction.user(id, lock: true), user.deletedAt == nil else { return false }
        // Nobody is left to bill: every live resource of the project stops at the deletion (recorded in its
        // history, so that late events replay consistently), and the account is settled.
        var pending = PendingWrites()
        let live = try await transaction.liveResources(userID: id)
        pending.remember(lookedUp: live.map(\.id), found: live)
        var rules = RuleLookup()
        for resource in live {
            let stop = ResourceEvent(
                messageID: "project-deleted-\(self.newID())",
                action: .delete,
                resourceType: resource.resourceType,
                resourceID: resource.id,
                userID: id,
                properties: [:],
                time: max(time, resource.billing.billedUntil ?? time)
            )
            try await self.applyLocked(stop, user: &user, pending: &pending, rules: &rules, now: now, in: transaction)
        }
        user.lastBill = max(user.lastBill ?? time, time)
        user.deletedAt = now
        user.updatedAt = now
        pending.events.append(self.userEvent(user, action: "delete", at: now, statusReason: "Project deleted"))
        try await pending.flush(to: transaction)
        try await transaction.updateUser(user)
        try await transaction.replaceJobs(userID: id, kinds: Job.Kind.allCases, with: [])
        return true
    }

    package func recharge(
        userID: String,
        value: Money,
        kind: Recharge.Kind,
        metadata: JSONValue,
        id: String?
    ) async throws -> User {
        if let id { try Self.checkID(id, field: "id") }
        guard value.isPositive else {
            throw BileanError.invalid("value", "The recharge value must be greater than 0")
        }
        guard value <= Recharge.maximumValue else {
            throw BileanError.invalid("value", "The recharge value must not exceed \(Recharge.maximumValue)")
        }
        try Self.checkMetadata(metadata)
        let now = self.now()
        try Self.checkID(userID, field: "user_id")
        return try await self.transaction("recharge") { transaction in
            // A project Bilean has not heard of yet (its Keystone notification may still be on its way) is created,
            // so that money is never refused; a deleted one stays deleted.
            var user = try await self.lockOrCreateUser(userID, now: now, in: transaction)
            guard user.deletedAt == nil else { throw BileanError.notFound("User", userID) }
            if let id, let done = try await transaction.recharge(id) {
                // The same call again (a request redelivered after an engine died): credited once.
                guard done.userID == userID, done.value == value else {
                    throw BileanError.conflict("Recharge \(id) was made with other values")
                }
                let resources = try await self.presentingResources(of: user, in: transaction)
                return self.presented(user, resources: resources, at: now)
            }
            user.balance += value
            user.updatedAt = now
            try await transaction.insertRecharge(
                Recharge(
                    id: id ?? self.newID(),
                    userID: userID,
                    kind: kind,
                    value: value,
                    timestamp: now,
                    metadata: metadata
                )
            )
            var pending = PendingWrites()
            // If the money covers an overdraft, the refresh thaws the account: billing resumes from now.
            pending.events.append(
                self.userEvent(
                    user,
                    action: "recharge",
                    at: now,
                    metadata: .object(["value": .string(value.description), "type": .string(kind.rawValue)])
                )
            )
            return try await self.refreshAccount(
                user,
                trigger: .recharged,
                pending: &pending,
                now: now,
                in: transaction
            )
        }
    }

    package func projection(userID: String, at instant: BillingTime) async throws -> UserProjection {
        let now = self.now()
        guard instant >= now else {
            throw BileanError.invalid("at", "'at' must not be in the past (now is \(now.iso8601))")
        }
        return try await self.transaction("project user", readOnly: true) { transaction in
            let user = try await self.liveUser(userID, lock: false, in: transaction)
            let resources = try await transaction.liveResources(userID: userID)
            let shown = self.presented(user, resources: resources, at: now)
            // Billing stops at the freeze: past it, the balance stays where the freeze left it.
            var until = instant
            if let freezeAt = shown.freezeAt, freezeAt < until { until = freezeAt }
            let balance = AccountMath.balance(user.balance, resources: resources.map(\.billing), at: until)
            let status: UserStatus
            if user.status == .freeze || user.rate.unitsPerHour == 0 {
                status = user.status
            } else if let freezeAt = shown.freezeAt, instant >= freezeAt {
                status = .freeze
            } else if user.status == .warning
                || AccountMath.instant(
                    whenBalanceReaches: self.notifyThreshold(for: user),
                    balance: user.balance,
                    rate: user.rate,
                    accrual: user.accrual,
                    from: now
                ).map({ instant >= $0 }) == true
            {
                status = .warning
            } else {
                status = .active
            }
            return UserProjection(userID: userID, at: instant, balance: balance, status: status)
        }
    }

    package func setCredit(userID: String, value: Money) async throws -> User {
        guard !value.isNegative else {
            throw BileanError.invalid("value", "The credit must not be negative")
        }
        guard value <= Recharge.maximumValue else {
            throw BileanError.invalid("value", "The credit must not exceed \(Recharge.maximumValue)")
        }
        try Self.checkID(userID, field: "user_id")
        let now = self.now()
        return try await self.transaction("set credit") { transaction in
            var user = try await self.liveUser(userID, lock: true, in: transaction)
            let previous = user.credit
            user.credit = value
            user.updatedAt = now
            var pending = PendingWrites()
            pending.events.append(
                self.userEvent(
                    user,
                    action: "set_credit",
                    at: now,
                    metadata: .object([
                        "credit": .string(value.description), "previous_credit": .string(previous.description),
                    ])
                )
            )
            // More credit covers an overdraft the way money does (a thaw); less may bring the freeze forward (to
            // now at the earliest: a freeze never reaches into the past).
            return try await self.refreshAccount(
                user,
                trigger: value > previous ? .recharged : .billingChanged,
                pending: &pending,
                now: now,
                in: transaction
            )
        }
    }

    package func attachPolicy(userID: String, policyID: String) async throws -> User {
        try Self.checkID(policyID, field: "policy")
        let now = self.now()
        return try await self.transaction("attach policy") { transaction in
            var user = try await self.liveUser(userID, lock: true, in: transaction)
            try await transaction.lockConfiguration()
            guard let policy = try await transaction.policy(policyID, includeDeleted: false) else {
                throw BileanError.notFound("Policy", policyID)
            }
            var rules = RuleLookup()
            let previousPolicy = try await rules.effectivePolicy(of: user, in: transaction)
            user.policyID = policy.id
            user.updatedAt = now
            var pending = PendingWrites()
            pending.events.append(
                self.userEvent(
                    user,
                    action: "attach_policy",
                    at: now,
                    metadata: .object(["policy_id": .string(policy.id)])
                )
            )
            // Re-price every live resource under the new policy from now on.
            let live = try await transaction.liveResources(userID: userID)
            pending.remember(lookedUp: live.map(\.id), found: live)
            // A frozen user's resources are not billed: the thaw prices them under the new policy.
            for resource in live where resource.billing.isActive && user.status != .freeze {
                let event = ResourceEvent(
                    messageID: "attach-policy-\(self.newID())",
                    action: .update,
                    resourceType: resource.resourceType,
                    resourceID: resource.id,
                    userID: userID,
                    properties: resource.properties,
                    time: max(now, resource.billing.billedUntil ?? now)
                )
                try await self.applyLocked(
                    event,
                    user: &user,
                    pending: &pending,
                    rules: &rules,
                    repriceFrom: PolicyChange(from: previousPolicy),
                    now: now,
                    in: transaction
                )
            }
            return try await self.refreshAccount(
                user,
                trigger: .billingChanged,
                pending: &pending,
                now: now,
                in: transaction
            )
        }
    }

    package func settle(userID: String, at instant: BillingTime) async throws -> User {
        let now = self.now()
        return try await self.transaction("settle") { transaction in
            var user = try await self.liveUser(userID, lock: true, in: transaction)
            var pending = PendingWrites()
            user = try await self.settleLocked(
                user,
                at: instant,
                cause: .settlement,
                pending: &pending,
                in: transaction
            )
            return try await self.refreshAccount(
                user,
                trigger: .billingChanged,
                pending: &pending,
                now: max(now, instant),
                in: transaction
            )
        }
    }

    /// Closes every open interval of a locked user at `instant`, recording consumptions; returns the user with its
    /// balance moved by exactly their costs (not yet saved).
    func settleLocked(
        _ user: User,
        at instant: BillingTime,
        cause: Consumption.Cause,
        pending: inout PendingWrites,
        in transaction: any StoreTransaction
    ) async throws -> User {
        var user = user
        let live = pending.liveResources(of: user.id, stored: try await transaction.liveResources(userID: user.id))
        for var resource in live {
            let step = resource.billing.settling(at: instant, cause: cause)
            guard step.billing != resource.billing else { continue }
            user.accrual.move(from: resource.billing, to: step.billing)
            resource.billing = step.billing
            pending.save(resource)
            if let charge = step.charge {
                self.record(charge, resource: resource, user: &user, pending: &pending)
            }
        }
        user.lastBill = max(user.lastBill ?? instant, instant)
        user.updatedAt = self.now()
        return user
    }

    /// Records a charge as a consumption and moves the user's balance by exactly its cost.
    func record(
        _ charge: Charge,
        resource: Resource,
        user: inout User,
        pending: inout PendingWrites,
        reason: String? = nil,
        reratingID: String? = nil,
        estimated: Bool = false
    ) {
        pending.consumptions.append(
            Consumption(
                id: self.newID(),
                userID: user.id,
                resourceID: resource.id,
                resourceType: resource.resourceType,
                startTime: charge.start,
                endTime: charge.end,
                rate: charge.rate,
                cost: charge.cost,
                cause: charge.cause,
                createdAt: self.now(),
                reason: reason,
                reratingID: reratingID,
                estimated: estimated
            )
        )
        user.balance -= charge.cost
    }
}
