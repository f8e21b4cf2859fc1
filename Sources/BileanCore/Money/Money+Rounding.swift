extension Money {
    /// The one rounding rule of Bilean: `numerator / denominator` rounded to the nearest integer, ties to even
    /// (banker's rounding). Every division of money in the product rounds through this function.
    ///
    /// It is exact and symmetric around zero: `5/2 → 2`, `7/2 → 4`, `-5/2 → -2`, `-7/2 → -4`, `1/3 → 0`,
    /// `2/3 → 1`. It never overflows, for any numerator.
    /// - Parameters:
    ///   - numerator: Any value.
    ///   - denominator: A positive value.
    /// - Precondition: `denominator > 0`.
    package static func roundedQuotient(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        precondition(denominator > 0, "roundedQuotient needs a positive denominator")
        // Floor division: quotient ≤ exact value < quotient + 1, remainder in 0..<denominator.
        var (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        if remainder < 0 {
            quotient -= 1
            remainder += denominator
        }
        // Compare remainder with denominator / 2 without computing 2 × remainder, which could overflow.
        let rest = denominator - remainder
        if remainder > rest || (remainder == rest && quotient % 2 != 0) {
            quotient += 1
        }
        return quotient
    }

    /// The amount rounded half to even (``roundedQuotient(_:_:)``) to `fractionDigits` decimal digits,
    /// e.g. 2.345 → 2.34 and 2.355 → 2.36 for 2 digits.
    /// - Parameter fractionDigits: The number of fraction digits to keep, clamped to `0...12`.
    package func rounded(toFractionDigits fractionDigits: Int) -> Money {
        let digits = min(max(fractionDigits, 0), Self.scale)
        let step = Self.powerOfTen(Self.scale - digits)
        return Money(units: Self.roundedQuotient(self.units, step) * step)
    }
}
