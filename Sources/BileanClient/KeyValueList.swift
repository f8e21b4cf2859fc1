package import BileanCore

/// Parses `K=V;K2=V2` lists, as the original client's `--metadata` and `--filters` took them.
package enum KeyValueList {
    /// Splits every text on `;` into `K=V` pairs, split at the first `=`.
    ///
    /// Empty pieces (`a=1;;b=2;`) are skipped; values may be empty (`a=`) and may contain `=`; keys and
    /// values are taken verbatim, without trimming.
    /// - Parameters:
    ///   - texts: The option values, in order (each may hold several pairs).
    ///   - option: The option's name, for messages (`--metadata`).
    /// - Returns: The pairs, in order; a key may repeat.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) for a piece without `=` or
    ///   with an empty key.
    package static func pairs(
        _ texts: [String],
        option: String
    ) throws(BileanClientError) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        for text in texts {
            for piece in text.split(separator: ";", omittingEmptySubsequences: true) {
                guard let equals = piece.firstIndex(of: "=") else {
                    throw BileanClientError(
                        .invalidInput,
                        "malformed \(option) '\(piece)': use the key=value format (several separated by ';')"
                    )
                }
                let key = String(piece[..<equals])
                guard !key.isEmpty else {
                    throw BileanClientError(.invalidInput, "malformed \(option) '\(piece)': the key is empty")
                }
                pairs.append((key, String(piece[piece.index(after: equals)...])))
            }
        }
        return pairs
    }

    /// Parses metadata: a JSON object of string values.
    /// - Parameters:
    ///   - texts: The option values (`["a=1;b=2", "c=3"]`).
    ///   - option: The option's name, for messages.
    /// - Returns: The object (`{}` for no pairs).
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) as ``pairs(_:option:)``, and
    ///   for a key given twice.
    package static func metadata(
        _ texts: [String],
        option: String = "--metadata"
    ) throws(BileanClientError) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (key, value) in try self.pairs(texts, option: option) {
            guard members[key] == nil else {
                throw BileanClientError(.invalidInput, "\(option): the key '\(key)' is given twice")
            }
            members[key] = .string(value)
        }
        return .object(members)
    }
}
