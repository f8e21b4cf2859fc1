package import BileanCore
import Foundation
import Yams

/// Reads YAML (and so JSON, a subset of YAML) into ``JSONValue``, keeping numbers exact.
///
/// The document is composed with Yams' `Node` API; no number ever passes through `Double`. A plain scalar that
/// YAML resolves to an integer or a float becomes `.number` with the text as written (`version: 1.0` stays
/// `1.0`, `price: 0.1` stays `0.1`), only cleaned up where YAML and JSON spell numbers differently: a leading
/// `+`, `_` separators, `1.` and `.5`. Numbers with no exact decimal JSON form (hexadecimal, octal, binary,
/// sexagesimal, `.inf`, `.nan`) are rejected with a hint to quote them. Quoted scalars stay strings, YAML 1.1
/// booleans (`true`, `yes`, `on`, …) and nulls (`null`, `~`, empty) become `.bool` and `.null`, timestamps stay
/// strings, and merge keys (`<<: *base`) are applied.
package enum YAMLReader {
    /// Parses one YAML document.
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - source: What the text is, for messages (e.g. `spec file spec.yaml`).
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) for text that is not YAML,
    ///   several documents, an empty document, a non-scalar key, a repeated key, or a number with no JSON form.
    package static func parse(_ text: String, source: String = "YAML") throws(BileanClientError) -> JSONValue {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw BileanClientError(.invalidInput, "\(source) is not valid YAML: \(error)", underlying: error)
        }
        guard let root else {
            throw BileanClientError(.invalidInput, "\(source) is empty")
        }
        return try self.convert(root, source: source)
    }

    /// Reads and parses a YAML or JSON file.
    /// - Parameter path: The file's path.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) when the file cannot be read
    ///   as UTF-8, or for the reasons of ``parse(_:source:)``.
    package static func load(path: String) throws(BileanClientError) -> JSONValue {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw BileanClientError(
                .invalidInput,
                "cannot read the file \(path): \(error.localizedDescription)",
                underlying: error
            )
        }
        return try self.parse(text, source: "the file \(path)")
    }

    private static func failure(_ source: String, _ node: Node, _ problem: String) -> BileanClientError {
        let place = node.mark.map { " (line \($0.line), column \($0.column))" } ?? ""
        return BileanClientError(.invalidInput, "\(source)\(place): \(problem)")
    }

    private static func convert(_ node: Node, source: String) throws(BileanClientError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return try self.convertScalar(scalar, node: node, source: source)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for element in sequence {
                elements.append(try self.convert(element, source: source))
            }
            return .array(elements)
        case .mapping(let mapping):
            return .object(try self.members(of: mapping, source: source))
        case .alias:
            throw self.failure(source, node, "unresolved alias")
        }
    }

    private static func members(
        of mapping: Node.Mapping,
        source: String
    ) throws(BileanClientError) -> [String: JSONValue] {
        var explicit: [String: JSONValue] = [:]
        var merged: [String: JSONValue] = [:]
        for (key, value) in mapping {
            guard case .scalar(let keyScalar) = key else {
                throw self.failure(source, key, "a mapping key must be a scalar")
            }
            if key.tag.rawValue == Tag.Name.merge.rawValue {
                // `<<: *base` or `<<: [*a, *b]`: earlier maps win over later ones, explicit keys over all.
                let sources: [Node]
                switch value {
                case .mapping: sources = [value]
                case .sequence(let sequence): sources = Array(sequence)
                case .scalar, .alias:
                    throw self.failure(source, value, "a merge key '<<' needs a mapping or a list of mappings")
                }
                for mergedNode in sources {
                    guard case .mapping(let mergedMapping) = mergedNode else {
                        throw self.failure(source, mergedNode, "a merge key '<<' needs a mapping or a list of mappings")
                    }
                    for (name, member) in try self.members(of: mergedMapping, source: source)
                    where merged[name] == nil {
                        merged[name] = member
                    }
                }
                continue
            }
            let name = keyScalar.string
            guard explicit[name] == nil else {
                throw self.failure(source, key, "the key '\(name)' appears twice")
            }
            explicit[name] = try self.convert(value, source: source)
        }
        return merged.merging(explicit) { _, explicitValue in explicitValue }
    }

    private static func convertScalar(
        _ scalar: Node.Scalar,
        node: Node,
        source: String
    ) throws(BileanClientError) -> JSONValue {
        let text = scalar.string
        switch node.tag.rawValue {
        case Tag.Name.str.rawValue, Tag.Name.timestamp.rawValue, Tag.Name.value.rawValue:
            return .string(text)
        case Tag.Name.null.rawValue:
            return .null
        case Tag.Name.bool.rawValue:
            guard let flag = node.bool else {
                throw self.failure(source, node, "'\(text)' is not a boolean")
            }
            return .bool(flag)
        case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
            guard let number = self.jsonNumber(yaml: text) else {
                throw self.failure(
                    source,
                    node,
                    "the number '\(text)' has no exact decimal form; write it in decimal, or quote it for a string"
                )
            }
            return .number(number)
        default:
            throw self.failure(source, node, "unsupported YAML tag '\(node.tag.rawValue)'")
        }
    }

    /// The JSON text of a YAML number: `+1_000` → `1000`, `1.` → `1.0`, `.5` → `0.5`, `01.5` → `1.5`, `1e3` as
    /// is; `nil` for forms with no decimal JSON text (`0x1F`, `0o17`, `017` (octal in YAML 1.1), `0b101`,
    /// `1:30`, `.inf`, `.nan`) or for text that is not a number at all.
    static func jsonNumber(yaml text: String) -> String? {
        var rest = Substring(text.filter { $0 != "_" })
        var sign = ""
        if let first = rest.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            rest = rest.dropFirst()
        }
        // Split off the exponent.
        var exponent = ""
        if let marker = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let digits = rest[rest.index(after: marker)...]
            let unsigned = digits.first == "+" || digits.first == "-" ? digits.dropFirst() : digits
            guard !unsigned.isEmpty, unsigned.allSatisfy(\.isASCIIDigit) else { return nil }
            exponent = String(rest[marker...])
            rest = rest[..<marker]
        }
        let integer: Substring
        var fraction: Substring?
        if let dot = rest.firstIndex(of: ".") {
            integer = rest[..<dot]
            fraction = rest[rest.index(after: dot)...]
        } else {
            integer = rest
        }
        guard integer.allSatisfy(\.isASCIIDigit), fraction?.allSatisfy(\.isASCIIDigit) ?? true else { return nil }
        guard !integer.isEmpty || !(fraction?.isEmpty ?? true) else { return nil }
        if fraction == nil && exponent.isEmpty && integer.count > 1 && integer.first == "0" {
            return nil  // YAML 1.1 reads 017 as octal.
        }
        let trimmed = integer.drop { $0 == "0" }
        let integerText = trimmed.isEmpty ? "0" : String(trimmed)
        guard let fraction else { return sign + integerText + exponent }
        return sign + integerText + "." + (fraction.isEmpty ? "0" : String(fraction)) + exponent
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0-9.
    fileprivate var isASCIIDigit: Bool {
        self >= "0" && self <= "9"
    }
}
