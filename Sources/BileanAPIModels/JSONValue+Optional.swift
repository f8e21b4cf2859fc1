package import BileanCore

extension JSONValue {
    /// A string, or `null` when there is none (the original client prints every key, so none is left out).
    package static func string(or null: String?) -> JSONValue {
        null.map(JSONValue.string) ?? .null
    }

    /// An instant as ISO 8601 with microseconds, or `null`.
    package static func time(_ instant: BillingTime?) -> JSONValue {
        instant.map { .string($0.iso8601) } ?? .null
    }

    /// An amount as its exact decimal string.
    package static func money(_ amount: Money) -> JSONValue {
        .string(amount.description)
    }

    /// A rate as its price per second (rounded to 12 fraction digits for display only).
    package static func rate(_ rate: Rate) -> JSONValue {
        .string(rate.perSecondForDisplay.description)
    }
}
