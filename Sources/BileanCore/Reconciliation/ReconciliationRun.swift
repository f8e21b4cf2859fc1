/// One pass of inventory reconciliation: what was listed, what failed, what differed and what was done.
package struct ReconciliationRun: Sendable, Hashable {
    /// The run id (a UUID).
    package var id: String
    /// When the listing started.
    package var startedAt: BillingTime
    /// When the run was recorded.
    package var finishedAt: BillingTime
    /// Whether repairs were asked for.
    package var repair: Bool
    /// How many resources each complete listing held, by resource type.
    package var listed: [String: Int]
    /// The listings that failed (skipped whole), by resource type: why.
    package var failed: [String: String]
    /// The differences found in the complete listings.
    package var findings: [ReconciliationFinding]

    /// Whether every listing completed.
    package var isComplete: Bool { self.failed.isEmpty }

    /// Creates a run.
    package init(
        id: String,
        startedAt: BillingTime,
        finishedAt: BillingTime,
        repair: Bool,
        listed: [String: Int],
        failed: [String: String],
        findings: [ReconciliationFinding]
    ) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.repair = repair
        self.listed = listed
        self.failed = failed
        self.findings = findings
    }
}
