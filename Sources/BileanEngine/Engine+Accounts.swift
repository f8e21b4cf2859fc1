import BileanCore
import BileanStore
import Logging

extension Engine {
    /// The user with its real-time balance at `now`.
    func presented(_ user: User, resources: [Resource], at now: BillingTime) -> User {
        var shown = user
        shown.balance = AccountMath.balance(user.balance, resources: resources.map(\.billing), at: now)
        // O(1) from the user's sums: the first microsecond at which the exact balance is at or below 0 and −credit.
        shown.runOutAt = AccountMath.instant(
            whenBalanceReaches: .zero,
            balance: user.balance,
            rate: user.rate,
            accrual: user.accrual,
            from: now
        )
        shown.freezeAt = self.freezeInstants(of: user, from: now).freezeAt
        return shown
    }

    /// The live resources that present users' real-time balances, by user: only those of users with an open
    /// interval. A resource adds to the real-time balance (``ResourceBilling/openCost(at:)``) under exactly the
    /// conditions under which it counts in its user's ``OpenAccrual`` (active, billed, at a non-zero rate), so a user
    /// whose count is zero has nothing to read: a page of users who bill nothing reads no resource at all.
    func presentingResources(
        of users: [User],
        in transaction: any StoreTransaction
    ) async throws -> [String: [Resource]] {
        let open = users.filter { $0.accrual.count > 0 }.map(\.id)
        guard !open.isEmpty else { return [:] }
        return Dictionary(grouping: try await transaction.liveResources(userIDs: open), by: \.userID)
    }

    /// ``presentingResources(of:in:)`` for one user.
    func presentingResources(of user: User, in transaction: any StoreTransaction) async throws -> [Resource] {
        guard user.accrual.count > 0 else { return [] }
        return try await transaction.liveResources(userID: user.id)
    }

    /// When the balance reaches −credit (`overdrawnAt`: the prediction, or the instant it did if it already has)
    /// and when the freeze falls due, `[freeze] grace_period` later; `nil` when the balance never falls.
    func freezeInstants(of user: User, from now: BillingTime) -> (overdrawnAt: BillingTime?, freezeAt: BillingTime?) {
        let floor = Money.zero - user.credit
        let reached = AccountMath.instant(
            whenBalanceReaches: floor,
            balance: user.balance,
            rate: user.rate,
            accrual: user.accrual,
            from: now
        )
        let grace = self.configuration.freezeGraceSeconds
        if AccountMath.isBalance(
            atOrBelow: floor,
            balance: user.balance,
            rate: user.rate,
            accrual: user.accrual,
            at: now
        ) {
            // Overdrawn: since the instant recorded when it was predicted (it came true), kept whatever the rate
            // does meanwhile, so that deleting and creating resources does not restart the grace period. With
            // nothing billed there is nothing to freeze.
            let overdrawnAt = min(user.overdrawnAt ?? now, now)
            return (overdrawnAt, reached.map { _ in overdrawnAt.adding(seconds: grace) })
        }
        return (reached, reached?.adding(seconds: grace))
    }

    /// The balance below which the notify job fires: enough for `prior_notify_time` at the current rate, above
    /// the freeze threshold.
    func notifyThreshold(for user: User) -> Money {
        let cover = Money(
            units: Money.roundedQuotient(user.rate.unitsPerHour * Int128(self.configuration.priorNotifySeconds), 3600)
        )
        return cover - user.credit
    }

    /// What a user's account becomes after a change: its status, reason, jobs, a status-change event and the
    /// `billing.notify` notices to send.
    struct Reassessment {
        var user: User
        /// The notify and freeze jobs.
        var jobs: [Job]
        /// The daily settlement job the user should have (`nil`: none).
        var daily: Job?
        var event: Event?
        var actions: [UserStatusMachine.Action]
        var notices: [BillingNotice]
    }

