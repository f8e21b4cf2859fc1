package import BileanCore

/// What `POST /v1/rerating/preview` asks: draft rules priced over a past window, beside what was billed.
///
/// The body is `{"preview": {"start_time", "end_time", "user_ids"?, "policy_id"?, "rules": [{"id"?, "spec"}]}}`;
/// absent parts are left out, and the instants are sent as the caller wrote them (the server parses them).
package struct ReratingPreviewRequest: Sendable, Hashable {
    /// One draft rule.
    package struct Rule: Sendable, Hashable {
        /// The rule the draft replaces; `nil` replaces whichever rule prices the spec's resource type for each user.
        package var id: String?
        /// The draft spec `{type, version, properties}`, as a rule spec file holds it.
        package var spec: JSONValue

        /// Creates a draft rule.
        /// - Parameters:
        ///   - id: The rule it replaces, if one is named.
        ///   - spec: The draft spec.
        package init(id: String? = nil, spec: JSONValue) {
            self.id = id
            self.spec = spec
        }
    }

    /// The window's start (inclusive), ISO 8601.
    package var startTime: String
    /// The window's end (exclusive), ISO 8601; not after the instant of the preview.
    package var endTime: String
    /// Only these users (projects); empty: every user the other filters keep.
    package var userIDs: [String]
    /// Only the users priced by this policy, if set.
    package var policyID: String?
    /// The draft rules.
    package var rules: [Rule]

    /// Creates a request.
    /// - Parameters:
    ///   - startTime: The window's start, ISO 8601.
    ///   - endTime: The window's end, ISO 8601.
    ///   - userIDs: Only these users (none: no such filter).
    ///   - policyID: Only the users of this policy, if set.
    ///   - rules: The draft rules.
    package init(
        startTime: String,
        endTime: String,
        userIDs: [String] = [],
        policyID: String? = nil,
        rules: [Rule]
    ) {
        self.startTime = startTime
        self.endTime = endTime
        self.userIDs = userIDs
        self.policyID = policyID
        self.rules = rules
    }

    /// The request's JSON body, `{"preview": {...}}`.
    package var jsonValue: JSONValue {
        var preview: [String: JSONValue] = [
            "start_time": .string(self.startTime),
            "end_time": .string(self.endTime),
            "rules": .array(
                self.rules.map { rule in
                    var object: [String: JSONValue] = ["spec": rule.spec]
                    if let id = rule.id { object["id"] = .string(id) }
                    return .object(object)
                }
            ),
        ]
        if !self.userIDs.isEmpty { preview["user_ids"] = .array(self.userIDs.map(JSONValue.string)) }
        if let policyID = self.policyID { preview["policy_id"] = .string(policyID) }
        return .object(["preview": .object(preview)])
    }
}
