import ArgumentParser
import BileanClient
import BileanCore

/// `bilean reconciliation-list`.
struct ReconciliationList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconciliation-list",
        abstract: "Show the latest inventory reconciliation runs, newest first (admin only).",
        discussion: """
            A run lists what the cloud holds (servers, volumes, snapshots, floating IPs, routers, images) and \
            compares it with what is billed. Columns: id, started_at, complete (every listing completed; a \
            failed listing is skipped whole), repair (whether repairs were asked for), listed (resources per \
            resource type), counts (findings per kind: missing, vanished, property_drift; and per action: \
            reported, repaired, deferred).

            With --findings, then one line per finding: run_id, resource_id, resource_type, user_id, kind, \
            action, effective_at (what a repair bills from or closes at), estimated. -f json prints the runs as \
            the API answers them, findings and their evidence included.
            """
    )

    @Option(
        name: [.customShort("l"), .customLong("limit")],
        help: ArgumentHelp("How many runs, 1 to 50 (default: 5).", valueName: "n")
    )
    var limit: Int?

    @Flag(help: "Also print each run's findings.")
    var findings = false

    @OptionGroup var global: GlobalOptions

    /// The columns of the runs.
    static let runColumns = ["id", "started_at", "complete", "repair", "listed", "counts"]
    /// The columns of the findings.
    static let findingColumns = [
        "run_id", "resource_id", "resource_type", "user_id", "kind", "action", "effective_at", "estimated",
    ]

    func validate() throws {
        if let limit = self.limit, !(1...50).contains(limit) {
            throw ValidationError("--limit must be 1 to 50.")
        }
    }

    func run() async throws {
        try await self.global.run { client in
            let runs = try await client.listReconciliations(limit: self.limit)
            self.global.printList(runs, columns: Self.runColumns)
            switch self.global.format {
            case .table, .value:
                if self.findings { self.global.printList(Self.findingRows(runs), columns: Self.findingColumns) }
            case .json:
                break
            }
        }
    }

    /// The findings of every run, in order, each with its run's id as `run_id`.
    /// - Parameter runs: The runs as the API answers them.
    /// - Returns: One row per finding.
    static func findingRows(_ runs: [JSONValue]) -> [JSONValue] {
        runs.flatMap { run in
            (run["findings"]?.arrayValue ?? []).map { finding in
                var members = finding.objectValue ?? [:]
                members["run_id"] = run["id"] ?? .null
                return JSONValue.object(members)
            }
        }
    }
}
