/// Every billing operation, split by caller: ``AccountsService`` (the API), ``IngestService`` (the notification
/// listener) and ``JobsService`` (the scheduler). Each part is one RPC namespace (`accounts`, `ingest`, `jobs`).
///
/// Implemented in process by `BileanEngine.Engine` (the `all` role, and `engine = local`). Every method throws
/// ``BileanError``: `invalidInput` naming the field, `notFound`, `conflict`, or `internalError`.
package typealias BillingEngine = AccountsService & IngestService & JobsService

/// What the API asks of the engine: accounts, the price catalogue, resources and the records (RPC namespace
/// `accounts`).
package protocol AccountsService: Sendable {
    /// A page of users, each with its real-time balance.
    func listUsers(_ query: ListQuery) async throws -> [User]
    /// A user with its real-time balance.
    func user(_ id: String) async throws -> User
    /// Creates (or renames) a user, e.g. from `identity.project.created`.
    func createUser(id: String, name: String?, messageID: String?) async throws -> User
    /// Soft-deletes a user, e.g. from `identity.project.deleted`; its open intervals are settled first.
    func deleteUser(id: String, messageID: String?) async throws
    /// Adds money to a user's balance (0 < value ≤ ``Recharge/maximumValue``); a project not seen before is created,
    /// a deleted one is not found.
    ///
    /// With an `id` (an RPC call's idempotency key), a recharge with that id already recorded is not made again:
    /// the user is returned as it is.
    func recharge(
        userID: String,
        value: Money,
        kind: Recharge.Kind,
        metadata: JSONValue,
        id: String?
    )
        async throws -> User
    /// Sets how far below zero a user's balance may go before it is frozen (0 ≤ value ≤ ``Recharge/maximumValue``),
    /// and reschedules its jobs; raising it thaws a frozen user whose overdraft it now covers, as a recharge does.
    func setCredit(userID: String, value: Money) async throws -> User
    /// A user's exact balance and status at a future instant `at` if nothing changes; a past `at` is invalid input.
    func projection(userID: String, at: BillingTime) async throws -> UserProjection
    /// Attaches a policy to a user; its live resources are re-priced from now.
    func attachPolicy(userID: String, policyID: String) async throws -> User
    /// Settles a user at an instant: closes every open interval there.
    func settle(userID: String, at instant: BillingTime) async throws -> User
    /// Creates a rule from a spec validated by its plugin.
    /// With an `id` (an RPC call's idempotency key), a rule created before with that id is returned as it is.
    func createRule(name: String, spec: JSONValue, metadata: JSONValue, id: String?) async throws -> Rule
    /// A rule.
    func rule(_ id: String) async throws -> Rule
    /// A page of rules.
    func listRules(_ query: ListQuery) async throws -> [Rule]
    /// Changes a rule's name, spec (same resource type) or metadata.
    func updateRule(_ id: String, _ update: RuleUpdate) async throws -> Rule
    /// Deletes a rule that no policy uses.
    func deleteRule(_ id: String) async throws
    /// Creates a policy with rules (at most one per resource type).
    /// With an `id` (an RPC call's idempotency key), a policy created before with that id is returned as it is.
    func createPolicy(name: String, ruleIDs: [String], metadata: JSONValue, id: String?) async throws -> Policy
    /// A policy.
    func policy(_ id: String) async throws -> Policy
    /// A page of policies.
    func listPolicies(_ query: ListQuery) async throws -> [Policy]
    /// Changes a policy's name, metadata or default flag.
    func updatePolicy(_ id: String, _ update: PolicyUpdate) async throws -> Policy
    /// Deletes a policy that no user relies on.
    func deletePolicy(_ id: String) async throws
    /// Adds rules to a policy.
    func addRules(policyID: String, ruleIDs: [String]) async throws -> Policy
    /// Removes rules from a policy.
    func removeRules(policyID: String, ruleIDs: [String]) async throws -> Policy
    /// Applies resource events, all in one transaction; a message id seen before changes nothing.
    func apply(_ events: [ResourceEvent]) async throws -> [ApplyOutcome]
    /// A page of rejected notifications, oldest first (by `received_at`) unless sorted otherwise.
    func listRejectedNotifications(_ query: ListQuery) async throws -> [RejectedNotification]
    /// A rejected notification.
    func rejectedNotification(_ id: String) async throws -> RejectedNotification
    /// A resource.
    func resource(_ id: String) async throws -> Resource
    /// A page of resources.
    func listResources(_ query: ListQuery) async throws -> [Resource]
    /// Whether the user can afford `count` of each resource for the next hour.
    func validateCreation(userID: String, resources: [ResourceSpec], count: Int) async throws -> Bool
    /// A page of events.
    func listEvents(_ query: ListQuery) async throws -> [Event]
    /// A page of recharges.
    func listRecharges(_ query: ListQuery) async throws -> [Recharge]
    /// A page of consumptions.
    func listConsumptions(_ query: ListQuery) async throws -> [Consumption]
    /// Costs per resource, or per resource type when `summary`, clipped to the query's window and including the
    /// still-open intervals up to now.
    func statistics(_ query: ListQuery, summary: Bool) async throws -> [ConsumptionStatistics]
    /// ``statistics(_:summary:)`` for each UTC day of the query's window (`interval=day`): each row's
    /// ``ConsumptionStatistics/day`` is set, and its cost is what `statistics` gives for that day's part of the
    /// window. See ``StatisticsDays``.
    func dailyStatistics(_ query: ListQuery, summary: Bool) async throws -> [ConsumptionStatistics]
    /// Prices draft rules over a past window beside what was billed, per user and resource type, and keeps the
    /// request under a new preview id; nothing is billed. Bounded: 10,000 users over 30 days in well under a
    /// minute, in memory proportional to the lines returned.
    func previewRerating(_ request: ReratingRequest) async throws -> ReratingPreview
    /// Applies a preview as signed `rerate` consumptions (with the reason and the preview id), recomputed under
    /// the users' locks, and stores the draft prices in each resource's history so that a late event replays at
    /// them. Idempotent by preview id: applying it again returns the first apply, changing nothing.
    func applyRerating(previewID: String, reason: String) async throws -> Rerating
    /// The latest inventory reconciliation runs, newest first, each with its findings.
    /// - Parameter limit: How many runs (1 to 50).
    func listReconciliations(limit: Int) async throws -> [ReconciliationRun]
}

