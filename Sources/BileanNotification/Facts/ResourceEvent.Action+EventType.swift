package import BileanCore

extension ResourceEvent.Action {
    /// The action an event type names, for a definition without `action`.
    ///
    /// `*create*` is a creation; `*resize*`, `*update*`, `*retype*` and `*extend*` an update; `*delete*` a
    /// deletion, checked in that order on the event type's text (`compute.instance.finish_resize.end` is an
    /// update, `identity.project.deleted` a deletion).
    /// - Parameter eventType: The event type.
    /// - Returns: The action, or `nil` when the event type names none (`compute.instance.shutdown.end`).
    package static func inferred(from eventType: String) -> ResourceEvent.Action? {
        if eventType.contains("create") { return .create }
        for word in ["resize", "update", "retype", "extend"] where eventType.contains(word) { return .update }
        if eventType.contains("delete") { return .delete }
        return nil
    }
}
