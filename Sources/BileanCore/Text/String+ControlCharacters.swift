extension StringProtocol {
    /// Whether the text holds a control character (NUL, newline, escape, DEL, C1 controls…): never valid in an id
    /// or a name, and dangerous in a terminal or a log line.
    package var containsControlCharacters: Bool {
        self.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
