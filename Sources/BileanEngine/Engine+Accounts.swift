import BileanCore
import BileanStore
import Logging

extension Engine {
    /// The user with its real-time balance at `now`.
    func presented(_ user: User, resources: [Resource], at now: BillingTime) -> User {
        var shown = user
        shown.balance = AccountMath.balance(user.balance, resources: resources.map(\.billing), at: now)
        return shown
    }

    /// The balance below which the notify job fires: enough for `prior_notify_time` at the current rate, above
    /// the freeze threshold.
    func notifyThreshold(for user: User) -> Money {
        let cover = Money(
            units: Money.roundedQuotient(user.rate.unitsPerHour * Int128(self.configuration.priorNotifySeconds), 3600)
        )
        return cover - user.credit
    }

    /// What a user's account becomes after a change: its status, reason, jobs and a status-change event.
    struct Reassessment {
        var user: User
        var jobs: [Job]
        var event: Event?
    }

    /// Re-evaluates a user's status after a change (``UserStatusMachine``) and computes its notify and freeze jobs.
    /// Pure: proportional to the user's own live resources, never to the number of users.
    func reassess(
        _ user: User,
        trigger: UserStatusMachine.Trigger,
        billing: [ResourceBilling],
        now: BillingTime
    ) -> Reassessment {
        var user = user
        let balance = AccountMath.balance(user.balance, resources: billing, at: now)
        let notifyAt = AccountMath.instant(
            whenBalanceReaches: self.notifyThreshold(for: user),
            balance: user.balance,
            resources: billing,
            from: now
        )
        let freezeAt = AccountMath.instant(
            whenBalanceReaches: Money.zero - user.credit,
            balance: user.balance,
            resources: billing,
            from: now
        )
        let account = UserStatusMachine.Account(
            balance: balance,
            rate: user.rate,
            credit: user.credit,
            notifyAt: notifyAt,
            now: now
        )
        let transition = UserStatusMachine().transition(from: user.status, on: trigger, account: account)
        var event: Event?
        if transition.status != user.status {
            event = Event(
                id: self.newID(),
                timestamp: now,
                objectID: user.id,
                objectType: "user",
                objectName: user.name,
                action: "status_change",
                userID: user.id,
                level: transition.status == .warning || transition.status == .freeze ? .warning : .info,
                status: transition.status.rawValue,
                statusReason: transition.reason,
                metadata: .object([
                    "from": .string(user.status.rawValue),
                    "actions": .array(transition.actions.map { .string("\($0)") }),
                ])
            )
        }
        user.status = transition.status
        user.statusReason = transition.reason
        var jobs: [Job] = []
        // A deleted project has no jobs: nothing is left to warn about or freeze.
        if user.status != .freeze && user.deletedAt == nil {
            if let freezeAt { jobs.append(Job(userID: user.id, kind: .freeze, runAt: freezeAt)) }
            if user.status != .warning, let notifyAt {
                jobs.append(Job(userID: user.id, kind: .notify, runAt: notifyAt))
            }
        }
        return Reassessment(user: user, jobs: jobs, event: event)
    }

