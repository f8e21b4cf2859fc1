/// The SQL of a failed statement with its error, for the log only.
struct SQLDebugContext: Error, CustomStringConvertible {
    let sql: String
    let error: any Error

    var description: String { "\(self.error) in: \(self.sql)" }
}
