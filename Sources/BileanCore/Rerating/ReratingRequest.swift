/// What a shadow re-rating prices: draft rules over a past window, for some or all users.
///
/// "Today's pricing" is what was billed (the stored history and its open intervals); the draft re-prices, within
/// `[startTime, endTime)`, every stretch that the rule it replaces priced. Outside the window nothing changes.
package struct ReratingRequest: Sendable, Hashable {
    /// The window's start (inclusive).
    package var startTime: BillingTime
    /// The window's end (exclusive); never after the instant of the preview.
    package var endTime: BillingTime
    /// Only these users, if set.
    package var userIDs: [String]?
    /// The draft rules, at most one per resource type.
    package var rules: [ReratingDraft]
    /// Only the users priced by this policy (attached, or relying on it as the default), if set.
    package var policyID: String?

    /// The most draft rules in one request.
    package static let maximumRules = 20
    /// The most users named in one request.
    package static let maximumUserIDs = 1000
    /// The longest window: 366 days.
    package static let maximumWindowMicroseconds: Int64 = 366 * 86_400 * 1_000_000

    /// Creates a request.
    package init(
        startTime: BillingTime,
        endTime: BillingTime,
        userIDs: [String]? = nil,
        rules: [ReratingDraft],
        policyID: String? = nil
    ) {
        self.startTime = startTime
        self.endTime = endTime
        self.userIDs = userIDs
        self.rules = rules
        self.policyID = policyID
    }
}

/// One draft rule of a re-rating.
package struct ReratingDraft: Sendable, Hashable {
    /// The rule it replaces; `nil` replaces whichever rule of each user's policy covers its resource type.
    package var ruleID: String?
    /// The draft spec `{type, version, properties}`, validated by its plugin.
    package var spec: JSONValue

    /// Creates a draft.
    package init(ruleID: String? = nil, spec: JSONValue) {
        self.ruleID = ruleID
        self.spec = spec
    }
}