extension AccountsService {
    /// A recharge with a new id.
    package func recharge(userID: String, value: Money, kind: Recharge.Kind, metadata: JSONValue) async throws -> User {
        try await self.recharge(userID: userID, value: value, kind: kind, metadata: metadata, id: nil)
    }

    /// A rule with a new id.
    package func createRule(name: String, spec: JSONValue, metadata: JSONValue) async throws -> Rule {
        try await self.createRule(name: name, spec: spec, metadata: metadata, id: nil)
    }

    /// A policy with a new id.
    package func createPolicy(name: String, ruleIDs: [String], metadata: JSONValue) async throws -> Policy {
        try await self.createPolicy(name: name, ruleIDs: ruleIDs, metadata: metadata, id: nil)
    }
}

/// What the notification listener asks of the engine (RPC namespace `ingest`).
package protocol IngestService: Sendable {
    /// Whether the engine and its database answer (a cheap read): the listener's probe before it blames a message
    /// for a failure.
    func probe() async throws
    /// Bills a batch of notifications in one transaction: each message id once (a message seen before changes
    /// nothing), its resource and user facts applied, the message ids recorded as processed, and the rejected
    /// messages recorded (once per message id; they are not marked processed, so a fixed message can be replayed).
    /// When it returns, all of it is committed; when it throws, none of it is.
    func ingest(_ batch: NotificationBatch) async throws -> IngestReport
    /// Records a listener's lag report on its own (an idle listener's heartbeat; a batch carries its own).
    func reportListener(_ report: ListenerReport) async throws
}

