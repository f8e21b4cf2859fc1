import Foundation

/// The loaded definitions file: which notifications become which billing facts.
///
/// The format is BILEAN.md's, extended: a list of entries
///
/// ```yaml
/// - event_type: [compute.instance.create.end, '!compute.instance.create.start']   # a glob or a list of globs
///   resources:
///     - resource_type: os.nova.server
///       action: create                      # optional: create | update | delete (default: from the event type)
///       traits:
///         resource_ref: {fields: payload.instance_id}                 # required
///         user_id: {fields: [payload.tenant_id, payload.project_id]}  # this is the default
///         flavor: {fields: payload.instance_type, type: string}       # type: string | int | float | datetime
///       times:
///         start: payload.launched_at                  # creations and updates; a path or a list of paths
///         end: [payload.deleted_at, payload.terminated_at]   # deletions
///   users:                                  # Keystone projects, e.g. identity.project.created
///     - action: create                      # optional: create | delete (default: from the event type)
///       traits:
///         user_id: {fields: [payload.resource_info, payload.target.id]}   # required
///         name: {fields: payload.target.name}                             # optional
///       times: {start: payload.eventTime}
/// ```
///
/// An entry has `resources`, `users` or both. Every definition whose globs match an event type contributes its
/// facts. See ``ResourceDefinitions/init(yaml:source:)`` for loading and ``DefaultDefinitions`` for the shipped
/// file.
package struct ResourceDefinitions: Sendable, Hashable {
    /// The entries, in file order.
    package var definitions: [EventDefinition]

    /// Creates definitions from entries.
    /// - Parameter definitions: The entries.
    package init(_ definitions: [EventDefinition]) {
        self.definitions = definitions
    }

    /// The entries whose globs match an event type.
    /// - Parameter eventType: The event type.
    /// - Returns: The matching entries, in file order.
    package func matching(_ eventType: String) -> [EventDefinition] {
        self.definitions.filter { $0.eventTypes.matches(eventType) }
    }

    /// The shipped default definitions (``DefaultDefinitions/yaml``).
    /// - Returns: The definitions.
    /// - Throws: ``DefinitionsError`` only if the shipped text were broken, which the tests rule out.
    package static func shipped() throws(DefinitionsError) -> ResourceDefinitions {
        try ResourceDefinitions(yaml: DefaultDefinitions.yaml, source: DefaultDefinitions.source)
    }

    /// Reads a definitions file (`[resource_definition] definitions_cfg_file`).
    /// - Parameter path: The file.
    /// - Returns: The definitions.
    /// - Throws: ``DefinitionsError`` naming the file, and the line and column of the first problem.
    package static func load(path: String) throws(DefinitionsError) -> ResourceDefinitions {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DefinitionsError(.unreadable, "cannot read the file (\(error.localizedDescription))", source: path)
        }
        return try ResourceDefinitions(yaml: text, source: path)
    }
}
