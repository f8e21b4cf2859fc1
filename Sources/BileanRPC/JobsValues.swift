package import BileanCore
package import BileanMessaging

// The exact JSON forms of the `jobs` namespace's arguments and results.

extension Job: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "user_id": .string(self.userID), "kind": .string(self.kind.rawValue), "run_at": .time(self.runAt),
            "owner": .optionalString(self.owner), "lease_until": .optionalTime(self.leaseUntil),
            "held_since": .optionalTime(self.heldSince),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "job")
        self.init(
            userID: try object.string("user_id"),
            kind: try object.enumeration("kind", Kind.self),
            runAt: try object.time("run_at"),
            owner: try object.optionalString("owner"),
            leaseUntil: try object.optionalTime("lease_until"),
            heldSince: try object.optionalTime("held_since")
        )
    }
}

extension JobOutcome: RPCValue {
    package var rpcValue: JSONValue {
        switch self {
        case .fired: return .string("fired")
        case .stale: return .string("stale")
        case .notDue: return .string("not_due")
        case .ownedElsewhere: return .string("owned_elsewhere")
        case .held: return .string("held")
        }
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        switch rpcValue {
        case .string("fired"): self = .fired
        case .string("stale"): self = .stale
        case .string("not_due"): self = .notDue
        case .string("owned_elsewhere"): self = .ownedElsewhere
        case .string("held"): self = .held
        default: throw RPCRemoteError(kind: .invalidInput, message: "unknown job outcome", field: "outcome")
        }
    }
}

extension BillingNotice: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "user_id": .string(self.userID), "reason": .string(self.reason.rawValue),
            "timestamp": .time(self.timestamp), "payload": self.payload, "created_at": .time(self.createdAt),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "notice")
        self.init(
            id: try object.string("id"),
            userID: try object.string("user_id"),
            reason: try object.enumeration("reason", Reason.self),
            timestamp: try object.time("timestamp"),
            payload: object.value("payload") ?? .null,
            createdAt: try object.time("created_at")
        )
    }
}

extension CloudAction: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "user_id": .string(self.userID), "resource_id": .string(self.resourceID),
            "resource_type": .string(self.resourceType), "kind": .string(self.kind.rawValue),
            "attempts": .integer(self.attempts), "next_attempt_at": .time(self.nextAttemptAt),
            "last_error": .optionalString(self.lastError), "created_at": .time(self.createdAt),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "cloud_action")
        self.init(
            id: try object.string("id"),
            userID: try object.string("user_id"),
            resourceID: try object.string("resource_id"),
            resourceType: try object.string("resource_type"),
            kind: try object.enumeration("kind", Kind.self),
            attempts: try object.int("attempts"),
            nextAttemptAt: try object.time("next_attempt_at"),
            lastError: try object.optionalString("last_error"),
            createdAt: try object.time("created_at")
        )
    }
}

extension CloudActionOutcome: RPCValue {
    package var rpcValue: JSONValue {
        switch self {
        case .completed(.done(let text)): return .object(["result": .string("done"), "text": .string(text)])
        case .completed(.unchanged(let text)):
            return .object(["result": .string("unchanged"), "text": .string(text)])
        case .completed(.alreadyGone): return .object(["result": .string("gone")])
        case .completed(.notApplicable(let text)):
            return .object(["result": .string("not_applicable"), "text": .string(text)])
        case .failed(let error):
            return .object([
                "result": .string("failed"), "text": .string(error.message), "retryable": .bool(error.isRetryable),
            ])
        }
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "outcome")
        switch try object.string("result") {
        case "done": self = .completed(.done(try object.string("text")))
        case "unchanged": self = .completed(.unchanged(try object.string("text")))
        case "gone": self = .completed(.alreadyGone)
        case "not_applicable": self = .completed(.notApplicable(try object.string("text")))
        case "failed":
            self = .failed(CloudActionError(retryable: try object.bool("retryable"), try object.string("text")))
        default: throw object.missing("result", "done, unchanged, gone, not_applicable or failed")
        }
    }
}

extension OperationalCounts: RPCValue {
    package var rpcValue: JSONValue {
        var users: [String: JSONValue] = [:]
        for (status, count) in self.usersByStatus { users[status.rawValue] = .integer(count) }
        return .object([
            "users_by_status": .object(users), "pending_notices": .integer(self.pendingNotices),
            "pending_cloud_actions": .integer(self.pendingCloudActions),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "operational_counts")
        var users: [UserStatus: Int64] = [:]
        let counts = try RPCObject(.object(try object.object("users_by_status")), "users_by_status")
        for status in UserStatus.allCases where counts.value(status.rawValue) != nil {
            users[status] = try counts.int64(status.rawValue)
        }
        self.init(
            usersByStatus: users,
            pendingNotices: try object.int64("pending_notices"),
            pendingCloudActions: try object.int64("pending_cloud_actions")
        )
    }
}