    /// Flushes `pending`, re-evaluates the locked users after a change, and writes them with their jobs: a few
    /// statements for any number of users.
    /// - Returns: Each user as saved, with its live resources (to present the real-time balance).
    func refreshAccounts(
        _ users: [User],
        trigger: UserStatusMachine.Trigger,
        pending: inout PendingWrites,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> [String: (user: User, resources: [Resource])] {
        try await pending.flush(to: transaction)
        guard !users.isEmpty else { return [:] }
        let live = Dictionary(grouping: try await transaction.liveResources(userIDs: users.map(\.id)), by: \.userID)
        let saved = try await self.saveReassessed(
            users,
            trigger: trigger,
            billing: live.mapValues { $0.map(\.billing) },
            now: now,
            in: transaction
        )
        return Dictionary(uniqueKeysWithValues: saved.map { ($0.id, ($0, live[$0.id] ?? [])) })
    }

    /// ``refreshAccounts(_:trigger:pending:now:in:)`` without presenting the users: reads only the billing state
    /// of their live resources (no properties), for the notification hot path.
    func refreshAccountsQuietly(
        _ users: [User],
        trigger: UserStatusMachine.Trigger,
        pending: inout PendingWrites,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws {
        try await pending.flush(to: transaction)
        guard !users.isEmpty else { return }
        let billing = try await transaction.liveBilling(userIDs: users.map(\.id))
        _ = try await self.saveReassessed(users, trigger: trigger, billing: billing, now: now, in: transaction)
    }

    /// Reassesses users from the billing state of their live resources and writes them with their jobs and
    /// status-change events, in a few statements.
    private func saveReassessed(
        _ users: [User],
        trigger: UserStatusMachine.Trigger,
        billing: [String: [ResourceBilling]],
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> [User] {
        var jobs: [Job] = []
        var events: [Event] = []
        var saved: [User] = []
        for user in users {
            let reassessment = self.reassess(user, trigger: trigger, billing: billing[user.id] ?? [], now: now)
            jobs += reassessment.jobs
            if let event = reassessment.event { events.append(event) }
            saved.append(reassessment.user)
        }
        try await transaction.replaceJobs(userIDs: users.map(\.id), kinds: [.notify, .freeze], with: jobs)
        try await transaction.insertEvents(events)
        try await transaction.updateUsers(saved)
        return saved
    }

    /// ``refreshAccounts(_:trigger:pending:now:in:)`` for one user, returned with its real-time balance.
    func refreshAccount(
        _ user: User,
        trigger: UserStatusMachine.Trigger,
        pending: inout PendingWrites,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> User {
        let refreshed = try await self.refreshAccounts(
            [user],
            trigger: trigger,
            pending: &pending,
            now: now,
            in: transaction
        )
        guard let (saved, resources) = refreshed[user.id] else { return user }
        return self.presented(saved, resources: resources, at: now)
    }

    /// An audit event about a user account.
    func userEvent(
        _ user: User,
        action: String,
        at now: BillingTime,
        statusReason: String? = nil,
        metadata: JSONValue = .object([:])
    ) -> Event {
        Event(
            id: self.newID(),
            timestamp: now,
            objectID: user.id,
            objectType: "user",
            objectName: user.name,
            action: action,
            userID: user.id,
            status: user.status.rawValue,
            statusReason: statusReason,
            metadata: metadata
        )
    }

    /// Locks a user, creating it (status INIT, balance 0) when Bilean has not seen the project yet.
    func lockOrCreateUser(_ id: String, now: BillingTime, in transaction: any StoreTransaction) async throws -> User {
        if let user = try await transaction.user(id, lock: true) { return user }
        let user = User(id: id, credit: self.configuration.defaultCredit, createdAt: now)
        guard try await transaction.insertUser(user) else {
            // Another engine inserted it concurrently; lock the stored row.
            return try await transaction.user(id, lock: true) ?? user
        }
        try await transaction.insertEvent(self.userEvent(user, action: "create", at: now, statusReason: "First seen"))
        return try await transaction.user(id, lock: true) ?? user
    }

    /// Locks users, creating in a few statements those Bilean has not seen yet (status INIT, balance 0).
    /// - Returns: The users by id.
    func lockOrCreateUsers(
        _ ids: [String],
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> [String: User] {
        var users = Dictionary(uniqueKeysWithValues: try await transaction.lockUsers(ids).map { ($0.id, $0) })
        let missing = ids.filter { users[$0] == nil }
        guard !missing.isEmpty else { return users }
        let fresh = missing.map { User(id: $0, credit: self.configuration.defaultCredit, createdAt: now) }
        // Another engine may insert some of them concurrently: only the ones inserted here get a "First seen" event.
        let inserted = try await transaction.insertUsers(fresh)
        try await transaction.insertEvents(
            fresh.filter { inserted.contains($0.id) }.map {
                self.userEvent($0, action: "create", at: now, statusReason: "First seen")
            }
        )
        for user in try await transaction.lockUsers(missing) { users[user.id] = user }
        return users
    }

    /// A live (not deleted) user, locked when `lock`.
    func liveUser(_ id: String, lock: Bool, in transaction: any StoreTransaction) async throws -> User {
        try Self.checkID(id, field: "user_id")
        guard let user = try await transaction.user(id, lock: lock), user.deletedAt == nil else {
            throw BileanError.notFound("User", id)
        }
        return user
    }
}
