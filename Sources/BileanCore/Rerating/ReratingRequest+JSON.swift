extension ReratingRequest {
    /// The request as JSON: instants as ISO 8601 strings, specs as given. What the store keeps with a preview and
    /// what crosses RPC.
    package var jsonValue: JSONValue {
        .object([
            "start_time": .string(self.startTime.iso8601),
            "end_time": .string(self.endTime.iso8601),
            "user_ids": self.userIDs.map { .array($0.map(JSONValue.string)) } ?? .null,
            "policy_id": self.policyID.map(JSONValue.string) ?? .null,
            "rules": .array(
                self.rules.map { draft in
                    .object(["id": draft.ruleID.map(JSONValue.string) ?? .null, "spec": draft.spec])
                }
            ),
        ])
    }

    /// Reads ``jsonValue`` back.
    /// - Throws: ``BileanError`` (`invalidInput`) naming the field that does not fit.
    package init(jsonValue: JSONValue) throws(BileanError) {
        guard let object = jsonValue.objectValue else { throw BileanError.invalid("rerating", "not an object") }
        func time(_ key: String) throws(BileanError) -> BillingTime {
            guard let text = object[key]?.stringValue else { throw BileanError.invalid(key, "missing") }
            return try BillingTime(parsing: text, field: key)
        }
        var userIDs: [String]?
        if let value = object["user_ids"], value != .null {
            guard let array = value.arrayValue else { throw BileanError.invalid("user_ids", "not an array") }
            var ids: [String] = []
            for element in array {
                guard let id = element.stringValue else { throw BileanError.invalid("user_ids", "not a string") }
                ids.append(id)
            }
            userIDs = ids
        }
        var policyID: String?
        if let value = object["policy_id"], value != .null {
            guard let id = value.stringValue else { throw BileanError.invalid("policy_id", "not a string") }
            policyID = id
        }
        guard let rules = object["rules"]?.arrayValue else { throw BileanError.invalid("rules", "not an array") }
        var drafts: [ReratingDraft] = []
        for rule in rules {
            guard let members = rule.objectValue, let spec = members["spec"] else {
                throw BileanError.invalid("rules", "each rule is an object with a spec")
            }
            var ruleID: String?
            if let value = members["id"], value != .null {
                guard let id = value.stringValue else { throw BileanError.invalid("rules.id", "not a string") }
                ruleID = id
            }
            drafts.append(ReratingDraft(ruleID: ruleID, spec: spec))
        }
        self.init(
            startTime: try time("start_time"),
            endTime: try time("end_time"),
            userIDs: userIDs,
            rules: drafts,
            policyID: policyID
        )
    }
}

extension ReratingLine {
    /// The line as JSON (amounts as exact decimal strings).
    package var jsonValue: JSONValue {
        .object([
            "user_id": .string(self.userID),
            "resource_type": .string(self.resourceType),
            "resources": .number("\(self.resources)"),
            "current": .string(self.current.description),
            "draft": .string(self.draft.description),
            "difference": .string(self.difference.description),
        ])
    }

    /// Reads ``jsonValue`` back.
    /// - Throws: ``BileanError`` (`invalidInput`) naming the field that does not fit.
    package init(jsonValue: JSONValue) throws(BileanError) {
        guard let object = jsonValue.objectValue,
            let userID = object["user_id"]?.stringValue,
            let resourceType = object["resource_type"]?.stringValue,
            let resources = object["resources"]?.scalarText.flatMap({ Int($0) }),
            let current = object["current"]?.stringValue,
            let draft = object["draft"]?.stringValue
        else { throw BileanError.invalid("lines", "not a re-rating line") }
        self.init(
            userID: userID,
            resourceType: resourceType,
            resources: resources,
            current: try Money(parsing: current, field: "current"),
            draft: try Money(parsing: draft, field: "draft")
        )
    }
}
