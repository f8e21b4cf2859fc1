extension StringProtocol {
    /// Whether the text holds a control character (NUL, newline, escape, DEL, C1 controls…): never valid in an id
    /// or a name, and dangerous in a terminal or a log line.
    @inlinable package var containsControlCharacters: Bool {
        // Printable ASCII (the usual ids and names) needs no Unicode property lookup.
        if self.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return false }
        return self.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Whether the text may be an id (of a project, resource, rule, policy, or a list marker): 1 to 255
    /// characters, not blank, without control characters. The one rule for ids, wherever they come from.
    @inlinable package var isAcceptableID: Bool {
        // At most 255 bytes means at most 255 characters, without counting grapheme clusters.
        !self.isEmpty && (self.utf8.count <= 255 || self.count <= 255) && !self.containsControlCharacters
            && !self.allSatisfy(\.isWhitespace)
    }
}
