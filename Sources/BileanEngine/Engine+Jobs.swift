package import BileanCore
import BileanStore
import Logging

extension Engine {
    package func claimJobs(
        owner: String,
        dueBy horizon: BillingTime,
        leaseUntil: BillingTime,
        limit: Int
    )
        async throws -> [Job]
    {
        let now = self.now()
        return try await self.transaction("claim jobs") { transaction in
            try await transaction.claimJobs(
                owner: owner,
                dueBy: horizon,
                leaseUntil: leaseUntil,
                now: now,
                limit: limit
            )
        }
    }

    package func releaseJobs(owner: String) async throws {
        try await self.transaction("release jobs") { transaction in
            try await transaction.releaseJobs(owner: owner)
        }
    }

    package func runJobs(_ jobs: [Job], owner: String) async throws -> [JobOutcome] {
        guard !jobs.isEmpty else { return [] }
        let now = self.now()
        return try await self.transaction("run jobs") { transaction in
            // Lock every user of the batch at once, in id order (as billing does), then check each job against
            // its stored row under those locks: a change that rescheduled it, or another scheduler's live lease,
            // makes it a no-op here.
            let userIDs = Array(Set(jobs.map(\.userID))).sorted()
            var users = Dictionary(uniqueKeysWithValues: try await transaction.lockUsers(userIDs).map { ($0.id, $0) })
            var stored: [JobKey: Job] = [:]
            for job in try await transaction.jobs(userIDs: userIDs) { stored[JobKey(job)] = job }
            var outcomes: [JobOutcome] = []
            var pending = PendingWrites()
            var reassessments: [String: Reassessment] = [:]
            var dailies: [Job] = []
            var cloudActions: [CloudAction] = []
            var notices: [BillingNotice] = []
            var rules = RuleLookup()
            // A reassessment's event and notices are kept at once: a later job of the same user in this batch
            // replaces the rest of it.
            func detach(_ reassessment: Reassessment) -> Reassessment {
                var rest = reassessment
                notices += reassessment.notices
                if let event = reassessment.event { pending.events.append(event) }
                rest.notices = []
                rest.event = nil
                return rest
            }
            var freezeDeletes: [Job] = []
            var currency: DataCurrency?
            func dataCurrency() async throws -> DataCurrency {
                if let currency { return currency }
                let judged = try await self.dataCurrency(at: now, in: transaction)
                currency = judged
                return judged
            }
            for job in jobs {
                guard let current = stored[JobKey(job)], current.runAt == job.runAt,
                    var user = users[job.userID], user.deletedAt == nil
                else {
                    outcomes.append(.stale)
                    continue
                }
                if let holder = current.owner, holder != owner, let lease = current.leaseUntil, lease >= now {
                    outcomes.append(.ownedElsewhere)
                    continue
                }
                guard current.runAt <= now else {
                    outcomes.append(.notDue)
                    continue
                }
                switch job.kind {
                case .daily:
                    // Close every open interval at the settlement instant and start new ones there: no total
                    // changes (each resource's charged total is rounded once, over its whole accrual).
                    user = try await self.settleLocked(
                        user,
                        at: job.runAt,
                        cause: .settlement,
                        pending: &pending,
                        in: transaction
                    )
                    user.updatedAt = now
                    users[user.id] = user
                    if user.status != .freeze, !user.rate.isZero, let time = self.configuration.dailySettlement {
                        // The next day's, counted from this one: a scheduler that was down settles every day missed.
                        dailies.append(Job(userID: user.id, kind: .daily, runAt: time.nextOccurrence(after: job.runAt)))
                    }
                case .notify:
                    // Judged at the job's own instant: the warning's time does not depend on when it is run.
                    let reassessment = detach(self.reassess(user, trigger: .notifyDue, now: job.runAt))
                    users[user.id] = reassessment.user
                    reassessments[user.id] = reassessment
                case .freeze:
                    var reassessment = self.reassess(user, trigger: .freezeDue, now: job.runAt)
                    var heldSince: BillingTime?
                    if reassessment.actions.contains(.freezeResources),
                        case .behind(let reason) = try await dataCurrency()
                    {
                        // A backlog can make a project look overdrawn that in-order delivery would not: wait for
                        // current data, at most max_hold (then FREEZE and stops may go; deletions still wait).
                        let since = try await transaction.holdJob(job, at: now)
                        if now.microseconds - since.microseconds
                            < self.configuration.freezeHold.maxHoldSeconds * 1_000_000
                        {
                            self.logHold(job, since: since, reason: reason, now: now)
                            if since == now {
                                // Once per hold, in the audit trail: why this project was not frozen yet.
                                pending.events.append(
                                    self.userEvent(user, action: "freeze_held", at: now, statusReason: reason)
                                )
                            }
                            outcomes.append(.held)
                            continue
                        }
                        heldSince = since
                        self.logger.warning(
                            "freeze proceeds after max_hold although the billing data is not current; deletions still wait",
                            metadata: ["user.id": "\(user.id)", "held_since": "\(since)", "reason": "\(reason)"]
                        )
                    }
                    reassessment = detach(reassessment)
                    if reassessment.actions.contains(.freezeResources) {
                        // Settled where the balance reached −credit (after the grace period), not when the job
                        // happened to run.
                        let frozen = try await self.freezeLocked(
                            reassessment.user,
                            at: job.runAt,
                            pending: &pending,
                            rules: &rules,
                            now: now,
                            in: transaction
                        )
                        reassessment.user = frozen.user
                        // A freeze that waited max_hold dates its actions from the hold's start: its stops may go.
                        cloudActions += frozen.actions.map { action in
                            var action = action
                            if let heldSince { action.createdAt = heldSince }
                            return action
                        }
                        if self.configuration.freezeDeleteAfterSeconds > 0,
                            frozen.actions.contains(where: { $0.kind == .stop })
                        {
                            freezeDeletes.append(
                                Job(
                                    userID: user.id,
                                    kind: .freezeDelete,
                                    runAt: now.adding(seconds: self.configuration.freezeDeleteAfterSeconds)
                                )
                            )
                        }
                        notices.append(
                            self.notice(
                                .freeze,
                                user: frozen.user,
                                balance: frozen.user.balance,
                                runOut: nil,
                                at: job.runAt
                            )
                        )
                        pending.events.append(
                            self.userEvent(
                                frozen.user,
                                action: "freeze",
                                at: job.runAt,
                                statusReason: "Balance overdrawn",
                                metadata: .object([
                                    "balance": .string(frozen.user.balance.description),
                                    "cloud_actions": .array(
                                        Array(Set(frozen.actions.map(\.kind.rawValue))).sorted().map(JSONValue.string)
                                    ),
                                    "resources": .number("\(frozen.actions.count)"),
                                    "delete_after_s": .number("\(self.configuration.freezeDeleteAfterSeconds)"),
                                ])
                            )
                        )
                    }
                    users[user.id] = reassessment.user
                    reassessments[user.id] = reassessment
                case .freezeDelete:
                    // The second step of a two-step freeze: still frozen (a thaw deletes the job), so what the
                    // freeze stopped is deleted, once the billing data is current (never on stale data).
                    guard user.status == .freeze, user.frozenAt != nil else { break }
                    if case .behind(let reason) = try await dataCurrency() {
                        let since = try await transaction.holdJob(job, at: now)
                        self.logHold(job, since: since, reason: reason, now: now)
                        outcomes.append(.held)
                        continue
                    }
                    let live = pending.liveResources(
                        of: user.id,
                        stored: try await transaction.liveResources(userID: user.id)
                    )
                    let deletions = live.filter {
                        self.configuration.freezeActions.kind(for: $0.resourceType) == .stop
                            && FreezeActions.supports(.delete, on: $0.resourceType)
                    }.map { resource in
                        CloudAction(
                            id: self.newID(),
                            userID: user.id,
                            resourceID: resource.id,
                            resourceType: resource.resourceType,
                            kind: .delete,
                            nextAttemptAt: now,
                            createdAt: now
                        )
                    }
                    cloudActions += deletions
                    notices.append(self.notice(.freezeDelete, user: user, balance: user.balance, runOut: nil, at: now))
                    pending.events.append(
                        self.userEvent(
                            user,
                            action: "freeze_delete",
                            at: now,
                            statusReason:
                                "Frozen since \(user.frozenAt.map(\.iso8601) ?? "-"): stopped resources deleted",
                            metadata: .object(["resources": .number("\(deletions.count)")])
                        )
                    )
                }
                stored[JobKey(job)] = nil
                outcomes.append(.fired)
            }
            try await pending.flush(to: transaction)
            // Every user written as it ends up (a settlement and a reassessment of one user may share a batch).
            // Users whose only job was a settlement keep their notify and freeze jobs (it moves no instant).
            var written: [Reassessment] = []
            for (id, reassessment) in reassessments.sorted(by: { $0.key < $1.key }) {
                var final = reassessment
                final.user = users[id] ?? reassessment.user
                written.append(final)
            }
            try await self.save(written, in: transaction)
            let fired = zip(jobs, outcomes).filter { $0.1 == .fired }.map(\.0)
            let firedDaily = Set(fired.filter { $0.kind == .daily }.map(\.userID))
            try await transaction.updateUsers(
                firedDaily.subtracting(reassessments.keys).sorted().compactMap { users[$0] }
            )
            try await transaction.deleteJobs(userIDs: Array(firedDaily), kinds: [.daily])
            let firedDeletes = Set(fired.filter { $0.kind == .freezeDelete }.map(\.userID))
            try await transaction.deleteJobs(userIDs: Array(firedDeletes), kinds: [.freezeDelete])
            try await transaction.upsertJobs(freezeDeletes)
            try await transaction.insertJobsIfAbsent(
                dailies.filter { users[$0.userID]?.status != .freeze }
            )
            try await transaction.insertCloudActions(cloudActions)
            try await transaction.insertNotices(notices)
            return outcomes
        }
    }

