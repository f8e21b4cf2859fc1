/// An INI file as oslo.config reads it: `[section]` headers, `key = value` (or `key: value`) lines, `#` and `;`
/// comment lines, indented continuation lines, surrounding quotes stripped, the last of repeated keys winning.
package struct INIFile: Sendable, Hashable {
    /// One option's value and the line it came from.
    package struct Entry: Sendable, Hashable {
        /// The value, trimmed.
        package var value: String
        /// The 1-based line of its key.
        package var line: Int
    }

    /// The file's path, for messages.
    package var path: String
    /// Options by section and key (section names as written, e.g. `DEFAULT`, `database`).
    package var sections: [String: [String: Entry]]
    /// The line of each section's first header.
    package var sectionLines: [String: Int]

    /// Parses INI text.
    /// - Parameters:
    ///   - text: The file's text.
    ///   - path: The file's path, for messages.
    /// - Returns: The parsed file.
    /// - Throws: ``ConfigurationError`` naming the line: a malformed header, an option outside any section, a line
    ///   that is neither a comment, a header nor `key = value`.
    package static func parse(_ text: String, path: String) throws(ConfigurationError) -> INIFile {
        var file = INIFile(path: path, sections: [:], sectionLines: [:])
        var section: String?
        var lastKey: String?
        var number = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty {
                lastKey = nil
                continue
            }
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if let first = line.first, first == " " || first == "\t", let section, let key = lastKey {
                // A continuation of the previous value.
                file.sections[section, default: [:]][key]?.value += "\n" + trimmed
                continue
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw ConfigurationError(
                        file: path,
                        line: number,
                        option: nil,
                        message: "malformed section header '\(trimmed.prefix(80))'"
                    )
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingWhitespace()
                guard !name.isEmpty else {
                    throw ConfigurationError(file: path, line: number, option: nil, message: "empty section name")
                }
                section = name
                lastKey = nil
                if file.sectionLines[name] == nil { file.sectionLines[name] = number }
                file.sections[name, default: [:]] = file.sections[name] ?? [:]
                continue
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigurationError(
                    file: path,
                    line: number,
                    option: nil,
                    message: "expected 'option = value', a [section] header or a comment, found '\(trimmed.prefix(80))'"
                )
            }
            let key = String(trimmed[..<separator]).trimmingWhitespace()
            guard !key.isEmpty else {
                throw ConfigurationError(file: path, line: number, option: nil, message: "an option without a name")
            }
            guard let section else {
                throw ConfigurationError(
                    file: path,
                    line: number,
                    option: key,
                    message: "option outside any section (put it under [DEFAULT] or another section)"
                )
            }
            let value = Self.unquoted(String(trimmed[trimmed.index(after: separator)...]).trimmingWhitespace())
            file.sections[section, default: [:]][key] = Entry(value: value, line: number)
            lastKey = key
        }
        return file
    }

    /// A value without one pair of surrounding quotes.
    static func unquoted(_ value: String) -> String {
        guard value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first else {
            return value
        }
        return String(value.dropFirst().dropLast())
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = self.firstIndex(where: { !isSpace($0) }), let end = self.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[start...end])
    }
}
