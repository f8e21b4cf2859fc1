package import BileanCore

extension ReratingLine {
    /// The v1 body of a re-rating line: the amounts as exact decimal strings, `difference` = `draft − current`.
    package var apiBody: JSONValue {
        .object([
            "user_id": .string(self.userID),
            "resource_type": .string(self.resourceType),
            "resources": .number(String(self.resources)),
            "current": .money(self.current),
            "draft": .money(self.draft),
            "difference": .money(self.difference),
        ])
    }
}

extension Array where Element == ReratingLine {
    /// The members of a re-rating's v1 body that say what it changes: the totals `current`, `draft` and
    /// `difference` (`draft − current`), and the `lines`.
    package var apiMembers: [String: JSONValue] {
        let current = self.current
        let draft = self.draft
        return [
            "current": .money(current),
            "draft": .money(draft),
            "difference": .money(draft - current),
            "lines": .array(self.map(\.apiBody)),
        ]
    }
}
