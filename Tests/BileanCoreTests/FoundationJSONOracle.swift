import Foundation

@testable import BileanCore

/// Foundation's JSON path, exactly as Bilean used it before ``ExactJSONWriter`` and ``ExactJSONReader`` replaced it
/// (`JSONValue`'s old `Codable` conformance, numbers through `Decimal`): the oracle the exact codec's bytes are
/// compared with. Tests only.
struct FoundationJSONOracle: Codable {
    var value: JSONValue

    init(_ value: JSONValue) {
        self.value = value
    }

    /// What the old `jsonText()` wrote: `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`.
    /// - Throws: An `EncodingError` for a number `Decimal(string:)` does not read, or out of `Decimal`'s range.
    static func text(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(FoundationJSONOracle(value)), as: UTF8.self)
    }

    /// What the old `JSONValue(jsonText:)` read: `JSONDecoder`, numbers as `Decimal.description`.
    static func read(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(FoundationJSONOracle.self, from: Data(text.utf8)).value
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self.value = .null
        } else if let value = try? container.decode(Bool.self) {
            self.value = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self.value = .string(value)
        } else if let value = try? container.decode(Decimal.self) {
            self.value = .number(value.description)
        } else if let value = try? container.decode([FoundationJSONOracle].self) {
            self.value = .array(value.map(\.value))
        } else if let value = try? container.decode([String: FoundationJSONOracle].self) {
            self.value = .object(value.mapValues(\.value))
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self.value {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .number(let text):
            guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw EncodingError.invalidValue(
                    text,
                    .init(codingPath: encoder.codingPath, debugDescription: "bad number")
                )
            }
            try container.encode(value)
        case .array(let value): try container.encode(value.map(FoundationJSONOracle.init))
        case .object(let value): try container.encode(value.mapValues(FoundationJSONOracle.init))
        }
    }
}
