extension StringProtocol {
    /// Whether the text holds a control character (NUL, newline, escape, DEL, C1 controls…): never valid in an id
    /// or a name, and dangerous in a terminal or a log line.
    package var containsControlCharacters: Bool {
        self.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Whether the text may be an id (of a project, resource, rule, policy, or a list marker): 1 to 255
    /// characters, not blank, without control characters. The one rule for ids, wherever they come from.
    package var isAcceptableID: Bool {
        !self.isEmpty && self.count <= 255 && !self.containsControlCharacters && !self.allSatisfy(\.isWhitespace)
    }
}
