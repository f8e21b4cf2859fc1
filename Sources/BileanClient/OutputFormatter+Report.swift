package import BileanCore

extension OutputFormatter {
    /// Renders an object that carries a list (a re-rating's totals and its `lines`): the object without the list,
    /// then the list.
    /// - Parameters:
    ///   - object: The object.
    ///   - listKey: The key of the list in the object (`lines`).
    ///   - columns: The list's keys shown by `table` and `value`, in order.
    ///   - format: The format.
    /// - Returns: For `table`, the `Property | Value` table of the other keys followed by the list's table (with
    ///   its header even when the list is empty); for `json`, the whole object; for `value`, the other keys' values
    ///   one per line in key order, then one line per row.
    package static func report(_ object: JSONValue, listKey: String, columns: [String], format: OutputFormat) -> String
    {
        var members = object.objectValue ?? [:]
        let rows = members.removeValue(forKey: listKey)?.arrayValue ?? []
        switch format {
        case .table, .value:
            return self.object(.object(members), format: format) + self.list(rows, columns: columns, format: format)
        case .json:
            return self.object(object, format: format)
        }
    }
}
