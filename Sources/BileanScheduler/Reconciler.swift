package import BileanCore
package import CoreMetrics
package import Logging

/// One pass of inventory reconciliation: lists what the cloud holds (``CloudInventory``), compares each complete
/// listing with the resources Bilean bills (``ReconciliationDiff``), and has the engine record the run and repair
/// what it may (``JobsService/recordReconciliation(_:)``). A listing that fails is skipped whole.
///
/// Metrics: `bilean_reconciliation_runs_total{outcome}` (`complete`, `partial`),
/// `bilean_reconciliation_listing_failures_total{resource_type}` and
/// `bilean_reconciliation_findings_total{kind, action}`.
package struct Reconciler: Sendable {
    /// How many billed resources one engine call pages through, and how many ids one "seen" call carries.
    static let page = 1000

    let inventory: any CloudInventory
    let engine: any JobsService
    let repair: Bool
    let logger: Logger
    let now: @Sendable () -> BillingTime
    let newID: @Sendable () -> String
    let runs: MetricFamily<CoreMetrics.Counter>
    let listingFailures: MetricFamily<CoreMetrics.Counter>
    let findings: MetricFamily<CoreMetrics.Counter>

    /// Creates a reconciler.
    /// - Parameters:
    ///   - inventory: The cloud's listings.
    ///   - engine: The billing engine.
    ///   - repair: `[reconciliation] repair`.
    ///   - logger: The logger.
    ///   - factory: Where the metrics go.
    ///   - now: The clock.
    ///   - newID: Makes run ids.
    package init(
        inventory: any CloudInventory,
        engine: any JobsService,
        repair: Bool,
        logger: Logger,
        factory: any MetricsFactory = NOOPMetricsHandler.instance,
        now: @escaping @Sendable () -> BillingTime,
        newID: @escaping @Sendable () -> String
    ) {
        self.inventory = inventory
        self.engine = engine
        self.repair = repair
        self.logger = logger
        self.now = now
        self.newID = newID
        self.runs = .counter("bilean_reconciliation_runs_total", labels: ["outcome"], factory)
        self.listingFailures = .counter(
            "bilean_reconciliation_listing_failures_total",
            labels: ["resource_type"],
            factory
        )
        self.findings = .counter("bilean_reconciliation_findings_total", labels: ["kind", "action"], factory)
    }

    /// Runs one pass.
    /// - Returns: The run as the engine recorded it.
    /// - Throws: What the engine threw (a listing's failure is in the run, not thrown).
    package func run() async throws -> ReconciliationRun {
        let started = self.now()
        var listed: [String: Int] = [:]
        var failed: [String: String] = [:]
        var findings: [ReconciliationFinding] = []
        for type in self.inventory.resourceTypes {
            let listing: InventoryListing
            do {
                listing = try await self.inventory.list(type)
            } catch {
                failed[type] = error.reason
                self.listingFailures(type).increment()
                self.logger.warning(
                    "reconciliation: a listing failed and is skipped whole",
                    metadata: ["resource.type": "\(type)", "error": "\(error.reason)"]
                )
                continue
            }
            var billed: [BilledResource] = []
            var after: String?
            while true {
                let page = try await self.engine.reconciliationResources(type: type, after: after, limit: Self.page)
                billed += page
                guard page.count == Self.page, let last = page.last else { break }
                after = last.resourceID
            }
            findings += ReconciliationDiff.findings(listing, billed: billed)
            listed[type] = listing.items.count
            let billedIDs = Set(billed.map(\.resourceID))
            let seen = listing.items.filter { !$0.isDeleted && billedIDs.contains($0.resourceID) }.map(\.resourceID)
            var start = 0
            while start < seen.count {
                let chunk = Array(seen[start..<min(start + Self.page, seen.count)])
                try await self.engine.markSeen(resourceIDs: chunk, at: started)
                start += Self.page
            }
        }
        let run = try await self.engine.recordReconciliation(
            ReconciliationRun(
                id: self.newID(),
                startedAt: started,
                finishedAt: self.now(),
                repair: self.repair,
                listed: listed,
                failed: failed,
                findings: findings
            )
        )
        self.runs(run.isComplete ? "complete" : "partial").increment()
        for finding in run.findings { self.findings(finding.kind.rawValue, finding.action.rawValue).increment() }
        self.logger.info(
            "reconciliation done",
            metadata: [
                "reconciliation.id": "\(run.id)", "complete": "\(run.isComplete)",
                "listed": "\(listed.values.reduce(0, +))", "findings": "\(run.findings.count)",
                "repaired": "\(run.findings.filter { $0.action == .repaired }.count)",
                "deferred": "\(run.findings.filter { $0.action == .deferred }.count)",
            ]
        )
        return run
    }
}
