import Testing

@testable import BileanCore

private let epoch: Int64 = 1_700_000_000

private func at(_ s: Int64) -> BillingTime { BillingTime(seconds: epoch + s) }

private func atMicros(_ us: Int64) -> BillingTime { BillingTime(microseconds: epoch * 1_000_000 + us) }

/// `n` per second: 3600 × n × 10¹² units per hour.
private func perSecond(_ n: Int) -> Rate { .perSecond(Money(integer: n)) }

/// An active resource billed up to `billedUntil` with nothing charged yet.
private func active(_ rate: Rate, billedUntil: BillingTime) -> ResourceBilling {
    ResourceBilling(startedAt: billedUntil, rate: rate, billedUntil: billedUntil)
}

@Suite("AccountMath")
struct AccountMathTests {
    // MARK: Real-time balance

    @Test func realTimeBalanceSubtractsEveryOpenCost() {
        let resources = [
            active(perSecond(1), billedUntil: at(0)),
            active(perSecond(2), billedUntil: at(2)),
            // Deleted: contributes nothing.
            ResourceBilling(startedAt: at(0), deletedAt: at(1), rate: .zero, billedUntil: at(1), accrued: 0),
            // Not started: contributes nothing.
            ResourceBilling(),
        ]
        // At 5 s: 1 × 5 + 2 × 3 = 11 open; 10 − 11 = −1.
        #expect(AccountMath.balance(Money(integer: 10), resources: resources, at: at(5)) == Money(integer: -1))
        // At 2 s: only the first has run, 2 s × 1 = 2.
        #expect(AccountMath.balance(Money(integer: 10), resources: resources, at: at(2)) == Money(integer: 8))
        // Before every billing point: the settled balance.
        #expect(AccountMath.balance(Money(integer: 10), resources: resources, at: at(-5)) == Money(integer: 10))
        #expect(AccountMath.balance(Money(integer: 10), resources: [], at: at(5)) == Money(integer: 10))
    }

    @Test func realTimeBalanceEqualsTheSumOfOpenCosts() {
        let oneAnHour = Rate.perHour(Money(integer: 1))
        let settled = ResourceBilling(startedAt: at(0), rate: oneAnHour, billedUntil: at(0))
            .settling(at: at(1)).billing
        let other = active(oneAnHour, billedUntil: atMicros(300_000))
        let now = at(3)
        let balance = AccountMath.balance(Money(integer: 1), resources: [settled, other], at: now)
        // Settled: round(833_333_333.33) − 277_777_778 = 555_555_555; other: 2.7 s at 1 per hour =
        // round(750_000_000) = 750_000_000. 10¹² − 555_555_555 − 750_000_000 = 998_694_444_445.
        #expect(balance.units == 998_694_444_445)
        #expect(balance == Money(integer: 1) - settled.openCost(at: now) - other.openCost(at: now))
    }

    // MARK: When the balance reaches a threshold

