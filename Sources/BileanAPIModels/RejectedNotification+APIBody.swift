package import BileanCore

extension RejectedNotification {
    /// The v1 body of a rejected notification.
    package var apiBody: JSONValue {
        .object([
            "id": .string(self.id),
            "received_at": .time(self.receivedAt),
            "message_id": .string(or: self.messageID),
            "event_type": .string(or: self.eventType),
            "publisher_id": .string(or: self.publisherID),
            "code": .string(self.code),
            "reason": .string(self.reason),
            "exchange": .string(self.exchange),
            "routing_key": .string(self.routingKey),
            "body_size": .number(String(self.bodySize)),
            "body_excerpt": .string(self.bodyExcerpt),
        ])
    }
}
