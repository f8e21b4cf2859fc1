package import BileanCore
package import BileanMessaging

// The exact JSON forms of inventory reconciliation's arguments and results: the `jobs` namespace's
// `reconciliation_resources`, `mark_seen` and `record_reconciliation`, and the `accounts` namespace's
// `list_reconciliations`. Instants are integer microseconds, as everywhere else on the RPC; properties and evidence
// cross as the JSON they are (numbers as their decimal text).

extension RPCObject {
    /// A member that is an object of whole numbers by name (`listed`).
    func counts(_ key: String) throws(RPCRemoteError) -> [String: Int] {
        var counts: [String: Int] = [:]
        for (name, value) in try self.object(key) {
            guard case .number(let text) = value, let count = Int(text) else {
                throw self.missing(key, "an object of whole numbers (\(name) is not one)")
            }
            counts[name] = count
        }
        return counts
    }

    /// A member that is an object of strings by name (`failed`).
    func texts(_ key: String) throws(RPCRemoteError) -> [String: String] {
        var texts: [String: String] = [:]
        for (name, value) in try self.object(key) {
            guard case .string(let text) = value else {
                throw self.missing(key, "an object of strings (\(name) is not one)")
            }
            texts[name] = text
        }
        return texts
    }

    /// An optional boolean member: absent or `null` is `false` (a key an earlier release did not send).
    func optionalBool(_ key: String) throws(RPCRemoteError) -> Bool {
        guard self.value(key) != nil else { return false }
        return try self.bool(key)
    }
}

extension BilledResource: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "resource_id": .string(self.resourceID), "user_id": .string(self.userID),
            "resource_type": .string(self.resourceType), "properties": .object(self.properties),
            "started_at": .optionalTime(self.startedAt), "seen_at": .optionalTime(self.seenAt),
            "last_event_at": .optionalTime(self.lastEventAt), "has_creation": .bool(self.hasCreation),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "billed_resource")
        self.init(
            resourceID: try object.string("resource_id"),
            userID: try object.string("user_id"),
            resourceType: try object.string("resource_type"),
            properties: try object.object("properties"),
            startedAt: try object.optionalTime("started_at"),
            seenAt: try object.optionalTime("seen_at"),
            lastEventAt: try object.optionalTime("last_event_at"),
            hasCreation: try object.optionalBool("has_creation")
        )
    }
}

extension ReconciliationFinding: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "resource_id": .string(self.resourceID), "resource_type": .string(self.resourceType),
            "user_id": .string(self.userID), "kind": .string(self.kind.rawValue),
            "action": .string(self.action.rawValue), "effective_at": .optionalTime(self.effectiveAt),
            "estimated": .bool(self.estimated), "evidence": self.evidence,
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "finding")
        self.init(
            resourceID: try object.string("resource_id"),
            resourceType: try object.string("resource_type"),
            userID: try object.string("user_id"),
            kind: try object.enumeration("kind", Kind.self),
            action: try object.enumeration("action", Action.self),
            effectiveAt: try object.optionalTime("effective_at"),
            estimated: try object.bool("estimated"),
            evidence: object.value("evidence") ?? .null
        )
    }
}

extension ReconciliationRun: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "started_at": .time(self.startedAt), "finished_at": .time(self.finishedAt),
            "repair": .bool(self.repair), "listed": .object(self.listed.mapValues { .integer($0) }),
            "failed": .object(self.failed.mapValues(JSONValue.string)), "findings": self.findings.rpcValue,
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "run")
        self.init(
            id: try object.string("id"),
            startedAt: try object.time("started_at"),
            finishedAt: try object.time("finished_at"),
            repair: try object.bool("repair"),
            listed: try object.counts("listed"),
            failed: try object.texts("failed"),
            findings: try [ReconciliationFinding](rpcValues: try object.array("findings"))
        )
    }
}
