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
    /// Solved exactly over the resources' accruals (rational arithmetic, rounded up to the microsecond), then
    /// moved forward if needed to the first microsecond at which the *rounded* real-time balance of
    /// ``balance(_:resources:at:)`` — the one the status machine sees — is at or below the threshold. (That
    /// rounded balance may also reach the threshold a little before the exact crossing, by at most half a 10⁻¹²
    /// unit per resource; the instant returned is never before the exact crossing.) `nil` when the balance never
    /// falls (total rate zero).
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
        let billing = Array(resources)
        let denominator = Rate.accrualDenominator
        // Σ R_r · (t − B_r) = D · (balance − threshold + Σ charged_r) − Σ A_r, solved for t = now + Δ.
        var target = denominator * (balance - threshold).units
        var totalRate: Int128 = 0
        for resource in billing {
            guard resource.isActive, let billedUntil = resource.billedUntil, !resource.rate.isZero else { continue }
            target += denominator * resource.charged.units - resource.accrued
            target -= resource.rate.accrual(microseconds: now - billedUntil)
            totalRate += resource.rate.unitsPerHour
        }
        guard totalRate > 0 else { return nil }
        guard target > 0 else { return now }
        let exact = Self.ceilingQuotient(target, totalRate)
        // Rounding each open interval can leave the shown balance up to half a unit per resource above the exact
        // one. If it is still above the threshold at the exact crossing, search (the balance never rises with
        // time) for the first microsecond at which it is not; by `upper` the exact balance is n + 1 units lower.
        let active = Int128(billing.filter { $0.isActive && !$0.rate.isZero }.count)
        let upper = exact + Self.ceilingQuotient(denominator * (active + 1), totalRate)
        func shown(_ delta: Int128) -> Bool? {
            guard let micros = Int64(exactly: delta), micros < Int64.max - now.microseconds else { return nil }
            return Self.balance(balance, resources: billing, at: now.adding(microseconds: micros)) <= threshold
        }
        guard let reachedAtExact = shown(exact) else { return nil }
        var low = exact
        var high = upper
        if !reachedAtExact {
            // Invariant: not reached at `low`, reached at `high`.
            while high - low > 1 {
                let middle = low + (high - low) / 2
                guard let reached = shown(middle) else { return nil }
                if reached { high = middle } else { low = middle }
            }
        } else {
            high = exact
        }
        guard let micros = Int64(exactly: high), micros < Int64.max - now.microseconds else { return nil }
        return now.adding(microseconds: micros)
    }

    private static func ceilingQuotient(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        return quotient + (remainder > 0 ? 1 : 0)
    }
}