    @Test func zeroRateNeverReachesTheThreshold() {
        #expect(
            AccountMath.instant(whenBalanceReaches: .zero, balance: Money(integer: 10), resources: [], from: at(0))
                == nil
        )
        let idle = [
            active(.zero, billedUntil: at(0)),
            ResourceBilling(startedAt: at(0), deletedAt: at(5), billedUntil: at(5)),
        ]
        #expect(
            AccountMath.instant(whenBalanceReaches: .zero, balance: Money(integer: 10), resources: idle, from: at(9))
                == nil
        )
    }

    @Test func alreadyAtOrBelowTheThresholdIsNow() {
        let resources = [active(perSecond(1), billedUntil: at(0))]
        // Exactly at the threshold.
        #expect(
            AccountMath.instant(whenBalanceReaches: .zero, balance: .zero, resources: resources, from: at(0)) == at(0)
        )
        // Below it.
        #expect(
            AccountMath.instant(
                whenBalanceReaches: Money(integer: 5),
                balance: Money(integer: 3),
                resources: resources,
                from: at(0)
            ) == at(0)
        )
        // The open cost already took it below: 10 − 20 at 20 s.
        #expect(
            AccountMath.instant(
                whenBalanceReaches: .zero,
                balance: Money(integer: 10),
                resources: resources,
                from: at(20)
            ) == at(20)
        )
    }

    @Test func oneResourceAtOnePerSecondRunsOutAfterTenSeconds() {
        // 3600 per hour = 1 per second; balance 10 reaches 0 exactly 10 s after the billing point.
        let rate = Rate.perHour(Money(integer: 3600))
        #expect(rate == perSecond(1))
        let resources = [active(rate, billedUntil: at(100))]
        for now in [at(100), at(103), atMicros(109_999_999)] {
            #expect(
                AccountMath.instant(
                    whenBalanceReaches: .zero,
                    balance: Money(integer: 10),
                    resources: resources,
                    from: now
                ) == at(110)
            )
        }
        #expect(AccountMath.balance(Money(integer: 10), resources: resources, at: at(110)) == .zero)
    }

    @Test func twoResourcesWithDifferentBillingPoints() throws {
        // 1 per second from 0 s and 2 per second from 2 s, balance 10, asked at 2 s:
        // 10 − t − 2(t − 2) = 0 ⇔ t = 14/3 s = 4.666666… s → rounded up to 4_666_667 µs.
        let resources = [active(perSecond(1), billedUntil: at(0)), active(perSecond(2), billedUntil: at(2))]
        let instant = try #require(
            AccountMath.instant(
                whenBalanceReaches: .zero,
                balance: Money(integer: 10),
                resources: resources,
                from: at(2)
            )
        )
        #expect(instant == atMicros(4_666_667))
        // At that microsecond: 4.666667 + 2 × 2.666667 = 10.000001 spent; one microsecond earlier: 9.999998.
        #expect(AccountMath.balance(Money(integer: 10), resources: resources, at: instant).units == -1_000_000)
        #expect(
            AccountMath.balance(Money(integer: 10), resources: resources, at: atMicros(4_666_666)).units == 2_000_000
        )
    }

    @Test func creditMovesTheThresholdBelowZero() {
        // Credit 5: the freeze threshold is −5; at 1 per second, 10 + 5 lasts 15 s.
        let resources = [active(perSecond(1), billedUntil: at(0))]
        let credit = Money(integer: 5)
        #expect(
            AccountMath.instant(
                whenBalanceReaches: Money.zero - credit,
                balance: Money(integer: 10),
                resources: resources,
                from: at(0)
            ) == at(15)
        )
        // A notify threshold above zero comes earlier: 10 − 4 = 6 s.
        #expect(
            AccountMath.instant(
                whenBalanceReaches: Money(integer: 4),
                balance: Money(integer: 10),
                resources: resources,
                from: at(0)
            ) == at(6)
        )
    }

    @Test func instantIsRoundedUpToTheMicrosecond() throws {
        // 3 per second, balance 10: 10/3 s = 3_333_333.33… µs → 3_333_334 µs (never early).
        let resources = [active(perSecond(3), billedUntil: at(0))]
        let instant = try #require(
            AccountMath.instant(
                whenBalanceReaches: .zero,
                balance: Money(integer: 10),
                resources: resources,
                from: at(0)
            )
        )
        #expect(instant == atMicros(3_333_334))
        // At 3_333_334 µs: 10.000002 spent; at 3_333_333 µs: 9.999999 spent.
        #expect(AccountMath.balance(Money(integer: 10), resources: resources, at: instant).units == -2_000_000)
        #expect(
            AccountMath.balance(Money(integer: 10), resources: resources, at: atMicros(3_333_333)).units == 1_000_000
        )
    }

    @Test func accountsForWhatWasAlreadyCharged() throws {
        // 1 per hour from 0 s, settled at 1 s: charged round(277_777_777.78) = 277_777_778, so the settled balance
        // of a user who had 1 is 10¹² − 277_777_778 = 999_722_222_222. The money still runs out exactly 1 h after
        // the start: (D × 999_722_222_222 + D × 277_777_778 − 10¹⁸) / 10¹² = 3_599_000_000 µs after 1 s.
        let settled = ResourceBilling(startedAt: at(0), rate: .perHour(Money(integer: 1)), billedUntil: at(0))
            .settling(at: at(1))
        #expect(settled.charge?.cost.units == 277_777_778)
        let balance = Money(units: 999_722_222_222)
        let instant = try #require(
            AccountMath.instant(whenBalanceReaches: .zero, balance: balance, resources: [settled.billing], from: at(1))
        )
        #expect(instant == at(3600))
        #expect(AccountMath.balance(balance, resources: [settled.billing], at: at(3600)) == .zero)
        #expect(AccountMath.balance(balance, resources: [settled.billing], at: atMicros(3_599_999_999)).isPositive)
    }
    @Test func roundingResidueOfWhatWasChargedCounts() throws {
        // 1000 units per hour (10⁻⁹ per hour): one unit accrues every 3.6 s. Started at 0 s and settled at 1 s:
        // A = 1000 × 10⁶ = 10⁹ and charged = round(10⁹ / 3.6 × 10⁹) = round(0.28) = 0, so 0.28 unit is accrued but
        // not yet charged. With 1 unit left, the exact balance 1 − ((A + R × (t − 1 s)) / D − 0) reaches 0 when
        // 10⁹ + 1000 × (t − 1 s) = 3.6 × 10⁹, i.e. t − 1 s = 2_600_000 µs: at 3.6 s (4.6 s if the residue were lost).
        let settled = ResourceBilling(startedAt: at(0), rate: Rate(unitsPerHour: 1000), billedUntil: at(0))
            .settling(at: at(1)).billing
        #expect(settled.accrued == 1_000_000_000)
        #expect(settled.charged == .zero)
        let instant = try #require(
            AccountMath.instant(whenBalanceReaches: .zero, balance: Money(units: 1), resources: [settled], from: at(1))
        )
        #expect(instant == atMicros(3_600_000))
        #expect(AccountMath.balance(Money(units: 1), resources: [settled], at: instant) == .zero)
        // Note: this is where the exact (unrounded) balance reaches 0. The real-time balance rounds the open cost
        // half-even and already shows 0 from 1.800001 s (round(0.5000003) = 1): see the report on AccountMath.
    }
}

