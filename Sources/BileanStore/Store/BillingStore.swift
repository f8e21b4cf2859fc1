package import BileanCore

/// Where Bilean keeps its state. One implementation, ``SQLBillingStore``, runs over SQLite (embedded) and
/// PostgreSQL (distributed); both pass the same conformance suite.
package protocol BillingStore: Sendable {
    /// Runs `body` in one transaction: all of its writes commit together when it returns, or none when it throws.
    /// - Parameter body: The work.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, or ``StoreError``.
    func withTransaction<Result: Sendable>(_ body: (any StoreTransaction) async throws -> Result) async throws -> Result

    /// Runs `body` in a transaction that only reads (SQLite: beside the writer, on a read-only connection).
    /// - Parameter body: The reads.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw (a write is refused on SQLite), or ``StoreError``.
    func withReadTransaction<Result: Sendable>(
        _ body: (any StoreTransaction) async throws -> Result
    ) async throws -> Result

    /// Closes the store.
    func close() async throws
}

/// The operations available inside a store transaction.
///
/// Reads with `lock: true` take a row lock in PostgreSQL (`FOR UPDATE`), so that concurrent engines serialise
/// per user; SQLite transactions are exclusive already.
package protocol StoreTransaction: Sendable {
    /// Records a message id as processed.
    /// - Returns: `true` if it was new, `false` if it had been processed before.
    func markProcessed(_ messageID: String, at time: BillingTime) async throws -> Bool
    /// Records message ids as processed, in as few statements as possible.
    /// - Returns: The ids that were new.
    func markProcessed(_ messageIDs: [String], at time: BillingTime) async throws -> Set<String>

    /// Serialises changes to rules, policies and policy attachments (PostgreSQL: a transaction-scoped advisory
    /// lock; SQLite transactions are exclusive already). Billing never takes it.
    func lockConfiguration() async throws

    /// Whether no other writer can change a row while this transaction runs, locked or not (SQLite: a write
    /// transaction is exclusive from its start), so that a row read before taking a lock is still current after.
    var excludesOtherWriters: Bool { get }

    /// A user by id, deleted or not.
    func user(_ id: String, lock: Bool) async throws -> User?
    /// Inserts a user unless one with its id exists.
    /// - Returns: `true` if it was inserted.
    @discardableResult
    func insertUser(_ user: User) async throws -> Bool
    /// Inserts users, skipping ids that exist, in as few statements as possible.
    /// - Returns: The ids inserted.
    @discardableResult
    func insertUsers(_ users: [User]) async throws -> Set<String>
    /// Updates every field of a user.
    func updateUser(_ user: User) async throws
    /// Locks (PostgreSQL: `FOR UPDATE`, in id order) and returns the users with these ids that exist.
    func lockUsers(_ ids: [String]) async throws -> [User]
    /// Writes every field of existing users, in as few statements as possible.
    func updateUsers(_ users: [User]) async throws
    /// The users with these ids that exist, without locking them.
    func users(ids: [String]) async throws -> [User]
    /// A page of users.
    func users(_ query: ListQuery) async throws -> [User]
    /// How many live users have this policy attached.
    func countUsers(policyID: String) async throws -> Int
    /// How many live users have no policy (and so rely on the default).
    func countUsersWithoutPolicy() async throws -> Int

    /// A rule by id (deleted ones only if `includeDeleted`).
    func rule(_ id: String, includeDeleted: Bool) async throws -> Rule?
    /// Inserts a rule.
    func insertRule(_ rule: Rule) async throws
    /// Updates a rule.
    func updateRule(_ rule: Rule) async throws
    /// A page of rules.
    func rules(_ query: ListQuery) async throws -> [Rule]
    /// The id of the default policy, if there is one.
    func defaultPolicyID() async throws -> String?
    /// The rule that prices a resource type under a policy; one query, for the billing hot path.
    func pricingRule(policyID: String, resourceType: String) async throws -> Rule?
    /// The ids of the live policies that contain a rule.
    func policyIDs(usingRule ruleID: String) async throws -> [String]

    /// A policy by id, with its rules (deleted ones only if `includeDeleted`).
    func policy(_ id: String, includeDeleted: Bool) async throws -> Policy?
    /// The default policy, if any.
    func defaultPolicy() async throws -> Policy?
    /// Inserts a policy and its rules.
    func insertPolicy(_ policy: Policy) async throws
    /// Updates a policy and replaces its rules.
    func updatePolicy(_ policy: Policy) async throws
    /// A page of policies.
    func policies(_ query: ListQuery) async throws -> [Policy]

    /// A resource by id (deleted or not).
    func resource(_ id: String) async throws -> Resource?
    /// Inserts or updates a resource.
    func saveResource(_ resource: Resource) async throws
    /// Inserts or updates resources, in as few statements as possible.
    func saveResources(_ resources: [Resource]) async throws
    /// The resources with these ids that exist.
    func resources(ids: [String]) async throws -> [Resource]
    /// A page of resources.
    func resources(_ query: ListQuery) async throws -> [Resource]
    /// The resources of a user (or of every user, for `nil`) that are not deleted.
    func liveResources(userID: String?) async throws -> [Resource]
    /// The resources of these users that are not deleted.
    func liveResources(userIDs: [String]) async throws -> [Resource]
    /// Every event of a resource's history, in arrival order.
    func timeline(resourceID: String) async throws -> [TimelineRecord]
    /// Changes the rate of one entry of a resource's history (a re-price after a late event).
    func updateTimelineRate(resourceID: String, messageID: String, rate: Rate) async throws
    /// Adds events to resources' histories, in as few statements as possible.
    func appendTimeline(_ records: [TimelineRecord]) async throws

    /// Inserts a consumption.
    func insertConsumption(_ consumption: Consumption) async throws
    /// Inserts consumptions, in as few statements as possible.
    func insertConsumptions(_ consumptions: [Consumption]) async throws
    /// A page of consumptions.
    func consumptions(_ query: ListQuery) async throws -> [Consumption]
    /// Every consumption of a user (or of all users) that overlaps `[start, end)`, by start time (for audits and
    /// tests: statistics use ``consumptionTotals(userID:inside:_:byResource:byUser:)`` and
    /// ``consumptions(userID:crossing:_:)``, which do not load whole tables).
    func consumptions(
        userID: String?,
        overlapping start: BillingTime?,
        _ end: BillingTime?
    ) async throws
        -> [Consumption]
    /// The exact sums of the costs of the consumptions of a user (or of all users) that overlap `[start, end)` and
    /// lie wholly inside it (`start_time >= start`, `end_time <= end`; a missing bound does not limit), summed by
    /// the database and grouped by resource type, and also by resource and by user when asked; in no particular
    /// order.
    ///
    /// With ``consumptions(userID:crossing:_:)`` this partitions the consumptions that overlap the window: a line
    /// is in exactly one of the two.
    /// - Parameters:
    ///   - userID: Only this user's consumptions, if set.
    ///   - start: The window's start, if any.
    ///   - end: The window's end (exclusive), if any.
    ///   - byResource: Whether to group by resource too (else ``ConsumptionStatistics/resourceID`` is `nil`).
    ///   - byUser: Whether to group by user too (else ``ConsumptionStatistics/userID`` is `nil`).
    /// - Returns: One row per group that has a consumption.
    func consumptionTotals(
        userID: String?,
        inside start: BillingTime?,
        _ end: BillingTime?,
        byResource: Bool,
        byUser: Bool
    ) async throws -> [ConsumptionStatistics]
    /// The consumptions of a user (or of all users) that overlap `[start, end)` but are not wholly inside it (they
    /// start before `start` or end after `end`), by start time: the lines that statistics clip to the window. With
    /// no window, none (and no query).
    /// - Parameters:
    ///   - userID: Only this user's consumptions, if set.
    ///   - start: The window's start, if any.
    ///   - end: The window's end (exclusive), if any.
    /// - Returns: The consumptions.
    func consumptions(
        userID: String?,
        crossing start: BillingTime?,
        _ end: BillingTime?
    ) async throws -> [Consumption]
    /// Inserts a recharge.
    func insertRecharge(_ recharge: Recharge) async throws
    /// Every recharge of a user.
    func recharges(userID: String) async throws -> [Recharge]
    /// A recharge by id.
    func recharge(_ id: String) async throws -> Recharge?
    /// A page of recharges.
    func recharges(_ query: ListQuery) async throws -> [Recharge]

    /// Inserts an event.
    func insertEvent(_ event: Event) async throws
    /// Inserts events, in as few statements as possible.
    func insertEvents(_ events: [Event]) async throws
    /// A page of events.
    func events(_ query: ListQuery) async throws -> [Event]

    /// Records notifications set aside, in as few statements as possible.
    func insertRejectedNotifications(_ rejections: [RejectedNotification]) async throws
    /// The message ids among these that a rejected notification already records.
    func rejectedMessageIDs(among messageIDs: [String]) async throws -> Set<String>
    /// A page of rejected notifications.
    func rejectedNotifications(_ query: ListQuery) async throws -> [RejectedNotification]
    /// A rejected notification by id.
    func rejectedNotification(_ id: String) async throws -> RejectedNotification?

    /// Replaces the user's jobs of the given kinds with `jobs`.
    func replaceJobs(userID: String, kinds: [Job.Kind], with jobs: [Job]) async throws
    /// Replaces these users' jobs of the given kinds with `jobs`.
    func replaceJobs(userIDs: [String], kinds: [Job.Kind], with jobs: [Job]) async throws
    /// The jobs of a user.
    func jobs(userID: String) async throws -> [Job]
    /// The jobs due at or before `time`, earliest first.
    func dueJobs(at time: BillingTime, limit: Int) async throws -> [Job]
    /// The jobs of these users.
    func jobs(userIDs: [String]) async throws -> [Job]
    /// Inserts jobs, keeping any job of the same user and kind that exists (a daily settlement already scheduled).
    func insertJobsIfAbsent(_ jobs: [Job]) async throws
    /// Inserts or moves jobs (one per user and kind); a job whose run time is unchanged keeps its lease.
    func upsertJobs(_ jobs: [Job]) async throws
    /// Deletes these users' jobs of the given kinds.
    func deleteJobs(userIDs: [String], kinds: [Job.Kind]) async throws
    /// Leases to `owner` until `leaseUntil` the earliest jobs due by `horizon` that no live lease holds (or that
    /// `owner` holds already: its lease is renewed), in one statement; concurrent claimers get different jobs.
    /// - Returns: The jobs claimed, earliest first.
    func claimJobs(
        owner: String,
        dueBy horizon: BillingTime,
        leaseUntil: BillingTime,
        now: BillingTime,
        limit: Int
    ) async throws -> [Job]
    /// Marks a due job held (the first time: later holds keep the first instant) and returns since when it is.
    func holdJob(_ job: Job, at now: BillingTime) async throws -> BillingTime
    /// Gives up every lease `owner` holds.
    func releaseJobs(owner: String) async throws

    /// Adds `billing.notify` notices to the outbox.
    func insertNotices(_ notices: [BillingNotice]) async throws
    /// Leases the oldest notices no publisher holds (until `leaseUntil`), in one statement.
    func claimNotices(now: BillingTime, leaseUntil: BillingTime, limit: Int) async throws -> [BillingNotice]
    /// Gives back notices that could not be published, for the next attempt.
    func releaseNotices(ids: [String]) async throws
    /// Deletes published notices.
    func deleteNotices(ids: [String]) async throws
    /// Records freeze actions to carry out.
    func insertCloudActions(_ actions: [CloudAction]) async throws
    /// Leases the due freeze actions of users still frozen, and the due `start` actions of thawed ones (their next
    /// attempt moves to `leaseUntil`), in one statement; concurrent runners get different actions.
    /// - Parameters:
    ///   - dataCurrent: Whether the billing data is current; when it is not, only `stop` and `start` actions
    ///     created at or before `stopsCreatedBy` are claimed (their freeze waited `max_hold`).
    func claimCloudActions(
        at time: BillingTime,
        leaseUntil: BillingTime,
        limit: Int,
        dataCurrent: Bool,
        stopsCreatedBy: BillingTime
    ) async throws -> [CloudAction]
    /// Cancels a user's pending freeze actions (a thaw).
    func deleteCloudActions(userID: String) async throws
    /// Cancels a user's pending actions of one kind (a new freeze cancels the thaw's restarts).
    func deleteCloudActions(userID: String, kind: CloudAction.Kind) async throws
    /// The freeze actions still pending for a user.
    func cloudActions(userID: String) async throws -> [CloudAction]
    /// A pending freeze action, locked.
    func cloudAction(_ id: String) async throws -> CloudAction?
    /// Records a failed attempt of a freeze action.
    func updateCloudAction(_ action: CloudAction) async throws
    /// Deletes a freeze action that is finished.
    func deleteCloudAction(_ id: String) async throws
    /// Remembers a resource a freeze stopped (for `restart_on_thaw`).
    func insertStoppedResource(
        userID: String,
        resourceID: String,
        resourceType: String,
        at time: BillingTime
    )
        async throws
    /// The resources a freeze of the user stopped: (resource id, type), by id.
    func stoppedResources(userID: String) async throws -> [(resourceID: String, resourceType: String)]
    /// Forgets the resources a freeze of the user stopped.
    func deleteStoppedResources(userID: String) async throws

    /// Records a listener's report; `withinLimits` says whether it is caught up (its `caught_up_since` starts now,
    /// or stays; a report out of the limits clears it).
    func recordListenerReport(_ report: ListenerReport, at time: BillingTime, withinLimits: Bool) async throws
    /// Every listener's latest report.
    func listenerStatuses() async throws -> [ListenerStatus]
    /// Users not deleted by status, notices waiting, freeze actions pending.
    func operationalCounts() async throws -> OperationalCounts
    /// The newest schema migration applied (`nil`: none).
    func schemaVersion() async throws -> Int?
    /// Forgets a listener (retired).
    func deleteListenerStatus(_ listener: String) async throws -> Bool

    /// The result of a state-changing RPC call stored under `key`, if any.
    func rpcResult(key: String) async throws -> StoredRPCResult?
    /// Stores the result of a state-changing RPC call; a key stored already keeps its first result.
    func insertRPCResult(_ result: StoredRPCResult) async throws
    /// Forgets the results stored before `time`.
    /// - Returns: How many.
    func deleteRPCResults(before time: BillingTime) async throws -> Int

    /// Forgets the oldest message ids processed before `time`, at most `limit` of them (one bounded statement, so
    /// that a first prune of a large table does not hold the writer for long). A message delivered again after its
    /// id is forgotten is billed again: see `[database] processed_message_retention`.
    /// - Parameters:
    ///   - time: The cut-off: ids processed strictly before it go.
    ///   - limit: The most ids deleted.
    /// - Returns: How many were deleted (`limit`: some may remain).
    func deleteProcessedMessages(before time: BillingTime, limit: Int) async throws -> Int
    /// Deletes the oldest rejected notifications received before `time`, at most `limit` of them.
    /// - Parameters:
    ///   - time: The cut-off: notifications received strictly before it go.
    ///   - limit: The most notifications deleted.
    /// - Returns: How many were deleted (`limit`: some may remain).
    func deleteRejectedNotifications(before time: BillingTime, limit: Int) async throws -> Int

    /// The ids of the live users priced by a policy (`policyID`, or also those with none when `orUnattached`, for
    /// the default policy), or of every live user when `policyID` is `nil`; in id order.
    func liveUserIDs(policyID: String?, orUnattached: Bool) async throws -> [String]
    /// The resources of these users, of these types, that were billed at some point of `[start, end)`: started
    /// before `end` and not deleted by `start`.
    func resources(
        userIDs: [String],
        types: [String],
        billedWithin start: BillingTime,
        _ end: BillingTime
    ) async throws -> [Resource]
    /// The histories of these resources (each in arrival order), by resource id; one statement per few hundred ids.
    func timelines(resourceIDs: [String]) async throws -> [String: [TimelineRecord]]
    /// Keeps a re-rating preview's request under its id.
    func insertReratingPreview(id: String, request: ReratingRequest, createdAt: BillingTime) async throws
    /// A kept preview, and its apply if it was applied; `lock` serialises applies of one preview (PostgreSQL:
    /// `FOR UPDATE`).
    func rerating(_ id: String, lock: Bool) async throws -> StoredRerating?
    /// The latest end of an applied re-rating's window, if one was applied: events before it may be re-rated.
    func reratedUntil() async throws -> BillingTime?
    /// The applied re-ratings whose window ends after `time`, oldest apply first (a late event's pricing).
    func appliedReratings(endingAfter time: BillingTime) async throws -> [Rerating]
    /// Records how far an apply went, and the lines of the batch it covers (committed with it).
    func saveReratingProgress(_ id: String, _ progress: ReratingProgress, lines: [ReratingLine]) async throws
    /// The lines an apply under way has recorded, by user then resource type.
    func reratingLines(_ id: String) async throws -> [ReratingLine]
    /// Records that a preview was applied, with its result.
    func markReratingApplied(_ rerating: Rerating) async throws

    /// A page of the live resources of one type, in id order after `after`, with when a run last listed each and
    /// the cloud time of its latest event.
    func reconciliationResources(type: String, after: String?, limit: Int) async throws -> [BilledResource]
    /// Records when a reconciliation run listed these resources.
    func markSeen(resourceIDs: [String], at time: BillingTime) async throws
    /// Keeps a reconciliation run and its findings.
    func insertReconciliationRun(_ run: ReconciliationRun) async throws
    /// A kept reconciliation run.
    func reconciliationRun(_ id: String) async throws -> ReconciliationRun?
    /// The latest reconciliation runs, newest first.
    func reconciliationRuns(limit: Int) async throws -> [ReconciliationRun]
    /// Takes the lease of a periodic task when it is due (`next_at` passed) and nobody else holds it, or renews the
    /// caller's own: then it is due again `every` after `now`, and leased until `leaseUntil`.
    /// - Returns: Whether the caller holds the lease and the task is due.
    func claimLease(
        _ name: String,
        owner: String,
        now: BillingTime,
        leaseUntil: BillingTime,
        nextAt: BillingTime
    ) async throws -> Bool
}

