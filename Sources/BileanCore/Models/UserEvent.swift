/// A fact about a Keystone project (a Bilean user), from `identity.project.created` or `identity.project.deleted`.
package struct UserEvent: Sendable, Hashable {
    /// What happened to the project.
    package enum Action: String, Sendable, Hashable, CaseIterable {
        /// The project was created: its account is opened (status INIT, balance 0) if Bilean has not seen it.
        case create
        /// The project was deleted: its live resources are closed at ``UserEvent/time``, its account settled and
        /// soft-deleted.
        case delete
    }

    /// The id of the message that carried the event.
    package var messageID: String
    /// What happened.
    package var action: Action
    /// The project's id: the Bilean user id.
    package var userID: String
    /// The project's name, when the notification carries it (CADF `target.name`).
    package var name: String?
    /// When the cloud says it happened (CADF `eventTime`, else the notification's `timestamp`).
    package var time: BillingTime

    /// Creates a user event.
    /// - Parameters:
    ///   - messageID: The message id.
    ///   - action: What happened.
    ///   - userID: The project id.
    ///   - name: The project name, if known.
    ///   - time: The cloud time.
    package init(messageID: String, action: Action, userID: String, name: String? = nil, time: BillingTime) {
        self.messageID = messageID
        self.action = action
        self.userID = userID
        self.name = name
        self.time = time
    }
}
