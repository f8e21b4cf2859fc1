import BileanCore

/// Turns a ``Notification`` into billing facts with the definitions: the pure core of the notification listener.
///
/// Every definition whose `event_type` globs match contributes, in file order, one ``ResourceEvent`` per entry of
/// its `resources` and one ``UserEvent`` per entry of its `users`, all carrying the notification's message id:
///
/// - the **action** is the entry's `action`, else the one the event type names
///   (``BileanCore/ResourceEvent/Action/inferred(from:)``); an entry whose event type names none yields nothing;
/// - the **ids** are the required traits `resource_ref` and `user_id` (for users, `user_id`): a string or a
///   number, 1 to 255 characters, not blank, without control characters;
/// - the **properties** are the other traits; one that no path finds is left out;
/// - the **time** is the cloud's own (``TimeFields``), else the notification's `timestamp`.
///
/// A notification that no definition matches, or whose matching entries name no action, is
/// ``ConversionOutcome/ignored(_:)``: not an error. A matching entry that cannot read its notification (a required
/// trait found by none of its paths, a value that does not convert, a time field that is not a time) rejects the
/// whole notification, so that a message is never half billed.
package struct NotificationConverter: Sendable {
    /// The definitions in use.
    package let definitions: ResourceDefinitions

    /// Creates a converter.
    /// - Parameter definitions: The definitions, from the configured file or ``ResourceDefinitions/shipped()``.
    package init(definitions: ResourceDefinitions) {
        self.definitions = definitions
    }

    /// Converts one notification.
    /// - Parameter notification: The notification.
    /// - Returns: Its billing facts, or why it is ignored.
    /// - Throws: ``NotificationRejection`` (`missing_trait`, `invalid_trait`, `invalid_time`) naming the trait, the
    ///   paths tried and the definition's line.
    package func convert(_ notification: Notification) throws(NotificationRejection) -> ConversionOutcome {
        var matched: EventDefinition?
        return try self.convert(notification, matched: &matched)
    }

    /// Converts one notification, telling which definition it matched first (for the metrics' labels).
    /// - Parameters:
    ///   - notification: The notification.
    ///   - matched: Set to the first definition whose event types match, before anything can throw.
    /// - Returns: Its billing facts, or why it is ignored.
    /// - Throws: ``NotificationRejection``, as ``convert(_:)``.
    package func convert(
        _ notification: Notification,
        matched: inout EventDefinition?
    ) throws(NotificationRejection) -> ConversionOutcome {
        let matching = self.definitions.matching(notification.eventType)
        matched = matching.first
        guard !matching.isEmpty else { return .ignored(.noDefinition) }
        var facts: [BillingFact] = []
        for definition in matching {
            for resource in definition.resources {
                guard let action = resource.action ?? ResourceEvent.Action.inferred(from: notification.eventType) else {
                    continue
                }
                facts.append(
                    .resource(try self.resourceEvent(resource, action: action, definition, notification))
                )
            }
            for user in definition.users {
                guard let action = user.action ?? UserEvent.Action.inferred(from: notification.eventType) else {
                    continue
                }
                facts.append(.user(try self.userEvent(user, action: action, definition, notification)))
            }
        }
        guard !facts.isEmpty else { return .ignored(.noAction(definitionLines: matching.map(\.line))) }
        return .facts(facts)
    }

    // MARK: Events

    private func resourceEvent(
        _ resource: ResourceDefinition,
        action: ResourceEvent.Action,
        _ definition: EventDefinition,
        _ notification: Notification
    ) throws(NotificationRejection) -> ResourceEvent {
        let place = "\(resource.resourceType) (definition at line \(definition.line))"
        let resourceID = try self.id(resource.resourceRef, place, notification)
        let userID = try self.id(resource.userID, place, notification)
        var properties: [String: JSONValue] = [:]
        for (name, trait) in resource.properties {
            if case .found(let value, _) = try self.read(trait, place, notification) { properties[name] = value }
        }
        let time = try self.time(resource.times, isDeletion: action == .delete, place, notification)
        return ResourceEvent(
            messageID: notification.messageID,
            action: action,
            resourceType: resource.resourceType,
            resourceID: resourceID,
            userID: userID,
            properties: properties,
            time: time
        )
    }

    private func userEvent(
        _ user: UserDefinition,
        action: UserEvent.Action,
        _ definition: EventDefinition,
        _ notification: Notification
    ) throws(NotificationRejection) -> UserEvent {
        let place = "a user (definition at line \(definition.line))"
        let userID = try self.id(user.userID, place, notification)
        var name: String?
        if let trait = user.name, case .found(let value, let path) = try self.read(trait, place, notification) {
            guard case .string(let text) = value, text.count <= 255, !text.containsControlCharacters else {
                throw self.reject(
                    .invalidTrait,
                    "the trait 'name' of \(place) at \(path.text) must be a string of at most 255 characters "
                        + "without control characters",
                    notification
                )
            }
            name = text
        }
        let time = try self.time(user.times, isDeletion: action == .delete, place, notification)
        return UserEvent(messageID: notification.messageID, action: action, userID: userID, name: name, time: time)
    }

    // MARK: Traits

    private func reject(
        _ code: NotificationRejection.Code,
        _ message: String,
        _ notification: Notification
    ) -> NotificationRejection {
        NotificationRejection(code, message, messageID: notification.messageID, eventType: notification.eventType)
    }

    private func read(
        _ trait: TraitDefinition,
        _ place: String,
        _ notification: Notification
    ) throws(NotificationRejection) -> TraitDefinition.Reading {
        do throws(TraitReadError) {
            return try trait.read(in: notification.document)
        } catch {
            throw self.reject(
                .invalidTrait,
                "the trait '\(trait.name)' of \(place) at \(error.path.text): \(error.problem)",
                notification
            )
        }
    }

    /// A required id trait: found, a string or a number, and an acceptable id.
    private func id(
        _ trait: TraitDefinition,
        _ place: String,
        _ notification: Notification
    ) throws(NotificationRejection) -> String {
        switch try self.read(trait, place, notification) {
        case .absent:
            throw self.reject(
                .missingTrait,
                "the required trait '\(trait.name)' of \(place) is in none of its fields: \(trait.pathList)",
                notification
            )
        case .found(let value, let path):
            guard let text = value.scalarText else {
                throw self.reject(
                    .invalidTrait,
                    "the trait '\(trait.name)' of \(place) at \(path.text) is a \(value.typeName), not an id",
                    notification
                )
            }
            guard text.isAcceptableID else {
                throw self.reject(
                    .invalidTrait,
                    "the trait '\(trait.name)' of \(place) at \(path.text) is \(NotificationRejection.quoted(text)): "
                        + "an id must be 1 to 255 characters, not blank, without control characters",
                    notification
                )
            }
            return text
        }
    }

    private func time(
        _ times: TimeFields,
        isDeletion: Bool,
        _ place: String,
        _ notification: Notification
    ) throws(NotificationRejection) -> BillingTime {
        do throws(TimeReadError) {
            return try times.time(isDeletion: isDeletion, in: notification).0
        } catch {
            throw self.reject(
                .invalidTime,
                "the \(isDeletion ? "end" : "start") time of \(place) at \(error.path.text): \(error.problem)",
                notification
            )
        }
    }
}
