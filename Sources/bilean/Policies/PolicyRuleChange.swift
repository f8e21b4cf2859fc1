import BileanClient
import BileanCore

/// Adds rules to a policy or removes them (`POST /policies/{id}/action`).
enum PolicyRuleChange {
    /// Sends `{"<action>": {"rules": [ids]}}` and prints the policy.
    /// - Parameters:
    ///   - action: `add_rules` or `remove_rules`.
    ///   - policyID: The policy id.
    ///   - ruleIDs: The rule ids.
    ///   - client: The client.
    ///   - global: The global options (the output format).
    /// - Throws: ``BileanClientError``.
    static func run(
        _ action: String,
        policyID: String,
        ruleIDs: [String],
        client: BileanHTTPClient,
        global: GlobalOptions
    ) async throws(BileanClientError) {
        let body = JSONValue.object([action: .object(["rules": .array(ruleIDs.map(JSONValue.string))])])
        let answer = try await client.post(["policies", policyID, "action"], body: body)
        global.printObject(try client.member(answer, key: "policy"))
    }
}
