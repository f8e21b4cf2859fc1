package import BileanCore

/// The body of `POST /v1/rerating/preview`: `{"preview": {"start_time", "end_time", "user_ids"?: [ids] | null,
/// "rules": [{"id"?: ID | null, "spec": {...}}], "policy_id"?: ID | null}}`.
///
/// Only the shape is checked here: the engine judges the window, the specs, and whether the rules and the policy
/// exist.
package struct ReratingPreviewRequestBody: Sendable, Hashable {
    /// What to preview.
    package var request: ReratingRequest

    /// Parses the body.
    /// - Parameter body: The request body.
    /// - Throws: ``BileanError`` (invalid input) naming the bad field: an unknown member, a missing or unreadable
    ///   instant, an id that is not 1 to 255 characters, no rules or more than ``ReratingRequest/maximumRules``, a
    ///   rule without a spec object.
    package init(body: JSONValue) throws(BileanError) {
        let preview = try BodyObject(body, path: "").wrapped("preview")
        try preview.allowOnly(["start_time", "end_time", "user_ids", "rules", "policy_id"])
        let startTime = try preview.time("start_time")
        let endTime = try preview.time("end_time")
        let userIDs = try preview.optionalIDs("user_ids")
        let policyID = try preview.optionalString("policy_id")
        let field = preview.field("rules")
        guard case .array(let elements) = preview.members["rules"] ?? .null, !elements.isEmpty,
            elements.count <= ReratingRequest.maximumRules
        else {
            throw BileanError.invalid(
                field,
                "'\(field)' must be a list of 1 to \(ReratingRequest.maximumRules) draft rules ({\"id\"?, \"spec\"})"
            )
        }
        var drafts: [ReratingDraft] = []
        for (index, element) in elements.enumerated() {
            let rule = try BodyObject(element, path: "\(field)[\(index)]")
            try rule.allowOnly(["id", "spec"])
            let ruleID = try rule.optionalString("id")
            guard let spec = try rule.optionalObjectValue("spec") else {
                throw BileanError.invalid(rule.field("spec"), "'\(rule.field("spec"))' is required")
            }
            drafts.append(ReratingDraft(ruleID: ruleID, spec: spec))
        }
        self.request = ReratingRequest(
            startTime: startTime,
            endTime: endTime,
            userIDs: userIDs,
            rules: drafts,
            policyID: policyID
        )
    }
}

/// The body of `POST /v1/rerating/apply`: `{"apply": {"preview_id": ID, "reason": "..."}}`.
package struct ReratingApplyRequestBody: Sendable, Hashable {
    /// The preview to apply.
    package var previewID: String
    /// Why, in the operator's words: 1 to ``Rerating/maximumReasonLength`` characters, not blank, without control
    /// characters.
    package var reason: String

    /// Parses the body.
    /// - Parameter body: The request body.
    /// - Throws: ``BileanError`` (invalid input) naming the bad field: an unknown member, a missing preview id or
    ///   reason, a reason that is blank, too long or holds control characters.
    package init(body: JSONValue) throws(BileanError) {
        let apply = try BodyObject(body, path: "").wrapped("apply")
        try apply.allowOnly(["preview_id", "reason"])
        self.previewID = try apply.string("preview_id")
        self.reason = try apply.string("reason", maximumLength: Rerating.maximumReasonLength)
    }
}
