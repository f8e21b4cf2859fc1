package import BileanCore
package import BileanMessaging

/// The `jobs` namespace (version 1.0), served by `bilean-server engine` for the schedulers.
///
/// Every method is safe to run twice (a request of a killed engine is redelivered): a job fired twice has its
/// effect once, a finished freeze action is recognised by its attempt count, and leases are renewed by their owner.
/// So the namespace keeps no results by idempotency key (``AccountsEndpoint/stateChangingMethods``):
/// `record_reconciliation` is keyed by its run id (a run recorded before answers as stored, its repairs made once),
/// `mark_seen` sets an instant, and a `claim_reconciliation` delivered again answers `false` (the pass is no longer
/// due), so that a pass whose claim's answer was lost is skipped, never run twice.
package struct JobsEndpoint: RPCEndpoint {
    let service: any JobsService

    /// Serves a jobs service (the engine).
    package init(service: any JobsService) {
        self.service = service
    }

    package var namespace: String { JobsEndpoint.name }
    package var version: String { JobsEndpoint.currentVersion }

    /// The namespace's name and version.
    package static let name = "jobs"
    package static let currentVersion = "1.0"

    package func handle(method: String, args: [String: JSONValue], context: RPCContext) async throws -> JSONValue {
        try await served {
            let object = try RPCObject(.object(args), "args")
            switch method {
            case "claim_jobs":
                return try await self.service.claimJobs(
                    owner: try object.string("owner"),
                    dueBy: try object.time("due_by"),
                    leaseUntil: try object.time("lease_until"),
                    limit: try object.int("limit")
                ).rpcValue
            case "run_jobs":
                return try await self.service.runJobs(
                    try [Job](rpcValues: try object.array("jobs")),
                    owner: try object.string("owner")
                ).rpcValue
            case "release_jobs":
                try await self.service.releaseJobs(owner: try object.string("owner"))
                return .null
            case "pending_notices":
                return try await self.service.pendingNotices(limit: try object.int("limit")).rpcValue
            case "release_notices":
                try await self.service.releaseNotices(try object.strings("ids"))
                return .null
            case "delete_notices":
                try await self.service.deleteNotices(try object.strings("ids"))
                return .null
            case "claim_cloud_actions":
                return try await self.service.claimCloudActions(limit: try object.int("limit")).rpcValue
            case "operational_counts":
                return try await self.service.operationalCounts().rpcValue
            case "reconciliation_resources":
                return try await self.service.reconciliationResources(
                    type: try object.string("type"),
                    after: try object.optionalString("after"),
                    limit: try object.int("limit")
                ).rpcValue
            case "mark_seen":
                try await self.service.markSeen(
                    resourceIDs: try object.strings("resource_ids"),
                    at: try object.time("at")
                )
                return .null
            case "claim_reconciliation":
                return .bool(
                    try await self.service.claimReconciliation(
                        owner: try object.string("owner"),
                        every: try object.int64("every"),
                        leaseSeconds: try object.int64("lease_seconds")
                    )
                )
            case "record_reconciliation":
                return try await self.service.recordReconciliation(
                    try ReconciliationRun(rpcValue: args["run"] ?? .null)
                ).rpcValue
            case "finish_cloud_action":
                try await self.service.finishCloudAction(
                    try CloudAction(rpcValue: args["action"] ?? .null),
                    outcome: try CloudActionOutcome(rpcValue: args["outcome"] ?? .null)
                )
                return .null
            default:
                throw RPCRemoteError(kind: .noSuchMethod, message: "jobs has no method \(method)", field: nil)
            }
        }
    }
}

/// The scheduler's engine over RPC: ``JobsService`` calls to the `jobs` namespace.
package struct RPCJobsService: JobsService {
    let caller: EngineRPCCaller

    /// Calls the engines through `client`.
    package init(client: OsloRPCClient) {
        self.caller = EngineRPCCaller(
            client: client,
            namespace: JobsEndpoint.name,
            version: JobsEndpoint.currentVersion
        )
    }

    package func claimJobs(
        owner: String,
        dueBy horizon: BillingTime,
        leaseUntil: BillingTime,
        limit: Int
    )
        async throws -> [Job]
    {
        let result = try await self.caller.call(
            "claim_jobs",
            [
                "owner": .string(owner), "due_by": .time(horizon), "lease_until": .time(leaseUntil),
                "limit": .integer(limit),
            ]
        )
        return try self.caller.readArray(result, of: Job.self)
    }

    package func runJobs(_ jobs: [Job], owner: String) async throws -> [JobOutcome] {
        let result = try await self.caller.call("run_jobs", ["jobs": jobs.rpcValue, "owner": .string(owner)])
        return try self.caller.readArray(result, of: JobOutcome.self)
    }

    package func releaseJobs(owner: String) async throws {
        _ = try await self.caller.call("release_jobs", ["owner": .string(owner)])
    }

    package func pendingNotices(limit: Int) async throws -> [BillingNotice] {
        let result = try await self.caller.call("pending_notices", ["limit": .integer(limit)])
        return try self.caller.readArray(result, of: BillingNotice.self)
    }

    package func releaseNotices(_ ids: [String]) async throws {
        _ = try await self.caller.call("release_notices", ["ids": .array(ids.map(JSONValue.string))])
    }

    package func deleteNotices(_ ids: [String]) async throws {
        _ = try await self.caller.call("delete_notices", ["ids": .array(ids.map(JSONValue.string))])
    }

    package func claimCloudActions(limit: Int) async throws -> [CloudAction] {
        let result = try await self.caller.call("claim_cloud_actions", ["limit": .integer(limit)])
        return try self.caller.readArray(result, of: CloudAction.self)
    }

    package func operationalCounts() async throws -> OperationalCounts {
        try self.caller.read(try await self.caller.call("operational_counts", [:]), as: OperationalCounts.self)
    }

    package func finishCloudAction(_ action: CloudAction, outcome: CloudActionOutcome) async throws {
        _ = try await self.caller.call(
            "finish_cloud_action",
            ["action": action.rpcValue, "outcome": outcome.rpcValue]
        )
    }

    package func reconciliationResources(type: String, after: String?, limit: Int) async throws -> [BilledResource] {
        let result = try await self.caller.call(
            "reconciliation_resources",
            ["type": .string(type), "after": .optionalString(after), "limit": .integer(limit)]
        )
        return try self.caller.readArray(result, of: BilledResource.self)
    }

    package func markSeen(resourceIDs: [String], at time: BillingTime) async throws {
        _ = try await self.caller.call(
            "mark_seen",
            ["resource_ids": .array(resourceIDs.map(JSONValue.string)), "at": .time(time)]
        )
    }

    package func claimReconciliation(owner: String, every: Int64, leaseSeconds: Int64) async throws -> Bool {
        let result = try await self.caller.call(
            "claim_reconciliation",
            ["owner": .string(owner), "every": .integer(every), "lease_seconds": .integer(leaseSeconds)]
        )
        guard case .bool(let claimed) = result else {
            throw BileanError(.internalError, "Unreadable answer from the billing engine")
        }
        return claimed
    }

    package func recordReconciliation(_ run: ReconciliationRun) async throws -> ReconciliationRun {
        try self.caller.read(
            try await self.caller.call("record_reconciliation", ["run": run.rpcValue]),
            as: ReconciliationRun.self
        )
    }
}
