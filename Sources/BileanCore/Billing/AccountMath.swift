/// Pure arithmetic over a user's account: its real-time balance and when that balance reaches a threshold.
package enum AccountMath {
    /// The real-time balance at `now`: the settled balance minus the cost of every open interval, each rounded
    /// exactly as its consumption will be. The ledger identity (recharges − all consumptions, closed and open =
    /// balance) therefore holds to the last unit at every instant.
    /// - Parameters:
    ///   - balance: The user's settled balance.
    ///   - resources: The billing states of the user's resources (inactive ones contribute nothing).
    ///   - now: The instant.
    /// - Returns: The balance at `now`.
    package static func balance(
        _ balance: Money,
        resources: some Sequence<ResourceBilling>,
        at now: BillingTime
    ) -> Money {
        resources.reduce(balance) { $0 - $1.openCost(at: now) }
    }

    /// The exact cost of the open intervals at `t`, over ``Rate/accrualDenominator`` (not rounded): O(1) from
    /// the user's sums.
    /// - Parameters:
    ///   - rate: The user's total rate.
    ///   - accrual: The user's open-interval sums.
    ///   - time: The instant.
    /// - Returns: The numerator of the cost.
    package static func openAccrual(rate: Rate, accrual: OpenAccrual, at time: BillingTime) -> Int128 {
        accrual.residue + rate.unitsPerHour * Int128(time.microseconds) - accrual.weightedStart
    }

    /// The real-time balance at `now`, computed in O(1) from the user's sums and rounded once (half-even) to the
    /// money unit. It may differ from ``balance(_:resources:at:)`` (which rounds each open interval as its
    /// consumption will be) by at most half a unit per open interval; it is what the scheduler judges with.
    /// - Parameters:
    ///   - balance: The settled balance.
    ///   - rate: The total rate.
    ///   - accrual: The open-interval sums.
    ///   - now: The instant.
    /// - Returns: The balance.
    package static func balance(_ balance: Money, rate: Rate, accrual: OpenAccrual, at now: BillingTime) -> Money {
        let exact = Rate.accrualDenominator * balance.units - Self.openAccrual(rate: rate, accrual: accrual, at: now)
        return Money(units: Money.roundedQuotient(exact, Rate.accrualDenominator))
    }

    /// Whether the exact real-time balance at `now` is at or below `threshold`.
    /// - Parameters:
    ///   - threshold: The balance to compare with (e.g. −credit).
    ///   - balance: The settled balance.
    ///   - rate: The total rate.
    ///   - accrual: The open-interval sums.
    ///   - now: The instant.
    /// - Returns: `true` when it is at or below.
    package static func isBalance(
        atOrBelow threshold: Money,
        balance: Money,
        rate: Rate,
        accrual: OpenAccrual,
        at now: BillingTime
    ) -> Bool {
        let remaining = Rate.accrualDenominator * (balance - threshold).units
        return remaining - Self.openAccrual(rate: rate, accrual: accrual, at: now) <= 0
    }

    /// The first microsecond, at or after `now`, at which the exact real-time balance is at or below `threshold`:
    /// O(1) from the user's sums, whatever its number of resources.
    ///
    /// Solves `D·(balance − threshold) = residue + rate·t − weightedStart` for `t` (see ``OpenAccrual``), rounded up
    /// to the microsecond. `nil` when the balance never falls (total rate zero).
    /// - Parameters:
    ///   - threshold: The balance to reach (e.g. −credit for a freeze).
    ///   - balance: The user's settled balance.
    ///   - rate: The user's total rate.
    ///   - accrual: The user's open-interval sums.
    ///   - now: The earliest instant to return.
    /// - Returns: The instant, `now` if the balance is already at or below the threshold, or `nil`.
    package static func instant(
        whenBalanceReaches threshold: Money,
        balance: Money,
        rate: Rate,
        accrual: OpenAccrual,
        from now: BillingTime
    ) -> BillingTime? {
        guard rate.unitsPerHour > 0 else { return nil }
        let target = Rate.accrualDenominator * (balance - threshold).units - accrual.residue + accrual.weightedStart
        let crossing = Self.ceilingQuotient(target, rate.unitsPerHour)
        guard crossing > Int128(now.microseconds) else { return now }
        guard let micros = Int64(exactly: crossing) else { return nil }
        return BillingTime(microseconds: micros)
    }

    /// ``instant(whenBalanceReaches:balance:rate:accrual:from:)`` over resources, summed first (for checks and
    /// tests; the engine keeps the sums per user instead).
    /// - Parameters:
    ///   - threshold: The balance to reach.
    ///   - balance: The settled balance.
    ///   - resources: The billing states of the user's resources.
    ///   - now: The earliest instant to return.
    /// - Returns: The instant, `now`, or `nil` when the total rate is zero.
    package static func instant(
        whenBalanceReaches threshold: Money,
        balance: Money,
        resources: some Sequence<ResourceBilling>,
        from now: BillingTime
    ) -> BillingTime? {
        let billing = Array(resources)
        let rate = billing.filter(\.isActive).reduce(Rate.zero) { $0 + $1.rate }
        return Self.instant(
            whenBalanceReaches: threshold,
            balance: balance,
            rate: rate,
            accrual: OpenAccrual.summing(billing),
            from: now
        )
    }

    private static func ceilingQuotient(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        // Truncation rounds toward zero: only a positive remainder needs the quotient moved up.
        return quotient + (remainder > 0 ? 1 : 0)
    }
}
