package import BileanCore

/// Where `billing.notify` notices go: the bus (``OsloNotifier``), or the log when there is none.
package protocol BillingNoticeSender: Sendable {
    /// Sends one notice; returns once it is safely handed over (the broker confirmed it).
    /// - Throws: When it could not be handed over; the notice stays in the outbox and is sent again later.
    func send(_ notice: BillingNotice) async throws
}
