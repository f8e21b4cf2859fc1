package import BileanCore

/// The body of `POST /v1/users/{id}/action`: exactly one action.
package enum UserAction: Sendable, Hashable {
    /// `{"recharge": {"value": N, "type"?: "Recharge" | "System bonus", "metadata"?: {}}}`.
    case recharge(value: Money, kind: Recharge.Kind, metadata: JSONValue)
    /// `{"attach_policy": {"policy": ID}}`.
    case attachPolicy(policyID: String)
    /// `{"set_credit": {"value": N}}` (0 ≤ N ≤ ``Recharge/maximumValue``, at most 12 decimals).
    case setCredit(value: Money)

    /// Parses an action body.
    /// - Parameter body: The request body.
    /// - Throws: ``BileanError`` (invalid input) naming the bad field: no action, two actions, an unknown action,
    ///   a value that is missing, not a number, not positive or above ``Recharge/maximumValue``.
    package init(body: JSONValue) throws(BileanError) {
        let object = try BodyObject(body, path: "")
        let (name, value) = try object.onlyAction(among: ["recharge", "attach_policy", "set_credit"])
        let action = try BodyObject(value, path: name)
        switch name {
        case "recharge":
            try action.allowOnly(["value", "type", "metadata"])
            let amount = try action.money("value")
            guard amount.isPositive, amount <= Recharge.maximumValue else {
                throw BileanError.invalid(
                    "recharge.value",
                    "'recharge.value' must be more than 0 and at most \(Recharge.maximumValue)"
                )
            }
            var kind = Recharge.Kind.recharge
            if let text = try action.optionalString("type") {
                guard let parsed = Recharge.Kind(rawValue: text) else {
                    let allowed = Recharge.Kind.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")
                    throw BileanError.invalid("recharge.type", "'recharge.type' must be \(allowed)")
                }
                kind = parsed
            }
            self = .recharge(
                value: amount,
                kind: kind,
                metadata: try action.optionalObjectValue("metadata") ?? .object([:])
            )
        case "set_credit":
            try action.allowOnly(["value"])
            let amount = try action.money("value")
            guard !amount.isNegative, amount <= Recharge.maximumValue else {
                throw BileanError.invalid(
                    "set_credit.value",
                    "'set_credit.value' must be at least 0 and at most \(Recharge.maximumValue)"
                )
            }
            self = .setCredit(value: amount)
        default:
            try action.allowOnly(["policy"])
            self = .attachPolicy(policyID: try action.string("policy"))
        }
    }
}

extension BodyObject {
    /// The one action of an action body.
    /// - Parameter actions: The actions the endpoint knows.
    /// - Returns: The action's name and its argument.
    /// - Throws: ``BileanError`` for no action, several, or an unknown one.
    package func onlyAction(among actions: [String]) throws(BileanError) -> (String, JSONValue) {
        let known = actions.joined(separator: ", ")
        guard let (name, value) = self.members.first, self.members.count == 1 else {
            let found = self.members.keys.sorted().joined(separator: ", ")
            throw BileanError.invalid(
                "action",
                self.members.isEmpty
                    ? "The body must hold exactly one action (one of: \(known))"
                    : "The body must hold exactly one action, not several (\(found))"
            )
        }
        guard actions.contains(name) else {
            throw BileanError.invalid("action", "Unrecognized action '\(name)' (known: \(known))")
        }
        return (name, value)
    }
}
