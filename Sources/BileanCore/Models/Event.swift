/// An audit record of what happened to an object. Every state change writes one.
package struct Event: Sendable, Hashable {
    /// How important an event is.
    package enum Level: String, Sendable, Hashable, CaseIterable {
        /// Normal operation.
        case info = "INFO"
        /// Needs the admin's attention (an unpriced resource, …).
        case warning = "WARNING"
        /// Something failed.
        case error = "ERROR"
    }

    /// The event id (a UUID).
    package var id: String
    /// When it happened (cloud time for resource events, else Bilean's time).
    package var timestamp: BillingTime
    /// The object's id.
    package var objectID: String
    /// The object's kind: `user`, `rule`, `policy`, or a resource type.
    package var objectType: String
    /// The object's name, if any.
    package var objectName: String?
    /// What happened: `create`, `update`, `delete`, `recharge`, `attach_policy`, …
    package var action: String
    /// The user concerned, if any.
    package var userID: String?
    /// How important it is.
    package var level: Level
    /// The object's status afterwards.
    package var status: String?
    /// Why.
    package var statusReason: String?
    /// Details.
    package var metadata: JSONValue

    /// Creates an event.
    package init(
        id: String,
        timestamp: BillingTime,
        objectID: String,
        objectType: String,
        objectName: String? = nil,
        action: String,
        userID: String? = nil,
        level: Level = .info,
        status: String? = nil,
        statusReason: String? = nil,
        metadata: JSONValue = .object([:])
    ) {
        self.id = id
        self.timestamp = timestamp
        self.objectID = objectID
        self.objectType = objectType
        self.objectName = objectName
        self.action = action
        self.userID = userID
        self.level = level
        self.status = status
        self.statusReason = statusReason
        self.metadata = metadata
    }
}