    /// Re-evaluates a user's status after a change (``UserStatusMachine``) and computes its jobs: O(1), from the
    /// user's rate and open-interval sums (``OpenAccrual``), whatever its number of resources.
    func reassess(_ user: User, trigger: UserStatusMachine.Trigger, now: BillingTime) -> Reassessment {
        var user = user
        let floor = Money.zero - user.credit
        let notifyAt = AccountMath.instant(
            whenBalanceReaches: self.notifyThreshold(for: user),
            balance: user.balance,
            rate: user.rate,
            accrual: user.accrual,
            from: now
        )
        let instants = self.freezeInstants(of: user, from: now)
        let freezeAt = instants.freezeAt
        user.overdrawnAt = instants.overdrawnAt
        let account = UserStatusMachine.Account(
            balance: AccountMath.balance(user.balance, rate: user.rate, accrual: user.accrual, at: now),
            rate: user.rate,
            credit: user.credit,
            notifyAt: notifyAt,
            now: now,
            // A frozen user that was not thawed (`thawingCovered` clears `frozenAt` when it thaws) stays overdrawn:
            // its thaw would not hold once billing resumed.
            isOverdrawn: (user.status == .freeze && user.frozenAt != nil)
                || AccountMath.isBalance(
                    atOrBelow: floor,
                    balance: user.balance,
                    rate: user.rate,
                    accrual: user.accrual,
                    at: now
                )
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
        var daily: Job?
        // A deleted project has no jobs: nothing is left to warn about, freeze or settle; a frozen one bills nothing.
        if user.status != .freeze && user.deletedAt == nil {
            if let freezeAt { jobs.append(Job(userID: user.id, kind: .freeze, runAt: freezeAt)) }
            if user.status != .warning, let notifyAt {
                jobs.append(Job(userID: user.id, kind: .notify, runAt: notifyAt))
            }
            if self.hasDailySettlement(user), let time = self.configuration.dailySettlement {
                daily = Job(userID: user.id, kind: .daily, runAt: time.nextOccurrence(after: now))
            }
        }
        var notices: [BillingNotice] = []
        for action in transition.actions {
            switch action {
            case .sendWarning:
                notices.append(self.notice(.warning, user: user, balance: account.balance, runOut: freezeAt, at: now))
            case .thawResources:
                notices.append(self.notice(.thaw, user: user, balance: account.balance, runOut: freezeAt, at: now))
            case .freezeResources:
                // Sent by the freeze itself, with the balance it settled.
                break
            }
        }
        return Reassessment(
            user: user,
            jobs: jobs,
            daily: daily,
            event: event,
            actions: transition.actions,
            notices: notices
        )
    }

    /// A `billing.notify` notice about a user.
    func notice(
        _ reason: BillingNotice.Reason,
        user: User,
        balance: Money,
        runOut: BillingTime?,
        at time: BillingTime
    ) -> BillingNotice {
        BillingNotice(
            id: self.newID(),
            userID: user.id,
            reason: reason,
            timestamp: time,
            payload: .object([
                "user_id": .string(user.id),
                "user_name": user.name.map(JSONValue.string) ?? .null,
                "reason": .string(reason.rawValue),
                "status": .string(user.status.rawValue),
                "status_reason": user.statusReason.map(JSONValue.string) ?? .null,
                "balance": .string(balance.description),
                "rate": .string(user.rate.perSecondForDisplay.description),
                "credit": .string(user.credit.description),
                "expected_run_out": runOut.map { .string($0.iso8601) } ?? .null,
                "timestamp": .string(time.iso8601),
            ]),
            createdAt: self.now()
        )
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
        let users = try await self.thawingCovered(users, pending: &pending, now: now, in: transaction)
        try await pending.flush(to: transaction)
        guard !users.isEmpty else { return [:] }
        let live = try await self.presentingResources(of: users, in: transaction)
        let saved = try await self.saveReassessed(users, trigger: trigger, now: now, in: transaction)
        return Dictionary(uniqueKeysWithValues: saved.map { ($0.id, ($0, live[$0.id] ?? [])) })
    }

    /// ``refreshAccounts(_:trigger:pending:now:in:)`` without presenting the users: O(1) per user (no resource is
    /// read), for the notification hot path.
    func refreshAccountsQuietly(
        _ users: [User],
        previous: [String: User]? = nil,
        trigger: UserStatusMachine.Trigger,
        pending: inout PendingWrites,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws {
        let users = try await self.thawingCovered(users, pending: &pending, now: now, in: transaction)
        try await pending.flush(to: transaction)
        guard !users.isEmpty else { return }
        _ = try await self.saveReassessed(users, previous: previous, trigger: trigger, now: now, in: transaction)
    }

    /// Reassesses users and writes them with their jobs, status-change events and notices, in a few statements.
    private func saveReassessed(
        _ users: [User],
        previous: [String: User]? = nil,
        trigger: UserStatusMachine.Trigger,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws -> [User] {
        let reassessments = users.map { self.reassess($0, trigger: trigger, now: now) }
        try await self.save(reassessments, previous: previous, in: transaction)
        return reassessments.map(\.user)
    }

    /// Whether a user has a daily settlement job: it bills something, and is neither frozen nor deleted.
    func hasDailySettlement(_ user: User) -> Bool {
        self.configuration.dailySettlement != nil && user.status != .freeze && user.deletedAt == nil
            && !user.rate.isZero
    }

    /// Writes reassessed users with their jobs, events and notices.
    /// - Parameters:
    ///   - reassessments: The users.
    ///   - previous: The users as they were stored, when known: a daily job is then written only for users that
    ///     start or stop having one (every user that has one keeps it until it fires).
    ///   - transaction: The transaction.
    func save(
        _ reassessments: [Reassessment],
        previous: [String: User]? = nil,
        in transaction: any StoreTransaction
    ) async throws {
        guard !reassessments.isEmpty else { return }
        let ids = reassessments.map(\.user.id)
        let jobs = reassessments.flatMap(\.jobs)
        try await transaction.upsertJobs(jobs)
        for kind in [Job.Kind.notify, .freeze] {
            let keeping = Set(jobs.filter { $0.kind == kind }.map(\.userID))
            try await transaction.deleteJobs(userIDs: ids.filter { !keeping.contains($0) }, kinds: [kind])
        }
        // A daily settlement already scheduled stays as it is (moving it to the next day would skip one that is due
        // now); users with nothing to settle lose theirs.
        let changed = reassessments.filter { reassessment in
            guard let before = previous?[reassessment.user.id] else { return true }
            return self.hasDailySettlement(before) != (reassessment.daily != nil)
        }
        try await transaction.deleteJobs(userIDs: changed.filter { $0.daily == nil }.map(\.user.id), kinds: [.daily])
        // The deletion step of a two-step freeze lives as long as the freeze.
        try await transaction.deleteJobs(
            userIDs: reassessments.filter { $0.user.status != .freeze }.map(\.user.id),
            kinds: [.freezeDelete]
        )
        try await transaction.insertJobsIfAbsent(changed.compactMap(\.daily))
        try await transaction.insertEvents(reassessments.compactMap(\.event))
        try await transaction.insertNotices(reassessments.flatMap(\.notices))
        try await transaction.updateUsers(reassessments.map(\.user))
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