/// How far an apply went: the users up to ``after`` (in id order) are re-rated.
package struct ReratingProgress: Sendable, Hashable {
    /// The apply's reason (the first call's).
    package var reason: String
    /// The last user re-rated.
    package var after: String?
    /// The consumptions recorded so far.
    package var consumptions: Int

    /// Progress before the first batch.
    package init(reason: String, after: String? = nil, consumptions: Int = 0) {
        self.reason = reason
        self.after = after
        self.consumptions = consumptions
    }
}

/// A kept re-rating preview, applied or not.
package struct StoredRerating: Sendable, Hashable {
    /// The preview id.
    package var id: String
    /// What was previewed.
    package var request: ReratingRequest
    /// When.
    package var createdAt: BillingTime
    /// The apply, once it happened.
    package var applied: Rerating?
    /// An apply under way (some batches committed), if one is.
    package var progress: ReratingProgress?

    /// Creates a record.
    package init(
        id: String,
        request: ReratingRequest,
        createdAt: BillingTime,
        applied: Rerating?,
        progress: ReratingProgress? = nil
    ) {
        self.id = id
        self.request = request
        self.createdAt = createdAt
        self.applied = applied
        self.progress = progress
    }
}

/// One event of a resource's history, with what billing needs to re-price it.
package struct TimelineRecord: Sendable, Hashable {
    /// The event.
    package var entry: TimelineEntry
    /// The resource.
    package var resourceID: String
    /// The resource's properties after the event.
    package var properties: [String: JSONValue]
    /// The policy that priced the entry (the user's, or the default one then), if any.
    package var policyID: String?
    /// Whether the entry re-prices the resource's current properties under a new policy (a policy attachment)
    /// rather than reporting a change of the resource.
    package var isReprice: Bool
    /// For a re-price: the policy in force before it.
    package var previousPolicyID: String?

    /// Creates a record.
    package init(
        entry: TimelineEntry,
        resourceID: String,
        properties: [String: JSONValue],
        policyID: String? = nil,
        isReprice: Bool = false,
        previousPolicyID: String? = nil
    ) {
        self.entry = entry
        self.resourceID = resourceID
        self.properties = properties
        self.policyID = policyID
        self.isReprice = isReprice
        self.previousPolicyID = previousPolicyID
    }
}