    /// Logs a held freeze: at warning the first time, at debug when it is held again.
    private func logHold(_ job: Job, since: BillingTime, reason: String, now: BillingTime) {
        let level: Logger.Level = since == now ? .warning : .debug
        self.logger.log(
            level: level,
            "freeze held: the billing data is not current",
            metadata: [
                "user.id": "\(job.userID)", "job": "\(job.kind.rawValue)", "run_at": "\(job.runAt)",
                "held_since": "\(since)", "reason": "\(reason)",
            ]
        )
    }

    /// How long a runner holds a freeze action it is carrying out (its HTTP calls time out well before).
    static let cloudActionLeaseSeconds: Int64 = 300

    /// Identifies a job: one per user and kind.
    struct JobKey: Hashable {
        let userID: String
        let kind: Job.Kind

        init(_ job: Job) {
            self.userID = job.userID
            self.kind = job.kind
        }
    }

    package func pendingNotices(limit: Int) async throws -> [BillingNotice] {
        let now = self.now()
        return try await self.transaction("claim notices") { transaction in
            try await transaction.claimNotices(
                now: now,
                leaseUntil: now.adding(seconds: Self.noticeLeaseSeconds),
                limit: limit
            )
        }
    }

    package func releaseNotices(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await self.transaction("release notices") { transaction in
            try await transaction.releaseNotices(ids: ids)
        }
    }

