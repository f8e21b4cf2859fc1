package import BileanCore
package import BileanMessaging

// The exact JSON forms of the `ingest` namespace's arguments and results.

extension ResourceEvent: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "message_id": .string(self.messageID), "action": .string(self.action.rawValue),
            "resource_type": .string(self.resourceType), "resource_id": .string(self.resourceID),
            "user_id": .string(self.userID), "properties": .object(self.properties), "time": .time(self.time),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "resource_event")
        self.init(
            messageID: try object.string("message_id"),
            action: try object.enumeration("action", Action.self),
            resourceType: try object.string("resource_type"),
            resourceID: try object.string("resource_id"),
            userID: try object.string("user_id"),
            properties: try object.object("properties"),
            time: try object.time("time")
        )
    }
}

extension UserEvent: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "message_id": .string(self.messageID), "action": .string(self.action.rawValue),
            "user_id": .string(self.userID), "name": .optionalString(self.name), "time": .time(self.time),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "user_event")
        self.init(
            messageID: try object.string("message_id"),
            action: try object.enumeration("action", Action.self),
            userID: try object.string("user_id"),
            name: try object.optionalString("name"),
            time: try object.time("time")
        )
    }
}

extension BillingFact: RPCValue {
    package var rpcValue: JSONValue {
        switch self {
        case .resource(let event): return .object(["resource": event.rpcValue])
        case .user(let event): return .object(["user": event.rpcValue])
        }
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "fact")
        if let event = object.value("resource") {
            self = .resource(try ResourceEvent(rpcValue: event))
        } else if let event = object.value("user") {
            self = .user(try UserEvent(rpcValue: event))
        } else {
            throw object.missing("resource", "a resource or user event")
        }
    }
}

extension RejectedNotification: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "received_at": .time(self.receivedAt),
            "message_id": .optionalString(self.messageID), "event_type": .optionalString(self.eventType),
            "publisher_id": .optionalString(self.publisherID), "code": .string(self.code),
            "reason": .string(self.reason), "exchange": .string(self.exchange),
            "routing_key": .string(self.routingKey), "body_size": .integer(self.bodySize),
            "body_excerpt": .string(self.bodyExcerpt),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "rejection")
        self.init(
            id: try object.string("id"),
            receivedAt: try object.time("received_at"),
            messageID: try object.optionalString("message_id"),
            eventType: try object.optionalString("event_type"),
            publisherID: try object.optionalString("publisher_id"),
            code: try object.string("code"),
            reason: try object.string("reason"),
            exchange: try object.string("exchange"),
            routingKey: try object.string("routing_key"),
            bodySize: try object.int("body_size"),
            bodyExcerpt: try object.string("body_excerpt")
        )
    }
}

extension ListenerReport: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "listener": .string(self.listener), "queue_depth": .integer(self.queueDepth),
            "oldest_held_s": .integer(self.oldestHeldSeconds),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "report")
        self.init(
            listener: try object.string("listener"),
            queueDepth: try object.int64("queue_depth"),
            oldestHeldSeconds: try object.int64("oldest_held_s")
        )
    }
}

extension NotificationBatch: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "messages": .array(
                self.messages.map { message in
                    .object(["message_id": .string(message.messageID), "facts": message.facts.rpcValue])
                }
            ),
            "rejections": self.rejections.rpcValue,
            "report": self.report?.rpcValue ?? .null,
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "batch")
        var messages: [Message] = []
        for item in try object.array("messages") {
            let message = try RPCObject(item, "message")
            messages.append(
                Message(
                    messageID: try message.string("message_id"),
                    facts: try [BillingFact](rpcValues: try message.array("facts"))
                )
            )
        }
        self.init(
            messages: messages,
            rejections: try [RejectedNotification](rpcValues: try object.array("rejections")),
            report: try object.value("report").map { value throws(RPCRemoteError) in
                try ListenerReport(rpcValue: value)
            }
        )
    }
}

extension IngestReport: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "billed": .integer(self.billed), "duplicates": .integer(self.duplicates),
            "duplicate_ids": .array(self.duplicateIDs.map(JSONValue.string)), "rejected": .integer(self.rejected),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "report")
        self.init()
        self.billed = try object.int("billed")
        self.duplicates = try object.int("duplicates")
        // An engine of an earlier release sends no ids (the listener then counts those duplicates as billed).
        self.duplicateIDs = object.value("duplicate_ids") == nil ? [] : try object.strings("duplicate_ids")
        self.rejected = try object.int("rejected")
    }
}
