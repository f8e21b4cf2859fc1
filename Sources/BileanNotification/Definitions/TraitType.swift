package import BileanCore

/// The type a trait's value is converted to: the `type` of a trait in the definitions file.
///
/// Numbers never pass through `Double`: `int` and `float` read the value's decimal text exactly and keep it as a
/// `JSONValue.number` in canonical plain form.
package enum TraitType: String, Sendable, Hashable, CaseIterable {
    /// A string: a string as is, a number as its exact text, a boolean as `true` / `false`.
    case string
    /// A whole number, from a JSON number or a string of one (`40`, `"40"`, `1.0`, `1e3`): `.number("40")`.
    case int
    /// An exact decimal, from a JSON number or a string of one: `.number("1.5")`, never a binary float.
    case float
    /// A timestamp string in any form `BillingTime` parses, rewritten as ISO 8601 UTC with microseconds.
    case datetime

    /// Converts a value found in a notification.
    /// - Parameter value: The value (never `null` or `""`: those count as not found).
    /// - Returns: The converted value.
    /// - Throws: A sentence saying why the value does not convert, for a rejection message.
    package func convert(_ value: JSONValue) throws(ConversionError) -> JSONValue {
        switch self {
        case .string:
            switch value {
            case .string: return value
            case .number(let text): return .string(text)
            case .bool(let flag): return .string(flag ? "true" : "false")
            case .null, .array, .object: throw ConversionError(problem: "a \(value.typeName) is not a string")
            }
        case .int, .float:
            let text: String
            switch value {
            case .number(let number): text = number
            case .string(let string): text = string
            case .null, .bool, .array, .object:
                throw ConversionError(problem: "a \(value.typeName) is not a number")
            }
            guard let decimal = ExactDecimal(text) else {
                throw ConversionError(
                    problem: "\(NotificationRejection.quoted(text)) is not a decimal number of at most "
                        + "\(ExactDecimal.maximumLength) characters"
                )
            }
            if self == .int && !decimal.isWholeNumber {
                throw ConversionError(problem: "\(NotificationRejection.quoted(text)) is not a whole number")
            }
            return .number(decimal.plainText)
        case .datetime:
            guard case .string(let text) = value else {
                throw ConversionError(problem: "a \(value.typeName) is not a timestamp string")
            }
            do throws(BileanError) {
                return .string(try BillingTime(parsing: text).iso8601)
            } catch {
                throw ConversionError(problem: "\(NotificationRejection.quoted(text)) is not a timestamp")
            }
        }
    }

    /// Why a value does not convert to a trait type.
    package struct ConversionError: Error, Sendable, Hashable {
        /// What is wrong, e.g. `'1.5' is not a whole number`.
        package var problem: String
    }
}
