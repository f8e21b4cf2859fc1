import Foundation
import Yams

/// An oslo.policy file (`policy.yaml`, or the older `policy.json`): rule names mapped to rule texts, each with
/// its line.
package struct PolicyFile: Sendable {
    /// One rule of the file.
    package struct Entry: Sendable, Hashable {
        /// The rule's name (`users:get`, `admin_or_owner`).
        package var name: String
        /// The rule's text.
        package var text: String
        /// Its line (1-based).
        package var line: Int
    }

    /// The file's path.
    package var path: String
    /// The rules, in file order.
    package var entries: [Entry]

    /// Reads a policy file.
    /// - Parameter path: The file.
    /// - Returns: The file's rules.
    /// - Throws: ``PolicyFileError`` for a file that cannot be read, is not YAML, or is not a mapping of names to
    ///   strings.
    package static func load(path: String) throws(PolicyFileError) -> PolicyFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PolicyFileError(file: path, line: nil, rule: nil, message: "cannot read the file")
        }
        return try Self.parse(text, path: path)
    }

    /// Parses a policy file's text.
    /// - Parameters:
    ///   - text: The YAML (or JSON) text.
    ///   - path: The file's path, for errors.
    /// - Returns: The file's rules.
    /// - Throws: ``PolicyFileError``.
    package static func parse(_ text: String, path: String) throws(PolicyFileError) -> PolicyFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PolicyFileError(file: path, line: Self.line(of: error), rule: nil, message: "not valid YAML")
        } catch {
            throw PolicyFileError(file: path, line: nil, rule: nil, message: "not valid YAML")
        }
        guard let root else { return PolicyFile(path: path, entries: []) }
        guard let mapping = root.mapping else {
            throw PolicyFileError(
                file: path,
                line: root.mark?.line,
                rule: nil,
                message: "must be a mapping of rule names to rules"
            )
        }
        var entries: [Entry] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            let line = key.mark?.line ?? 0
            guard let name = key.scalar?.string, !name.isEmpty else {
                throw PolicyFileError(file: path, line: line, rule: nil, message: "a rule name must be a string")
            }
            guard let rule = value.scalar?.string else {
                throw PolicyFileError(
                    file: path,
                    line: line,
                    rule: name,
                    message: "the rule must be a string (e.g. \"role:admin\")"
                )
            }
            guard seen.insert(name).inserted else {
                throw PolicyFileError(file: path, line: line, rule: name, message: "the rule is defined twice")
            }
            entries.append(Entry(name: name, text: rule, line: line))
        }
        return PolicyFile(path: path, entries: entries)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}
