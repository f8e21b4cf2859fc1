/// How the CLI prints results (`-f/--format`).
package enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    /// ASCII tables like the OpenStack clients: the list's columns, or `Property | Value` for one object.
    case table
    /// Pretty-printed JSON with sorted keys and exact numbers: the whole rows of a list, or the object.
    case json
    /// Bare values: a list's columns separated by one space, one row per line; an object's values one per line,
    /// in key order.
    case value
}