    /// How long a publisher holds the notices it is sending.
    static let noticeLeaseSeconds: Int64 = 120

    package func deleteNotices(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await self.transaction("delete notices") { transaction in
            try await transaction.deleteNotices(ids: ids)
        }
    }

    package func operationalCounts() async throws -> OperationalCounts {
        try await self.transaction("count for the gauges", readOnly: true) { transaction in
            try await transaction.operationalCounts()
        }
    }

    package func claimCloudActions(limit: Int) async throws -> [CloudAction] {
        let now = self.now()
        return try await self.transaction("claim cloud actions") { transaction in
            // While the billing data is not current, only stops (and thaw restarts) whose freeze waited max_hold
            // may go; deletions and releases wait for current data.
            let currency = try await self.dataCurrency(at: now, in: transaction)
            let actions = try await transaction.claimCloudActions(
                at: now,
                leaseUntil: now.adding(seconds: Self.cloudActionLeaseSeconds),
                limit: limit,
                dataCurrent: currency.isCurrent,
                stopsCreatedBy: now.adding(seconds: -self.configuration.freezeHold.maxHoldSeconds)
            )
            if case .behind(let reason) = currency {
                self.logger.debug(
                    "freeze actions held: the billing data is not current",
                    metadata: ["reason": "\(reason)", "claimed": "\(actions.count)"]
                )
            }
            return actions
        }
    }