@Suite("AccountMath rounding")
struct AccountMathRoundingTests {
    @Test func theInstantIsTheExactCrossingEvenWhereRoundingShowsMore() throws {
        // Two resources at 1 unit (10⁻¹²) per hour and 1 unit of money: the exact balance reaches 0 after half an
        // hour. The job instant is that exact crossing (O(1) from the sums), and the scheduler judges the exact
        // balance there; the per-resource rounded balance (what the API shows) still shows 1 unit at that
        // microsecond — each open interval costs round(0.5) = 0, half-even — and −1 one microsecond later: a
        // difference of at most half a unit per open interval.
        let now = BillingTime(seconds: 1_700_000_000)
        let resource = ResourceBilling(startedAt: now, rate: Rate(unitsPerHour: 1), billedUntil: now)
        let accrual = OpenAccrual.summing([resource, resource])
        let rate = Rate(unitsPerHour: 2)
        let instant = try #require(
            AccountMath.instant(
                whenBalanceReaches: .zero,
                balance: Money(units: 1),
                rate: rate,
                accrual: accrual,
                from: now
            )
        )
        #expect(instant - now == 1_800_000_000)
        #expect(
            AccountMath.isBalance(atOrBelow: .zero, balance: Money(units: 1), rate: rate, accrual: accrual, at: instant)
        )
        #expect(
            !AccountMath.isBalance(
                atOrBelow: .zero,
                balance: Money(units: 1),
                rate: rate,
                accrual: accrual,
                at: instant.adding(microseconds: -1)
            )
        )
        #expect(AccountMath.balance(Money(units: 1), rate: rate, accrual: accrual, at: instant) == .zero)
        #expect(AccountMath.balance(Money(units: 1), resources: [resource, resource], at: instant) == Money(units: 1))
        #expect(
            AccountMath.balance(Money(units: 1), resources: [resource, resource], at: instant.adding(microseconds: 1))
                == Money(units: -1)
        )
    }

    @Test func theSumsGiveTheSameInstantAsTheResources() throws {
        // Many resources with different rates, billing points and residues: the O(1) instant from the sums equals
        // the instant solved over the resources one by one, and the sums move exactly with each change.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var resources: [ResourceBilling] = []
            for _ in 0..<Int.random(in: 1...20, using: &generator) {
                let start = BillingTime(seconds: 1_700_000_000 + Int64.random(in: 0...86_400, using: &generator))
                var billing = ResourceBilling(
                    startedAt: start,
                    rate: Rate(unitsPerHour: Int128(Int64.random(in: 0...5_000_000_000_000, using: &generator))),
                    billedUntil: start
                )
                billing = billing.settling(at: start.adding(microseconds: Int64.random(in: 1...9_999_999_999))).billing
                resources.append(billing)
            }
            var sums = OpenAccrual.zero
            for resource in resources { sums.move(from: ResourceBilling(), to: resource) }
            #expect(sums == OpenAccrual.summing(resources))
            let rate = resources.reduce(Rate.zero) { $0 + $1.rate }
            let from = BillingTime(seconds: 1_700_100_000)
            let balance = Money(units: Int128(Int64.random(in: 0...1_000_000_000_000_000, using: &generator)))
            let fromSums = AccountMath.instant(
                whenBalanceReaches: .zero,
                balance: balance,
                rate: rate,
                accrual: sums,
                from: from
            )
            #expect(
                fromSums
                    == AccountMath.instant(
                        whenBalanceReaches: .zero,
                        balance: balance,
                        resources: resources,
                        from: from
                    )
            )
            if let fromSums, fromSums > from {
                // The exact balance: D·balance − Σ (A + R·(t − B) − D·C) over the resources, at and before the instant.
                func exact(_ t: BillingTime) -> Int128 {
                    resources.reduce(Rate.accrualDenominator * balance.units) { total, r in
                        guard r.isActive, let b = r.billedUntil, !r.rate.isZero else { return total }
                        return total
                            - (r.accrued + r.rate.accrual(microseconds: t - b)
                                - Rate.accrualDenominator * r.charged.units)
                    }
                }
                #expect(exact(fromSums) <= 0)
                #expect(exact(fromSums.adding(microseconds: -1)) > 0)
            }
        }
    }
}
