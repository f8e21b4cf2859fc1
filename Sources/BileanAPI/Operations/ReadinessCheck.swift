/// One thing a role needs before it can do its work, checked by `GET /readyz`: the database it opened (which also
/// proves its migrations ran: a role opens the database only through them), the broker it consumes from, the
/// engines it calls over RPC.
package struct ReadinessCheck: Sendable {
    /// The check's name in the `/readyz` body, e.g. `database`.
    package var name: String
    /// Returns when the part answers; throws why it does not (the reason in the body: never tenant data).
    package var check: @Sendable () async throws -> Void

    /// A check.
    /// - Parameters:
    ///   - name: Its name in the `/readyz` body.
    ///   - check: Returns when the part answers, throws why it does not.
    package init(_ name: String, _ check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}

/// Why a readiness check failed, when the part says nothing more useful than "no".
package struct NotReady: Error, CustomStringConvertible {
    /// The reason.
    package var description: String

    /// A reason.
    package init(_ description: String) {
        self.description = description
    }
}
