import BileanClient
import BileanCore

extension GlobalOptions {
    /// Prints a list in the chosen format.
    /// - Parameters:
    ///   - rows: The rows.
    ///   - columns: The columns of `table` and `value`.
    func printList(_ rows: [JSONValue], columns: [String]) {
        Console.write(OutputFormatter.list(rows, columns: columns, format: self.format))
    }

    /// Prints one object in the chosen format.
    /// - Parameter object: The object.
    func printObject(_ object: JSONValue) {
        Console.write(OutputFormatter.object(object, format: self.format))
    }
}

extension GlobalOptions {
    /// The columns of a re-rating's lines.
    static let reratingLineColumns = ["user_id", "resource_type", "resources", "current", "draft", "difference"]

    /// Prints a re-rating preview or apply in the chosen format: its totals, then its lines (see
    /// ``OutputFormatter/report(_:listKey:columns:format:)``).
    /// - Parameter rerating: The `preview` or `rerating` object.
    func printRerating(_ rerating: JSONValue) {
        Console.write(
            OutputFormatter.report(rerating, listKey: "lines", columns: Self.reratingLineColumns, format: self.format)
        )
    }
}
