package import BileanCore
package import BileanMessaging

/// The `ingest` namespace (version 1.0), served by `bilean-server engine` for the notification listeners.
///
/// Methods: `ingest(batch)` → the ingest report (the batch is committed when it answers; redelivered, it bills
/// nothing twice: message ids), `report_listener(report)`, `probe()`.
package struct IngestEndpoint: RPCEndpoint {
    let service: any IngestService

    /// Serves an ingest service (the engine).
    package init(service: any IngestService) {
        self.service = service
    }

    package var namespace: String { IngestEndpoint.name }
    package var version: String { IngestEndpoint.currentVersion }

    /// The namespace's name and version.
    package static let name = "ingest"
    package static let currentVersion = "1.0"

    package func handle(method: String, args: [String: JSONValue], context: RPCContext) async throws -> JSONValue {
        try await served {
            switch method {
            case "ingest":
                return try await self.service.ingest(NotificationBatch(rpcValue: args["batch"] ?? .null)).rpcValue
            case "report_listener":
                try await self.service.reportListener(ListenerReport(rpcValue: args["report"] ?? .null))
                return .null
            case "probe":
                try await self.service.probe()
                return .null
            default:
                throw RPCRemoteError(kind: .noSuchMethod, message: "ingest has no method \(method)", field: nil)
            }
        }
    }
}

/// The listener's engine over RPC: ``IngestService`` calls to the `ingest` namespace.
package struct RPCIngestService: IngestService {
    let caller: EngineRPCCaller

    /// Calls the engines through `client`.
    package init(client: OsloRPCClient) {
        self.caller = EngineRPCCaller(
            client: client,
            namespace: IngestEndpoint.name,
            version: IngestEndpoint.currentVersion
        )
    }

    package func probe() async throws {
        _ = try await self.caller.call("probe", [:])
    }

    package func ingest(_ batch: NotificationBatch) async throws -> IngestReport {
        try self.caller.read(try await self.caller.call("ingest", ["batch": batch.rpcValue]), as: IngestReport.self)
    }

    package func reportListener(_ report: ListenerReport) async throws {
        _ = try await self.caller.call("report_listener", ["report": report.rpcValue])
    }
}
