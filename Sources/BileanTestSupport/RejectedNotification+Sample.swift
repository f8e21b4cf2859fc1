package import BileanCore

extension RejectedNotification {
    /// A notification rejected as not JSON, for the tests that store and prune rejections.
    /// - Parameters:
    ///   - id: The record's id; its message id is `message-<id>`.
    ///   - receivedAt: When it was set aside.
    /// - Returns: The record.
    package static func sample(id: String, receivedAt: BillingTime) -> RejectedNotification {
        RejectedNotification(
            id: id,
            receivedAt: receivedAt,
            messageID: "message-\(id)",
            eventType: "compute.instance.create.end",
            publisherID: "compute.host",
            code: "invalid_json",
            reason: "the body is not JSON",
            exchange: "nova",
            routingKey: "notifications.info",
            bodySize: 8,
            bodyExcerpt: "not json"
        )
    }
}