/// What the scheduler asks of the engine: its jobs, the `billing.notify` outbox and the freeze actions (RPC
/// namespace `jobs`).
package protocol JobsService: Sendable {
    /// Leases to a scheduler (`owner`) the earliest jobs due by `horizon` that no other scheduler holds, renewing
    /// the leases it holds; a job whose owner died is taken over once its lease has expired.
    func claimJobs(
        owner: String,
        dueBy horizon: BillingTime,
        leaseUntil: BillingTime,
        limit: Int
    ) async throws
        -> [Job]
    /// Runs claimed jobs in one transaction: each one whose run time has come and that is still as claimed fires
    /// once (its effect and its rescheduling commit together), the others are reported and left alone.
    func runJobs(_ jobs: [Job], owner: String) async throws -> [JobOutcome]
    /// Gives up a scheduler's leases (at a graceful stop), so that another one takes its jobs at once.
    func releaseJobs(owner: String) async throws
    /// Leases to the caller the oldest `billing.notify` notices waiting to be published that no other publisher
    /// holds.
    func pendingNotices(limit: Int) async throws -> [BillingNotice]
    /// Gives back leased notices that could not be published.
    func releaseNotices(_ ids: [String]) async throws
    /// Forgets notices the broker has confirmed.
    func deleteNotices(_ ids: [String]) async throws
    /// Leases the freeze actions whose next attempt is due, of users still frozen (a thaw cancels the others).
    func claimCloudActions(limit: Int) async throws -> [CloudAction]
    /// Records how an attempt of a freeze action ended: done (an event), failed and retried later with backoff,
    /// or given up (an error event).
    func finishCloudAction(_ action: CloudAction, outcome: CloudActionOutcome) async throws
    /// Counts for the scheduler's gauges (a read: users by status, the outbox, the pending freeze actions).
    func operationalCounts() async throws -> OperationalCounts
    /// A page of the live (not deleted) resources of one type, in id order after `after`, as reconciliation compares
    /// them with the cloud's listing.
    func reconciliationResources(type: String, after: String?, limit: Int) async throws -> [BilledResource]
    /// Records that a reconciliation run listed these resources at `time` (a vanished one is closed at the last
    /// time a run saw it when the cloud gives no deletion time).
    func markSeen(resourceIDs: [String], at time: BillingTime) async throws
    /// Records a reconciliation run: decides for each finding whether to repair it (`run.repair`, the billing
    /// data current, the finding older than the listeners' lag and `[reconciliation] min_age`), bills the repairs
    /// as events of their own (idempotent with the real notifications, which supersede them when they arrive),
    /// and keeps the run and its findings. Returns the run as recorded, each finding's action set.
    func recordReconciliation(_ run: ReconciliationRun) async throws -> ReconciliationRun
    /// Whether a scheduler (`owner`) runs the periodic reconciliation now: it is due (`every` seconds after the
    /// last claimed pass) and no other scheduler holds it; the claim holds for `leaseSeconds`.
    func claimReconciliation(owner: String, every: Int64, leaseSeconds: Int64) async throws -> Bool
}

/// Changes to a rule; `nil` fields stay as they are.
package struct RuleUpdate: Sendable, Hashable {
    /// A new name.
    package var name: String?
    /// A new spec (for the same resource type).
    package var spec: JSONValue?
    /// New metadata.
    package var metadata: JSONValue?

    /// Creates an update.
    package init(name: String? = nil, spec: JSONValue? = nil, metadata: JSONValue? = nil) {
        self.name = name
        self.spec = spec
        self.metadata = metadata
    }
}

/// Changes to a policy; `nil` fields stay as they are.
package struct PolicyUpdate: Sendable, Hashable {
    /// A new name.
    package var name: String?
    /// New metadata.
    package var metadata: JSONValue?
    /// Make it the default policy (or stop being it).
    package var isDefault: Bool?

    /// Creates an update.
    package init(name: String? = nil, metadata: JSONValue? = nil, isDefault: Bool? = nil) {
        self.name = name
        self.metadata = metadata
        self.isDefault = isDefault
    }
}

/// A resource that may be created, for ``BillingEngine/validateCreation(userID:resources:count:)``.
package struct ResourceSpec: Sendable, Hashable {
    /// Its type.
    package var resourceType: String
    /// Its properties.
    package var properties: [String: JSONValue]

    /// Creates a spec.
    package init(resourceType: String, properties: [String: JSONValue]) {
        self.resourceType = resourceType
        self.properties = properties
    }
}

/// What applying one resource event did.
package enum ApplyOutcome: Sendable, Hashable {
    /// The event was billed.
    case applied
    /// Its message id had been processed before: nothing changed.
    case duplicate
}

/// Cost of one resource, or of one resource type, over a window.
package struct ConsumptionStatistics: Sendable, Hashable {
    /// The resource, or `nil` in a per-type summary.
    package var resourceID: String?
    /// The resource type.
    package var resourceType: String
    /// The user, when the statistics are of one user.
    package var userID: String?
    /// The cost within the window, open intervals included.
    package var cost: Money
    /// The UTC midnight that starts the row's day, in statistics per day (`interval=day`); else `nil`.
    package var day: BillingTime?

    /// Creates a row.
    package init(resourceID: String?, resourceType: String, userID: String?, cost: Money, day: BillingTime? = nil) {
        self.resourceID = resourceID
        self.resourceType = resourceType
        self.userID = userID
        self.cost = cost
        self.day = day
    }
}
