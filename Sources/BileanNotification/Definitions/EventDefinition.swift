/// One entry of the definitions file: the event types it applies to, and what each matching notification becomes.
package struct EventDefinition: Sendable, Hashable {
    /// The event types (`event_type`: globs with `!` exclusions).
    package var eventTypes: EventTypeMatcher
    /// The resource events each matching notification yields.
    package var resources: [ResourceDefinition]
    /// The user events each matching notification yields.
    package var users: [UserDefinition]
    /// The line of the entry in its file (from 1), for messages; 0 when built in code.
    package var line: Int

    /// Creates a definition.
    /// - Parameters:
    ///   - eventTypes: The event types it applies to.
    ///   - resources: The resource events.
    ///   - users: The user events.
    ///   - line: The line of the entry in its file.
    package init(
        eventTypes: EventTypeMatcher,
        resources: [ResourceDefinition] = [],
        users: [UserDefinition] = [],
        line: Int = 0
    ) {
        self.eventTypes = eventTypes
        self.resources = resources
        self.users = users
        self.line = line
    }
}
