package import BileanCore

extension ReconciliationRun {
    /// The v1 body of a reconciliation run: `id`, `started_at`, `finished_at`, `repair`, `complete` (every listing
    /// completed), `listed` (resources per complete listing, by type), `failed` (why each skipped listing failed,
    /// by type), `counts` (the findings by kind and by action, every key present) and `findings`.
    package var apiBody: JSONValue {
        .object([
            "id": .string(self.id),
            "started_at": .time(self.startedAt),
            "finished_at": .time(self.finishedAt),
            "repair": .bool(self.repair),
            "complete": .bool(self.isComplete),
            "listed": .object(self.listed.mapValues { .number(String($0)) }),
            "failed": .object(self.failed.mapValues(JSONValue.string)),
            "counts": self.apiCounts,
            "findings": .array(self.findings.map(\.apiBody)),
        ])
    }

    /// How many findings there are of each kind (`missing`, `vanished`, `property_drift`) and with each action
    /// (`reported`, `repaired`, `deferred`); zero counts included.
    package var apiCounts: JSONValue {
        var counts: [String: Int] = [:]
        for kind in ReconciliationFinding.Kind.allCases { counts[kind.rawValue] = 0 }
        for action in ReconciliationFinding.Action.allCases { counts[action.rawValue] = 0 }
        for finding in self.findings {
            counts[finding.kind.rawValue, default: 0] += 1
            counts[finding.action.rawValue, default: 0] += 1
        }
        return .object(counts.mapValues { .number(String($0)) })
    }
}
