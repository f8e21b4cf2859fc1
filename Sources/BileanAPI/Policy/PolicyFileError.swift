/// A policy file Bilean cannot start with: its path, the line and the rule name where it fails, and why.
package struct PolicyFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    package var file: String
    /// The line (1-based), when known.
    package var line: Int?
    /// The rule's name, when the error is about one.
    package var rule: String?
    /// What is wrong.
    package var message: String

    /// Creates an error.
    package init(file: String, line: Int?, rule: String?, message: String) {
        self.file = file
        self.line = line
        self.rule = rule
        self.message = message
    }

    package var description: String {
        let place = self.line.map { "\(self.file):\($0)" } ?? self.file
        guard let rule = self.rule else { return "\(place): \(self.message)" }
        return "\(place): rule '\(rule)': \(self.message)"
    }
}
