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

    /// The first instant, at or after `now`, at which the real-time balance is at or below `threshold`.
    ///
    /// Exact rational arithmetic over the resources' accruals, rounded up to the microsecond; `nil` when the
    /// balance never falls (total rate zero).
    /// - Parameters:
    ///   - threshold: The balance to reach (e.g. −credit for a freeze).
    ///   - balance: The user's settled balance.
    ///   - resources: The billing states of the user's resources.
    ///   - now: The earliest instant to return.
    /// - Returns: The instant, `now` if the balance is already at or below the threshold, or `nil`.
    package static func instant(
        whenBalanceReaches threshold: Money,
        balance: Money,
        resources: some Sequence<ResourceBilling>,
        from now: BillingTime
    ) -> BillingTime? {
        let denominator = Rate.accrualDenominator
        // Σ R_r · (t − B_r) = D · (balance − threshold + Σ charged_r) − Σ A_r, solved for t = now + Δ.
        var target = denominator * (balance - threshold).units
        var totalRate: Int128 = 0
        for resource in resources {
            guard resource.isActive, let billedUntil = resource.billedUntil, !resource.rate.isZero else { continue }
            target += denominator * resource.charged.units - resource.accrued
            target -= resource.rate.accrual(microseconds: now - billedUntil)
            totalRate += resource.rate.unitsPerHour
        }
        guard totalRate > 0 else { return nil }
        guard target > 0 else { return now }
        let (quotient, remainder) = target.quotientAndRemainder(dividingBy: totalRate)
        let micros = quotient + (remainder > 0 ? 1 : 0)
        guard let delta = Int64(exactly: micros), delta < Int64.max - now.microseconds else { return nil }
        return now.adding(microseconds: delta)
    }
}
