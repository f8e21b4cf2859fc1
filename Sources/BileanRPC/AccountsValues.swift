package import BileanCore
package import BileanMessaging

// The exact JSON forms of the `accounts` namespace's arguments and results. Every field crosses, the presented
// ones too (`run_out_at`, `freeze_at`): the API renders what the engine computed.

extension RPCObject {
    package func int128(_ key: String) throws(RPCRemoteError) -> Int128 {
        guard let number = Int128(try self.string(key)) else { throw self.missing(key, "an integer") }
        return number
    }

    package func optionalObject(_ key: String) -> JSONValue {
        self.value(key) ?? .null
    }
}

extension JSONValue {
    static func int128(_ value: Int128) -> JSONValue { .string("\(value)") }
}

extension User: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "name": .optionalString(self.name), "policy_id": .optionalString(self.policyID),
            "balance": .money(self.balance), "rate": .rate(self.rate),
            "open_weighted_start": .int128(self.accrual.weightedStart),
            "open_residue": .int128(self.accrual.residue), "open_count": .integer(self.accrual.count),
            "credit": .money(self.credit), "last_bill": .optionalTime(self.lastBill),
            "status": .string(self.status.rawValue), "status_reason": .optionalString(self.statusReason),
            "created_at": .time(self.createdAt), "updated_at": .optionalTime(self.updatedAt),
            "deleted_at": .optionalTime(self.deletedAt), "frozen_at": .optionalTime(self.frozenAt),
            "overdrawn_at": .optionalTime(self.overdrawnAt), "run_out_at": .optionalTime(self.runOutAt),
            "freeze_at": .optionalTime(self.freezeAt),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "user")
        self.init(
            id: try object.string("id"),
            name: try object.optionalString("name"),
            policyID: try object.optionalString("policy_id"),
            balance: try object.money("balance"),
            rate: try object.rate("rate"),
            accrual: OpenAccrual(
                weightedStart: try object.int128("open_weighted_start"),
                residue: try object.int128("open_residue"),
                count: try object.int("open_count")
            ),
            credit: try object.money("credit"),
            lastBill: try object.optionalTime("last_bill"),
            status: try object.enumeration("status", UserStatus.self),
            statusReason: try object.optionalString("status_reason"),
            createdAt: try object.time("created_at"),
            updatedAt: try object.optionalTime("updated_at"),
            deletedAt: try object.optionalTime("deleted_at"),
            frozenAt: try object.optionalTime("frozen_at"),
            overdrawnAt: try object.optionalTime("overdrawn_at")
        )
        self.runOutAt = try object.optionalTime("run_out_at")
        self.freezeAt = try object.optionalTime("freeze_at")
    }
}

extension Rule: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "name": .string(self.name), "type": .string(self.type),
            "resource_type": .string(self.resourceType), "spec": self.spec, "metadata": self.metadata,
            "created_at": .time(self.createdAt), "updated_at": .optionalTime(self.updatedAt),
            "deleted_at": .optionalTime(self.deletedAt),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "rule")
        self.init(
            id: try object.string("id"),
            name: try object.string("name"),
            type: try object.string("type"),
            resourceType: try object.string("resource_type"),
            spec: object.optionalObject("spec"),
            metadata: object.optionalObject("metadata"),
            createdAt: try object.time("created_at"),
            updatedAt: try object.optionalTime("updated_at"),
            deletedAt: try object.optionalTime("deleted_at")
        )
    }
}

