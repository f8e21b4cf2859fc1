package import BileanCore

/// Which notification fields hold the cloud's own time of an event: the `times` of a definition.
///
/// A creation or an update happens at the first `start` path that holds a time (Nova's and Cinder's
/// `launched_at`), a deletion at the first `end` path that does (`deleted_at`, then `terminated_at`). When no path
/// is given or none holds a value (absent, `null` or `""`), the event happens at the notification's `timestamp`,
/// as BILEAN.md's "Cloud time" says for Cinder's resize and delete.
package struct TimeFields: Sendable, Hashable {
    /// The paths of the start time, for creations and updates.
    package var start: [JSONPath]
    /// The paths of the end time, for deletions.
    package var end: [JSONPath]

    /// Creates time fields.
    /// - Parameters:
    ///   - start: The paths of the start time.
    ///   - end: The paths of the end time.
    package init(start: [JSONPath] = [], end: [JSONPath] = []) {
        self.start = start
        self.end = end
    }

    /// Where an event's time came from.
    package enum Source: Sendable, Hashable {
        /// A payload field, at this path.
        case field(JSONPath)
        /// The notification's `timestamp`.
        case notificationTimestamp
    }

    /// The cloud time of an event.
    /// - Parameters:
    ///   - isDeletion: Whether the event ends the object's life (read `end`) rather than starts or changes it.
    ///   - notification: The notification.
    /// - Returns: The time and where it came from.
    /// - Throws: ``TimeReadError`` naming the path when the first value found is not a timestamp string.
    package func time(
        isDeletion: Bool,
        in notification: Notification
    ) throws(TimeReadError) -> (BillingTime, Source) {
        for path in isDeletion ? self.end : self.start {
            guard let value = path.value(in: notification.document), !TraitDefinition.isBlank(value) else {
                continue
            }
            guard case .string(let text) = value else {
                throw TimeReadError(path: path, problem: "a \(value.typeName) is not a timestamp string")
            }
            do throws(BileanError) {
                return (try BillingTime(parsing: text, field: path.text), .field(path))
            } catch {
                throw TimeReadError(path: path, problem: error.message)
            }
        }
        return (notification.timestamp, .notificationTimestamp)
    }
}

/// A time field that holds something other than a timestamp.
package struct TimeReadError: Error, Sendable, Hashable {
    /// Where the value was found.
    package var path: JSONPath
    /// Why it is not a time.
    package var problem: String
}
