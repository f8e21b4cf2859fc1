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
