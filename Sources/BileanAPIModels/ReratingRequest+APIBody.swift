package import BileanCore

extension ReratingRequest {
    /// The members of a re-rating's v1 body that say what was re-rated: `start_time`, `end_time`, `user_ids`
    /// (`null`: every user), `policy_id` (`null`: any policy) and `rules` (`[{"id" | null, "spec"}]`, as given).
    package var apiMembers: [String: JSONValue] {
        [
            "start_time": .time(self.startTime),
            "end_time": .time(self.endTime),
            "user_ids": self.userIDs.map { .array($0.map(JSONValue.string)) } ?? .null,
            "policy_id": .string(or: self.policyID),
            "rules": .array(
                self.rules.map { draft in .object(["id": .string(or: draft.ruleID), "spec": draft.spec]) }
            ),
        ]
    }
}
