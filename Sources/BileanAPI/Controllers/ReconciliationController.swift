import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/reconciliation`: the latest inventory reconciliation runs, newest first, each with what it listed, what
/// failed, what differed from the cloud and what was done about it. Admin only.
package struct ReconciliationController: Sendable {
    let engine: any AccountsService

    /// How many runs a request shows when it names no `limit`.
    package static let defaultLimit = 5
    /// The most runs a request may ask for.
    package static let maximumLimit = 50

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/reconciliation", [.get: self.list])
    }

    @Sendable func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.reconciliationIndex, project: nil)
        let limit = try Self.limit(request)
        let runs = try await self.engine.listReconciliations(limit: limit)
        return JSONResponse.ok("reconciliation", .array(runs.map(\.apiBody)))
    }

    /// Reads the only parameter, `limit` (1 to ``maximumLimit``, default ``defaultLimit``; the last one given
    /// counts).
    /// - Throws: ``BileanError`` (400) for another parameter, or a limit that is not a whole number in range.
    static func limit(_ request: Request) throws(BileanError) -> Int {
        var limit = Self.defaultLimit
        for (name, value) in Request.formDecoded(request.uri.query ?? "") {
            guard name == "limit" else {
                throw BileanError.invalid(name, "Unknown parameter '\(name.prefix(64))' (known: limit)")
            }
            guard let number = Int(value), (1...Self.maximumLimit).contains(number) else {
                throw BileanError.invalid("limit", "limit must be a whole number from 1 to \(Self.maximumLimit)")
            }
            limit = number
        }
        return limit
    }
}