extension Policy: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "name": .string(self.name),
            "rules": .array(
                self.rules.map {
                    .object([
                        "id": .string($0.id), "type": .string($0.type), "resource_type": .string($0.resourceType),
                    ])
                }
            ),
            "is_default": .bool(self.isDefault), "metadata": self.metadata, "created_at": .time(self.createdAt),
            "updated_at": .optionalTime(self.updatedAt), "deleted_at": .optionalTime(self.deletedAt),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "policy")
        var rules: [RuleRef] = []
        for item in try object.array("rules") {
            let rule = try RPCObject(item, "rule")
            rules.append(
                RuleRef(
                    id: try rule.string("id"),
                    type: try rule.string("type"),
                    resourceType: try rule.string("resource_type")
                )
            )
        }
        self.init(
            id: try object.string("id"),
            name: try object.string("name"),
            rules: rules,
            isDefault: try object.bool("is_default"),
            metadata: object.optionalObject("metadata"),
            createdAt: try object.time("created_at"),
            updatedAt: try object.optionalTime("updated_at"),
            deletedAt: try object.optionalTime("deleted_at")
        )
    }
}

extension Resource: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "user_id": .string(self.userID), "resource_type": .string(self.resourceType),
            "rule_id": .optionalString(self.ruleID), "properties": .object(self.properties),
            "started_at": .optionalTime(self.billing.startedAt), "deleted_at": .optionalTime(self.billing.deletedAt),
            "rate": .rate(self.billing.rate), "billed_until": .optionalTime(self.billing.billedUntil),
            "accrued": .int128(self.billing.accrued), "created_at": .time(self.createdAt),
            "updated_at": .optionalTime(self.updatedAt),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "resource")
        self.init(
            id: try object.string("id"),
            userID: try object.string("user_id"),
            resourceType: try object.string("resource_type"),
            ruleID: try object.optionalString("rule_id"),
            properties: try object.object("properties"),
            billing: ResourceBilling(
                startedAt: try object.optionalTime("started_at"),
                deletedAt: try object.optionalTime("deleted_at"),
                rate: try object.rate("rate"),
                billedUntil: try object.optionalTime("billed_until"),
                accrued: try object.int128("accrued")
            ),
            createdAt: try object.time("created_at"),
            updatedAt: try object.optionalTime("updated_at")
        )
    }
}

extension Event: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "timestamp": .time(self.timestamp), "obj_id": .string(self.objectID),
            "obj_type": .string(self.objectType), "obj_name": .optionalString(self.objectName),
            "action": .string(self.action), "user_id": .optionalString(self.userID),
            "level": .string(self.level.rawValue), "status": .optionalString(self.status),
            "status_reason": .optionalString(self.statusReason), "metadata": self.metadata,
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "event")
        self.init(
            id: try object.string("id"),
            timestamp: try object.time("timestamp"),
            objectID: try object.string("obj_id"),
            objectType: try object.string("obj_type"),
            objectName: try object.optionalString("obj_name"),
            action: try object.string("action"),
            userID: try object.optionalString("user_id"),
            level: try object.enumeration("level", Level.self),
            status: try object.optionalString("status"),
            statusReason: try object.optionalString("status_reason"),
            metadata: object.optionalObject("metadata")
        )
    }
}

extension Consumption: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "user_id": .string(self.userID), "resource_id": .string(self.resourceID),
            "resource_type": .string(self.resourceType), "start_time": .time(self.startTime),
            "end_time": .time(self.endTime), "rate": .rate(self.rate), "cost": .money(self.cost),
            "cause": .string(self.cause.rawValue), "created_at": .time(self.createdAt),
            "reason": .optionalString(self.reason), "rerating_id": .optionalString(self.reratingID),
            "estimated": .bool(self.estimated),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "consumption")
        self.init(
            id: try object.string("id"),
            userID: try object.string("user_id"),
            resourceID: try object.string("resource_id"),
            resourceType: try object.string("resource_type"),
            startTime: try object.time("start_time"),
            endTime: try object.time("end_time"),
            rate: try object.rate("rate"),
            cost: try object.money("cost"),
            cause: try object.enumeration("cause", Cause.self),
            createdAt: try object.time("created_at"),
            // Absent from an engine of an earlier release.
            reason: try object.optionalString("reason"),
            reratingID: try object.optionalString("rerating_id"),
            estimated: try object.optionalBool("estimated")
        )
    }
}