    package func finishCloudAction(_ action: CloudAction, outcome: CloudActionOutcome) async throws {
        let now = self.now()
        try await self.transaction("finish cloud action") { transaction in
            // Another scheduler may have finished it meanwhile, or a thaw cancelled it while it ran.
            guard var current = try await transaction.cloudAction(action.id), current.attempts == action.attempts
            else {
                try await self.restartIfThawedMeanwhile(action, outcome: outcome, now: now, in: transaction)
                return
            }
            var level = Event.Level.info
            var status: String
            var reason: String
            switch outcome {
            case .completed(.done(let text)):
                status = "DONE"
                reason = text
                if current.kind == .stop {
                    // Started again by a thaw with restart_on_thaw (and only what the freeze itself stopped).
                    try await transaction.insertStoppedResource(
                        userID: current.userID,
                        resourceID: current.resourceID,
                        resourceType: current.resourceType,
                        at: now
                    )
                }
            case .completed(.unchanged(let text)):
                status = "DONE"
                reason = text
            case .completed(.alreadyGone):
                status = "GONE"
                reason = "the resource no longer exists in the cloud"
            case .completed(.notApplicable(let text)):
                status = "SKIPPED"
                reason = text
            case .failed(let error):
                current.attempts += 1
                current.lastError = String(error.message.prefix(1000))
                if error.isRetryable && current.attempts < self.configuration.cloudActionMaxAttempts {
                    let exponent = min(current.attempts - 1, 30)
                    let wait = min(
                        self.configuration.cloudActionRetrySeconds << Int64(exponent),
                        max(self.configuration.cloudActionMaxRetrySeconds, self.configuration.cloudActionRetrySeconds)
                    )
                    current.nextAttemptAt = now.adding(seconds: wait)
                    try await transaction.updateCloudAction(current)
                    level = .warning
                    status = "RETRYING"
                    reason =
                        "attempt \(current.attempts) failed: \(current.lastError ?? ""); next attempt at \(current.nextAttemptAt)"
                    try await transaction.insertEvent(
                        self.cloudActionEvent(current, level: level, status: status, reason: reason, at: now)
                    )
                    return
                }
                level = .error
                status = "FAILED"
                reason =
                    error.isRetryable
                    ? "given up after \(current.attempts) attempts: \(current.lastError ?? "")"
                    : "refused: \(current.lastError ?? "")"
            }
            try await transaction.deleteCloudAction(current.id)
            try await transaction.insertEvent(
                self.cloudActionEvent(current, level: level, status: status, reason: reason, at: now)
            )
        }
    }

    /// A stop that was carried out while a thaw cancelled it: with `restart_on_thaw`, the server is started again
    /// (the thaw could not know it would be stopped).
    private func restartIfThawedMeanwhile(
        _ action: CloudAction,
        outcome: CloudActionOutcome,
        now: BillingTime,
        in transaction: any StoreTransaction
    ) async throws {
        guard self.configuration.restartOnThaw, action.kind == .stop, case .completed(.done) = outcome,
            let user = try await transaction.user(action.userID, lock: false), user.status != .freeze,
            user.deletedAt == nil
        else { return }
        var restart = action
        restart.id = self.newID()
        restart.kind = .start
        restart.attempts = 0
        restart.lastError = nil
        restart.nextAttemptAt = now
        restart.createdAt = now
        try await transaction.insertCloudActions([restart])
    }

    /// The audit event of a freeze action's attempt.
    private func cloudActionEvent(
        _ action: CloudAction,
        level: Event.Level,
        status: String,
        reason: String,
        at now: BillingTime
    ) -> Event {
        Event(
            id: self.newID(),
            timestamp: now,
            objectID: action.resourceID,
            objectType: action.resourceType,
            action: "freeze_\(action.kind.rawValue)",
            userID: action.userID,
            level: level,
            status: status,
            statusReason: String(reason.prefix(2000)),
            metadata: .object([
                "cloud_action_id": .string(action.id),
                "attempts": .number("\(action.attempts)"),
            ])
        )
    }
}
