/// A price per unit of time, held exactly as money units (10⁻¹² of a currency unit) per hour.
///
/// Every price a rule can give is exact in this form: a per-hour price is its own value and a per-second price
/// is 3600 times its value. The cost of an interval is `unitsPerHour × microseconds / 3_600_000_000` — a
/// rational number that Bilean accumulates exactly (see ``accrual(microseconds:)``) and rounds only when a
/// consumption is stored (``Money/roundedQuotient(_:_:)``).
package struct Rate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Money units (10⁻¹²) per hour.
    package var unitsPerHour: Int128

    /// The denominator of an accrual: microseconds per hour.
    package static let accrualDenominator: Int128 = 3_600_000_000

    /// A rate of zero.
    package static let zero = Rate(unitsPerHour: 0)

    /// Creates a rate from money units per hour.
    /// - Parameter unitsPerHour: 10⁻¹² currency units per hour.
    package init(unitsPerHour: Int128) {
        self.unitsPerHour = unitsPerHour
    }

    /// A rate of `price` per hour.
    /// - Parameter price: The price of one hour.
    /// - Returns: The rate.
    package static func perHour(_ price: Money) -> Rate {
        Rate(unitsPerHour: price.units)
    }

    /// A rate of `price` per second.
    /// - Parameter price: The price of one second.
    /// - Returns: The rate.
    package static func perSecond(_ price: Money) -> Rate {
        Rate(unitsPerHour: price.units * 3600)
    }

    /// Whether the rate is zero.
    package var isZero: Bool { self.unitsPerHour == 0 }

    /// The exact accrual of this rate over a duration: the cost is `accrual / accrualDenominator` units.
    /// - Parameter microseconds: The duration (negative durations accrue negatively).
    /// - Returns: The numerator of the cost over ``accrualDenominator``.
    package func accrual(microseconds: Int64) -> Int128 {
        self.unitsPerHour * Int128(microseconds)
    }

    /// The price per second, rounded half-even to 12 fractional digits: for display only.
    package var perSecondForDisplay: Money {
        Money(units: Money.roundedQuotient(self.unitsPerHour, 3600))
    }

    /// The price per hour (exact).
    package var perHourAmount: Money {
        Money(units: self.unitsPerHour)
    }

    /// The sum of two rates.
    package static func + (lhs: Rate, rhs: Rate) -> Rate {
        Rate(unitsPerHour: lhs.unitsPerHour + rhs.unitsPerHour)
    }

    /// The difference of two rates.
    package static func - (lhs: Rate, rhs: Rate) -> Rate {
        Rate(unitsPerHour: lhs.unitsPerHour - rhs.unitsPerHour)
    }

    /// Multiplies a rate by a count (of resources).
    package static func * (lhs: Rate, rhs: Int) -> Rate {
        Rate(unitsPerHour: lhs.unitsPerHour * Int128(rhs))
    }

    package static func < (lhs: Rate, rhs: Rate) -> Bool {
        lhs.unitsPerHour < rhs.unitsPerHour
    }

    /// The per-second price shown to users.
    package var description: String { self.perSecondForDisplay.description }
}