extension ConsumptionStatistics: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "resource_id": .optionalString(self.resourceID), "resource_type": .string(self.resourceType),
            "user_id": .optionalString(self.userID), "cost": .money(self.cost), "day": .optionalTime(self.day),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "statistics")
        self.init(
            resourceID: try object.optionalString("resource_id"),
            resourceType: try object.string("resource_type"),
            userID: try object.optionalString("user_id"),
            cost: try object.money("cost"),
            day: try object.optionalTime("day")
        )
    }
}

extension Recharge: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "user_id": .string(self.userID), "type": .string(self.kind.rawValue),
            "value": .money(self.value), "timestamp": .time(self.timestamp), "metadata": self.metadata,
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "recharge")
        self.init(
            id: try object.string("id"),
            userID: try object.string("user_id"),
            kind: try object.enumeration("type", Kind.self),
            value: try object.money("value"),
            timestamp: try object.time("timestamp"),
            metadata: object.optionalObject("metadata")
        )
    }
}

extension UserProjection: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "user_id": .string(self.userID), "at": .time(self.at), "balance": .money(self.balance),
            "status": .string(self.status.rawValue),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "projection")
        self.init(
            userID: try object.string("user_id"),
            at: try object.time("at"),
            balance: try object.money("balance"),
            status: try object.enumeration("status", UserStatus.self)
        )
    }
}

extension ApplyOutcome: RPCValue {
    package var rpcValue: JSONValue {
        switch self {
        case .applied: return .string("applied")
        case .duplicate: return .string("duplicate")
        }
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        switch rpcValue {
        case .string("applied"): self = .applied
        case .string("duplicate"): self = .duplicate
        default: throw RPCRemoteError(kind: .invalidInput, message: "unknown apply outcome", field: "outcome")
        }
    }
}

extension ResourceSpec: RPCValue {
    package var rpcValue: JSONValue {
        .object(["resource_type": .string(self.resourceType), "properties": .object(self.properties)])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "resource")
        self.init(resourceType: try object.string("resource_type"), properties: try object.object("properties"))
    }
}

extension ListQuery: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "limit": .integer(self.limit), "marker": .optionalString(self.marker),
            "sort_keys": .array(self.sortKeys.map(JSONValue.string)), "direction": .string(self.direction.rawValue),
            "show_deleted": .bool(self.showDeleted),
            "filters": .object(self.filters.mapValues { .array($0.map(JSONValue.string)) }),
            "user_id": .optionalString(self.userID), "start": .optionalTime(self.start),
            "end": .optionalTime(self.end),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "query")
        var filters: [String: [String]] = [:]
        for (key, value) in try object.object("filters") {
            guard case .array(let items) = value else { throw object.missing("filters", "arrays of strings") }
            filters[key] = try items.map { item throws(RPCRemoteError) in
                guard case .string(let text) = item else { throw object.missing("filters", "arrays of strings") }
                return text
            }
        }
        self.init(
            limit: try object.int("limit"),
            marker: try object.optionalString("marker"),
            sortKeys: try object.strings("sort_keys"),
            direction: try object.enumeration("direction", Direction.self),
            showDeleted: try object.bool("show_deleted"),
            filters: filters,
            userID: try object.optionalString("user_id"),
            start: try object.optionalTime("start"),
            end: try object.optionalTime("end")
        )
    }
}

extension RuleUpdate: RPCValue {
    package var rpcValue: JSONValue {
        .object(["name": .optionalString(self.name), "spec": self.spec ?? .null, "metadata": self.metadata ?? .null])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "update")
        self.init(
            name: try object.optionalString("name"),
            spec: object.value("spec"),
            metadata: object.value("metadata")
        )
    }
}

extension PolicyUpdate: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "name": .optionalString(self.name), "metadata": self.metadata ?? .null,
            "is_default": self.isDefault.map(JSONValue.bool) ?? .null,
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "update")
        self.init(
            name: try object.optionalString("name"),
            metadata: object.value("metadata"),
            isDefault: object.value("is_default") == nil ? nil : try object.bool("is_default")
        )
    }
}
