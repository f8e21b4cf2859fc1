/// A configuration file or value that stops the start: it names the file, the line and the option.
package struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The file (or `command line`).
    package var file: String
    /// The 1-based line, if known.
    package var line: Int?
    /// `[section] option`, if about one option.
    package var option: String?
    /// What is wrong.
    package var message: String

    /// Creates an error.
    package init(file: String, line: Int?, option: String?, message: String) {
        self.file = file
        self.line = line
        self.option = option
        self.message = message
    }

    package var description: String {
        var text = self.file
        if let line { text += ":\(line)" }
        if let option { text += ": \(option)" }
        return text + ": " + self.message
    }
}
