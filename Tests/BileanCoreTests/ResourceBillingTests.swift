import Testing

@testable import BileanCore

/// Every test instant is counted from here (2023-11-14T22:13:20Z).
private let epoch: Int64 = 1_700_000_000

/// The instant `s` seconds after ``epoch``.
private func at(_ s: Int64) -> BillingTime { BillingTime(seconds: epoch + s) }

/// The instant `us` microseconds after ``epoch``.
private func atMicros(_ us: Int64) -> BillingTime { BillingTime(microseconds: epoch * 1_000_000 + us) }

/// A per-hour price given as decimal text.
private func perHour(_ price: String) throws -> Rate { .perHour(try Money(parsing: price)) }

/// 1 per hour: 10¹² units per hour.
private let oneAnHour = Rate.perHour(Money(integer: 1))
/// 2 per hour.
private let twoAnHour = Rate.perHour(Money(integer: 2))

private func entry(_ time: BillingTime, _ action: ResourceEvent.Action, _ rate: Rate, _ id: String) -> TimelineEntry {
    TimelineEntry(time: time, action: action, rate: rate, messageID: id)
}

/// A resource created at `time` with `rate`, through the in-order path.
private func created(at time: BillingTime, rate: Rate) -> ResourceBilling {
    ResourceBilling().applyingInOrder(.create, at: time, newRate: rate).billing
}

/// Delivers events one by one as the engine does: the in-order fast path when the state accepts the event,
/// otherwise a re-rate from the timeline received so far (the events received before it being the history billed
/// so far). After each delivery, optionally settles at an offset after the latest event time seen. Returns the
/// final state and every charge recorded, each line of a re-rate included.
private func deliver(
    _ entries: [TimelineEntry],
    settleAfterEachBy offset: Int64? = nil
) -> (billing: ResourceBilling, charges: [Charge]) {
    var billing = ResourceBilling()
    var timeline: [TimelineEntry] = []
    var charges: [Charge] = []
    var latest: BillingTime?
    for item in entries {
        let previous = timeline
        timeline.append(item)
        let step =
            billing.acceptsInOrder(item.action, at: item.time)
            ? billing.applyingInOrder(item.action, at: item.time, newRate: item.rate)
            : billing.rerated(timeline: timeline, previous: previous, eventTime: item.time)
        billing = step.billing
        charges.append(contentsOf: step.charges)
        latest = max(latest ?? item.time, item.time)
        if let offset, let latest {
            let settled = billing.settling(at: latest.adding(microseconds: offset))
            billing = settled.billing
            if let charge = settled.charge { charges.append(charge) }
        }
    }
    return (billing, charges)
}

private func total(_ charges: [Charge]) -> Money {
    charges.reduce(Money.zero) { $0 + $1.cost }
}

/// Whether a charge adds up on its own: its cost is its rate × its duration within one unit (10⁻¹²).
private func addsUp(_ charge: Charge) -> Bool {
    let exact = charge.rate.accrual(microseconds: charge.end - charge.start)
    return abs(charge.cost.units * Rate.accrualDenominator - exact) <= Rate.accrualDenominator
}

/// The interval and rate of a consumption line, to compare lines without their rounded costs.
private struct ChargeLine: Equatable, CustomStringConvertible {
    var start: BillingTime
    var end: BillingTime
    var rate: Rate

    init(_ start: BillingTime, _ end: BillingTime, _ rate: Rate) {
        self.start = start
        self.end = end
        self.rate = rate
    }

    var description: String { "[\(self.start.microseconds), \(self.end.microseconds)] at \(self.rate.unitsPerHour)/h" }
}

/// The lines of `charges`, in order.
private func lines(_ charges: [Charge]) -> [ChargeLine] {
    charges.map { ChargeLine($0.start, $0.end, $0.rate) }
}

/// All orderings of `items`.
private func permutations<T>(_ items: [T]) -> [[T]] {
    guard items.count > 1 else { return [items] }
    var result: [[T]] = []
    for index in items.indices {
        var rest = items
        let first = rest.remove(at: index)
        for tail in permutations(rest) { result.append([first] + tail) }
    }
    return result
}

@Suite("ResourceBilling")
struct ResourceBillingTests {
    // MARK: In order

    @Test func newResourceAcceptsCreateAndUpdateButNotDelete() {
        let new = ResourceBilling()
        #expect(new.isNew)
        #expect(!new.isActive)
        #expect(new.acceptsInOrder(.create, at: at(0)))
        #expect(new.acceptsInOrder(.update, at: at(0)))
        #expect(!new.acceptsInOrder(.delete, at: at(0)))
        #expect(new.charged == .zero)
    }

    @Test func createStartsBillingWithoutACharge() {
        let step = ResourceBilling().applyingInOrder(.create, at: at(0), newRate: oneAnHour)
        #expect(step.charge == nil)
        #expect(step.billing.startedAt == at(0))
        #expect(step.billing.billedUntil == at(0))
        #expect(step.billing.deletedAt == nil)
        #expect(step.billing.rate == oneAnHour)
        #expect(step.billing.accrued == 0)
        #expect(step.billing.isActive)
        #expect(!step.billing.isNew)
    }

    @Test func updateStartsBillingOfANewResourceToo() {
        let step = ResourceBilling().applyingInOrder(.update, at: at(5), newRate: twoAnHour)
        #expect(step.charge == nil)
        #expect(step.billing.startedAt == at(5))
        #expect(step.billing.rate == twoAnHour)
    }

    @Test func updateAfterAnHourChargesTheOldRateAndSwitchesToTheNew() throws {
        let billing = created(at: at(0), rate: oneAnHour)
        #expect(billing.acceptsInOrder(.update, at: at(3600)))
        let step = billing.applyingInOrder(.update, at: at(3600), newRate: twoAnHour)
        let charge = try #require(step.charge)
        // 1 per hour for 3600 s = exactly 1 = 10¹² units.
        #expect(charge.cost == Money(integer: 1))
        #expect(charge.cost.units == 1_000_000_000_000)
        #expect(charge.cause == .update)
        #expect(charge.start == at(0))
        #expect(charge.end == at(3600))
        #expect(charge.rate == oneAnHour)
        #expect(step.billing.rate == twoAnHour)
        #expect(step.billing.billedUntil == at(3600))
        #expect(step.billing.startedAt == at(0))
        // A = 10¹² × 3.6 × 10⁹ µs.
        #expect(step.billing.accrued == 3_600_000_000_000_000_000_000)
        #expect(step.billing.charged == Money(integer: 1))

        // The new rate applies: 2 per hour for 30 minutes = 1.
        let next = try #require(step.billing.applyingInOrder(.update, at: at(5400), newRate: oneAnHour).charge)
        #expect(next.cost == Money(integer: 1))
        #expect(next.rate == twoAnHour)
    }

    @Test func deletionClosesTheLastInterval() throws {
        let billing = created(at: at(0), rate: twoAnHour)
        #expect(billing.acceptsInOrder(.delete, at: at(1800)))
        let step = billing.applyingInOrder(.delete, at: at(1800), newRate: oneAnHour)
        let charge = try #require(step.charge)
        // 2 per hour for half an hour = 1.
        #expect(charge.cost == Money(integer: 1))
        #expect(charge.cause == .deletion)
        #expect(charge.rate == twoAnHour)
        #expect(charge.start == at(0))
        #expect(charge.end == at(1800))
        // The new rate is ignored for a deletion.
        #expect(step.billing.rate == .zero)
        #expect(step.billing.deletedAt == at(1800))
        #expect(step.billing.billedUntil == at(1800))
        #expect(!step.billing.isActive)
        #expect(!step.billing.isNew)
        // Nothing is in order after a deletion.
        #expect(!step.billing.acceptsInOrder(.update, at: at(3600)))
        #expect(!step.billing.acceptsInOrder(.create, at: at(3600)))
        #expect(step.billing.openCost(at: at(7200)) == .zero)
    }

    @Test func perSecondPriceForSevenSeconds() throws {
        // 0.000001 per second = 10⁶ units per second = 3.6 × 10⁹ units per hour.
        let rate = Rate.perSecond(try Money(parsing: "0.000001"))
        #expect(rate.unitsPerHour == 3_600_000_000)
        let step = created(at: at(0), rate: rate).applyingInOrder(.delete, at: at(7), newRate: .zero)
        // 7 s × 10⁶ units = 7 × 10⁶ units = 0.000007 exactly.
        let charge = try #require(step.charge)
        #expect(charge.cost == (try Money(parsing: "0.000007")))
        #expect(charge.cost.units == 7_000_000)
    }

    @Test func subSecondIntervalIsBilledExactlyAndRoundedHalfEven() throws {
        let billing = created(at: atMicros(0), rate: oneAnHour)
        let step = billing.applyingInOrder(.update, at: atMicros(500_000), newRate: oneAnHour)
        // 10¹² × 500_000 / 3.6 × 10⁹ = 138_888_888.888… → 138_888_889 units.
        let charge = try #require(step.charge)
        #expect(charge.cost.units == 138_888_889)
        #expect(step.billing.accrued == 500_000_000_000_000_000)
    }

    @Test func oneMicrosecondAtTheSmallestPriceRoundsToZero() {
        // 1 unit per hour for 1 µs = 1 / 3.6 × 10⁹ units → 0; the accrual is kept exactly.
        let billing = created(at: atMicros(0), rate: Rate(unitsPerHour: 1))
        let step = billing.settling(at: atMicros(1))
        #expect(step.charge?.cost == .zero)
        #expect(step.billing.accrued == 1)
        #expect(step.billing.charged == .zero)
    }

    @Test func zeroLengthIntervalIsNotInOrder() {
        let billing = created(at: at(10), rate: oneAnHour)
        // The same instant as the billing point: not strictly later.
        #expect(!billing.acceptsInOrder(.update, at: at(10)))
        #expect(!billing.acceptsInOrder(.delete, at: at(10)))
        #expect(!billing.acceptsInOrder(.update, at: at(9)))
        #expect(billing.acceptsInOrder(.update, at: atMicros(10_000_001)))
    }

    @Test func zeroRateIntervalRecordsNoCharge() {
        let billing = created(at: at(0), rate: .zero)
        let step = billing.applyingInOrder(.update, at: at(3600), newRate: oneAnHour)
        #expect(step.charge == nil)
        #expect(step.billing.rate == oneAnHour)
        #expect(step.billing.billedUntil == at(3600))
        #expect(step.billing.accrued == 0)
    }

    // MARK: Settlement

    @Test func settlingAtOrBeforeTheBillingPointDoesNothing() {
        let billing = created(at: at(0), rate: oneAnHour).settling(at: at(100)).billing
        for instant in [at(100), at(50), at(-1)] {
            let step = billing.settling(at: instant)
            #expect(step.charge == nil)
            #expect(step.billing == billing)
        }
    }

    @Test func settlingAfterTheBillingPointCharges() throws {
        let billing = created(at: at(0), rate: oneAnHour)
        let step = billing.settling(at: at(1800))
        let charge = try #require(step.charge)
        // Half an hour at 1 per hour = 0.5.
        #expect(charge.cost.units == 500_000_000_000)
        #expect(charge.cause == .settlement)
        #expect(charge.start == at(0))
        #expect(charge.end == at(1800))
        #expect(step.billing.billedUntil == at(1800))
        #expect(step.billing.rate == oneAnHour)
        #expect(step.billing.isActive)
        #expect(billing.settling(at: at(1800), cause: .freeze).charge?.cause == .freeze)
    }

    @Test func settlingANewOrDeletedResourceDoesNothing() {
        #expect(ResourceBilling().settling(at: at(10)).charge == nil)
        #expect(ResourceBilling().settling(at: at(10)).billing == ResourceBilling())
        let deleted = created(at: at(0), rate: oneAnHour).applyingInOrder(.delete, at: at(10), newRate: .zero).billing
        #expect(deleted.settling(at: at(20)).charge == nil)
        #expect(deleted.settling(at: at(20)).billing == deleted)
    }

    @Test func settlementSplitsDoNotChangeTheTotal() throws {
        // 1 per hour = 277_777_777.777… units per second.
        let start = created(at: at(0), rate: oneAnHour)
        // One step over [0, 10 s]: 10¹² × 10⁷ / 3.6 × 10⁹ = 2_777_777_777.777… → 2_777_777_778.
        let single = try #require(start.settling(at: at(10)).charge)
        #expect(single.cost.units == 2_777_777_778)

        // Settled at 1 s, 2 s, … 9 s, then closed at 10 s.
        var billing = start
        var costs: [Int128] = []
        for second in 1...9 {
            let step = billing.settling(at: at(Int64(second)))
            billing = step.billing
            costs.append(try #require(step.charge).cost.units)
        }
        let last = billing.applyingInOrder(.delete, at: at(10), newRate: .zero)
        costs.append(try #require(last.charge).cost.units)
        // Each step costs round(k × 277_777_777.777…) − round((k−1) × 277_777_777.777…): 277_777_778 or
        // 277_777_777, e.g. k = 1: 277_777_778; k = 2: 555_555_556 − 277_777_778 = 277_777_778;
        // k = 3: 833_333_333 − 555_555_556 = 277_777_777. Rounding each second alone would give 10 × 277_777_778.
        #expect(Array(costs.prefix(3)) == [277_777_778, 277_777_778, 277_777_777])
        #expect(costs.reduce(0, +) == 2_777_777_778)
        #expect(costs.reduce(0, +) == single.cost.units)
        #expect(last.billing.charged.units == 2_777_777_778)
    }

    @Test(arguments: ["1", "0.7", "123.456789", "0.000000000001", "0.333333333333", "999999.999999999999"])
    func irregularSplitsAddUpToTheSingleCharge(price: String) throws {
        let rate = try perHour(price)
        let start = created(at: atMicros(0), rate: rate)
        let end = atMicros(86_400_000_001)
        let single = try #require(start.settling(at: end).charge).cost
        var billing = start
        var sum = Money.zero
        var micros: Int64 = 0
        var stride: Int64 = 1
        while true {
            micros += stride
            stride = stride * 7 + 3
            let instant = micros >= 86_400_000_001 ? end : atMicros(micros)
            let step = billing.settling(at: instant)
            billing = step.billing
            sum += step.charge?.cost ?? .zero
            if instant == end { break }
        }
        #expect(sum == single)
        // The total is round(A / D) with A = units per hour × µs.
        #expect(single.units == Money.roundedQuotient(rate.unitsPerHour * 86_400_000_001, 3_600_000_000))
    }

    // MARK: Open cost

    @Test(arguments: [Int64(1), 500_000, 1_000_000, 1_500_000, 3_600_000_000, 3_600_000_001])
    func openCostEqualsTheNextSettlementCharge(micros: Int64) throws {
        // Settled once at 1 s so that the open cost starts from a rounded total.
        let billing = created(at: atMicros(0), rate: oneAnHour).settling(at: atMicros(1_000_000)).billing
        let now = atMicros(1_000_000 + micros)
        let open = billing.openCost(at: now)
        let charge = try #require(billing.settling(at: now).charge)
        #expect(open == charge.cost)
    }

    @Test func openCostByHand() {
        let billing = created(at: at(0), rate: oneAnHour).settling(at: at(1)).billing
        // Charged so far: round(10¹² × 10⁶ / 3.6 × 10⁹) = round(277_777_777.78) = 277_777_778.
        #expect(billing.charged.units == 277_777_778)
        // At 3 s: round(833_333_333.33) − 277_777_778 = 833_333_333 − 277_777_778 = 555_555_555.
        #expect(billing.openCost(at: at(3)).units == 555_555_555)
        // At or before the billing point: nothing is open.
        #expect(billing.openCost(at: at(1)) == .zero)
        #expect(billing.openCost(at: at(0)) == .zero)
        // Zero rate, new or deleted: nothing is open.
        #expect(created(at: at(0), rate: .zero).openCost(at: at(100)) == .zero)
        #expect(ResourceBilling().openCost(at: at(100)) == .zero)
    }

    // MARK: Out of order

    @Test func lateUpdateReRatesToTheInOrderTotal() throws {
        // Created at 0 s at 1 per hour and settled at 100 s; an update to 2 per hour stamped 40 s arrives late.
        let settled = created(at: at(0), rate: oneAnHour).settling(at: at(100))
        // round(10¹² × 10⁸ / 3.6 × 10⁹) = round(27_777_777_777.78) = 27_777_777_778.
        #expect(settled.charge?.cost.units == 27_777_777_778)
        let billing = settled.billing
        #expect(!billing.acceptsInOrder(.update, at: at(40)))
        let timeline = [entry(at(0), .create, oneAnHour, "m1"), entry(at(40), .update, twoAnHour, "m2")]
        let step = billing.rerated(timeline: timeline, previous: Array(timeline.dropLast()), eventTime: at(40))
        // In order: A = 10¹² × 4 × 10⁷ + 2 × 10¹² × 6 × 10⁷ = 1.6 × 10²⁰; round(A / D) = round(44_444_444_444.44)
        // = 44_444_444_444, so the adjustment is 44_444_444_444 − 27_777_777_778 = 16_666_666_666.
        let charge = try #require(step.charge)
        #expect(charge.cause == .rerate)
        #expect(charge.cost.units == 16_666_666_666)
        #expect(charge.start == at(40))
        #expect(charge.end == at(100))
        // One line, at the difference between the rate in-order delivery bills and the rate billed: 2 − 1 per hour.
        #expect(lines(step.charges) == [ChargeLine(at(40), at(100), oneAnHour)])
        #expect(addsUp(charge))
        #expect(step.billing.rate == twoAnHour)
        #expect(step.billing.billedUntil == at(100))
        #expect(step.billing.startedAt == at(0))
        #expect(step.billing.charged.units == 44_444_444_444)

        // The same events in order: update at 40 s, then settlement at 100 s.
        let inOrder = created(at: at(0), rate: oneAnHour).applyingInOrder(.update, at: at(40), newRate: twoAnHour)
        // round(11_111_111_111.11) = 11_111_111_111.
        #expect(inOrder.charge?.cost.units == 11_111_111_111)
        let inOrderSettled = inOrder.billing.settling(at: at(100))
        // 44_444_444_444 − 11_111_111_111 = 33_333_333_333.
        #expect(inOrderSettled.charge?.cost.units == 33_333_333_333)
        #expect(inOrderSettled.billing == step.billing)
        // Both ways the resource was charged 44_444_444_444 in all.
        #expect(settled.charge!.cost + charge.cost == inOrder.charge!.cost + inOrderSettled.charge!.cost)
    }

    @Test func lateCheaperUpdateGivesANegativeAdjustment() throws {
        let billing = created(at: at(0), rate: twoAnHour).settling(at: at(100)).billing
        // Charged: round(2 × 10¹² × 10⁸ / 3.6 × 10⁹) = round(55_555_555_555.56) = 55_555_555_556.
        #expect(billing.charged.units == 55_555_555_556)
        let timeline = [entry(at(0), .create, twoAnHour, "m1"), entry(at(40), .update, oneAnHour, "m2")]
        let step = billing.rerated(timeline: timeline, previous: Array(timeline.dropLast()), eventTime: at(40))
        // In order: A = 2 × 10¹² × 4 × 10⁷ + 10¹² × 6 × 10⁷ = 1.4 × 10²⁰ → round(38_888_888_888.89) = 38_888_888_889.
        // Adjustment: 38_888_888_889 − 55_555_555_556 = −16_666_666_667.
        let charge = try #require(step.charge)
        #expect(charge.cost.units == -16_666_666_667)
        #expect(charge.cause == .rerate)
        #expect(step.billing.rate == oneAnHour)
        // The line carries the signed difference, 1 − 2 = −1 per hour, over [40 s, 100 s].
        #expect(lines(step.charges) == [ChargeLine(at(40), at(100), Rate.zero - oneAnHour)])
        #expect(addsUp(charge))
    }

    @Test func lateDeletionRefundsWhatWasSettledPastIt() throws {
        let billing = created(at: at(0), rate: oneAnHour).settling(at: at(3600)).billing
        #expect(billing.charged == Money(integer: 1))
        let timeline = [entry(at(0), .create, oneAnHour, "m1"), entry(at(1800), .delete, .zero, "m2")]
        #expect(!billing.acceptsInOrder(.delete, at: at(1800)))
        let step = billing.rerated(timeline: timeline, previous: Array(timeline.dropLast()), eventTime: at(1800))
        // Billed to 1 h, deleted at 30 min: 0.5 comes back, on a line at −1 per hour (not the rate 0 after the
        // deletion) over [30 min, 1 h].
        let charge = try #require(step.charge)
        #expect(charge.cost.units == -500_000_000_000)
        #expect(lines(step.charges) == [ChargeLine(at(1800), at(3600), Rate.zero - oneAnHour)])
        #expect(addsUp(charge))
        #expect(step.billing.deletedAt == at(1800))
        #expect(step.billing.rate == .zero)
        #expect(!step.billing.isActive)
        #expect(step.billing.charged.units == 500_000_000_000)
    }

    @Test func reRateThatChangesNothingRecordsNoCharge() {
        // A duplicate create (another message id) at the start instant, at the same price.
        let billing = created(at: at(0), rate: oneAnHour).settling(at: at(100)).billing
        let timeline = [entry(at(0), .create, oneAnHour, "m1"), entry(at(0), .create, oneAnHour, "m2")]
        let step = billing.rerated(timeline: timeline, previous: Array(timeline.dropLast()), eventTime: at(0))
        #expect(step.charge == nil)
        #expect(step.billing == billing)
    }

    @Test func deletionArrivingBeforeCreationIsKeptAndAppliedLater() throws {
        let deletion = entry(at(100), .delete, .zero, "del")
        let pending = ResourceBilling().rerated(timeline: [deletion], previous: [], eventTime: at(100))
        #expect(pending.charge == nil)
        #expect(pending.billing.deletedAt == at(100))
        #expect(pending.billing.startedAt == nil)
        #expect(!pending.billing.isNew)
        #expect(!pending.billing.isActive)
        #expect(pending.billing.openCost(at: at(200)) == .zero)

        // The creation, stamped before the deletion, arrives: billed from 0 s to 100 s.
        let creation = entry(at(0), .create, oneAnHour, "cre")
        #expect(!pending.billing.acceptsInOrder(.create, at: at(0)))
        let step = pending.billing.rerated(timeline: [deletion, creation], previous: [deletion], eventTime: at(0))
        let charge = try #require(step.charge)
        // round(10¹² × 10⁸ / 3.6 × 10⁹) = 27_777_777_778.
        #expect(charge.cost.units == 27_777_777_778)
        #expect(charge.cause == .rerate)
        #expect(charge.start == at(0))
        #expect(charge.end == at(100))
        // Nothing was billed: the difference is the whole in-order rate.
        #expect(lines(step.charges) == [ChargeLine(at(0), at(100), oneAnHour)])
        #expect(addsUp(charge))
        #expect(step.billing.startedAt == at(0))
        #expect(step.billing.deletedAt == at(100))
        #expect(step.billing.rate == .zero)
        #expect(!step.billing.isActive)
    }

    @Test func deletionStampedBeforeCreationCostsNothing() {
        let deletion = entry(at(0), .delete, .zero, "del")
        let creation = entry(at(100), .create, oneAnHour, "cre")
        // Deletion first, then the creation.
        let pending = ResourceBilling().rerated(timeline: [deletion], previous: [], eventTime: at(0)).billing
        #expect(!pending.acceptsInOrder(.create, at: at(100)))
        let first = pending.rerated(timeline: [deletion, creation], previous: [deletion], eventTime: at(100))
        #expect(first.charge == nil)
        #expect(first.billing.charged == .zero)
        #expect(first.billing.accrued == 0)
        #expect(first.billing.startedAt == at(100))
        // The deletion ends billing at the start, never before it.
        #expect(first.billing.deletedAt == at(100))
        #expect(!first.billing.isActive)
        #expect(first.billing.settling(at: at(500)).charge == nil)

        // Creation first, then the deletion.
        let live = created(at: at(100), rate: oneAnHour)
        #expect(!live.acceptsInOrder(.delete, at: at(0)))
        let second = live.rerated(timeline: [creation, deletion], previous: [creation], eventTime: at(0))
        #expect(second.charge == nil)
        #expect(second.billing.charged == .zero)
        #expect(second.billing.deletedAt == at(100))
        #expect(second.billing.rate == .zero)
    }

    @Test func eventsAfterDeletionChangeNothing() {
        let deleted = created(at: at(0), rate: oneAnHour).applyingInOrder(.delete, at: at(3600), newRate: .zero).billing
        let timeline = [
            entry(at(0), .create, oneAnHour, "m1"),
            entry(at(3600), .delete, .zero, "m2"),
            entry(at(7200), .update, twoAnHour, "m3"),
        ]
        let step = deleted.rerated(timeline: timeline, previous: Array(timeline.dropLast()), eventTime: at(7200))
        #expect(step.charge == nil)
        #expect(step.billing.charged == Money(integer: 1))
        #expect(step.billing.rate == .zero)
        #expect(step.billing.deletedAt == at(3600))
        #expect(!step.billing.isActive)
        // A second, later deletion changes nothing either.
        let again = step.billing.rerated(
            timeline: timeline + [entry(at(9000), .delete, .zero, "m4")],
            previous: timeline,
            eventTime: at(9000)
        )
        #expect(again.charge == nil)
        #expect(again.billing.deletedAt == at(3600))
    }

    @Test func earlierSecondDeletionMovesTheEnd() throws {
        // Deleted at 1 h, then a deletion stamped 30 min arrives: the first deletion in cloud time ends billing.
        let deleted = created(at: at(0), rate: oneAnHour).applyingInOrder(.delete, at: at(3600), newRate: .zero).billing
        let timeline = [
            entry(at(0), .create, oneAnHour, "m1"),
            entry(at(3600), .delete, .zero, "m2"),
            entry(at(1800), .delete, .zero, "m3"),
        ]
        let step = deleted.rerated(timeline: timeline, previous: Array(timeline.dropLast()), eventTime: at(1800))
        #expect(try #require(step.charge).cost.units == -500_000_000_000)
        #expect(lines(step.charges) == [ChargeLine(at(1800), at(3600), Rate.zero - oneAnHour)])
        #expect(step.billing.deletedAt == at(1800))
        #expect(step.billing.charged.units == 500_000_000_000)
    }

    // MARK: Re-rate lines

    /// A resource created at 0.7 per hour and settled to 3 h; then, each arriving late, an update to 1.3 per hour
    /// at t1 ≈ 1 h, an update to 0.25 per hour at t2 ≈ 2 h and a deletion at td ≈ 30 min (odd microseconds, so that
    /// every line is rounded). Each re-rate records one line per stretch where the signed difference between the
    /// in-order rate and the rate billed so far is constant: +0.6 over [t1, 3 h]; −1.05 over [t2, 3 h]; then −0.7,
    /// −1.3 and −0.25 over [td, t1], [t1, t2] and [t2, 3 h]. Each line costs its rate × its duration within one unit,
    /// and the lines of each re-rate add up exactly to the change of the rounded total.
    @Test func lateEventsRecordTheSignedRateDifferencePerStretch() throws {
        let a = try perHour("0.7")
        let b = try perHour("1.3")
        let c = try perHour("0.25")
        let end = atMicros(10_800_000_000)
        let t1 = atMicros(3_600_000_007)
        let t2 = atMicros(7_200_000_013)
        let td = atMicros(1_800_000_003)
        let creation = entry(atMicros(0), .create, a, "m1")
        let toB = entry(t1, .update, b, "m2")
        let toC = entry(t2, .update, c, "m3")
        let deletion = entry(td, .delete, .zero, "m4")

        // 0.7 per hour for 3 h: 2.1.
        let billed = created(at: atMicros(0), rate: a).settling(at: end).billing
        #expect(billed.charged.units == 2_100_000_000_000)

        // The update to 1.3 at t1 arrives late.
        #expect(!billed.acceptsInOrder(.update, at: t1))
        let first = billed.rerated(timeline: [creation, toB], previous: [creation], eventTime: t1)
        let sixTenths = try perHour("0.6")
        #expect(b - a == sixTenths)
        #expect(lines(first.charges) == [ChargeLine(t1, end, b - a)])
        #expect(first.charges.allSatisfy { $0.cause == .rerate })
        #expect(first.charges.allSatisfy(addsUp))
        // round((0.7 × 10¹² × 3_600_000_007 + 1.3 × 10¹² × 7_199_999_993) / D) = round(3_299_999_998_833.33)
        // = 3_299_999_998_833; minus 2_100_000_000_000 already charged.
        #expect(first.billing.charged.units == 3_299_999_998_833)
        #expect(total(first.charges).units == 1_199_999_998_833)
        #expect(total(first.charges) == first.billing.charged - billed.charged)
        #expect(first.billing.rate == b)

        // The update to 0.25 at t2 arrives late: a cheaper stretch, so a negative rate.
        #expect(!first.billing.acceptsInOrder(.update, at: t2))
        let second = first.billing.rerated(
            timeline: [creation, toB, toC],
            previous: [creation, toB],
            eventTime: t2
        )
        let oneOhFive = try perHour("1.05")
        #expect(c - b == Rate.zero - oneOhFive)
        #expect(lines(second.charges) == [ChargeLine(t2, end, c - b)])
        #expect(second.charges.allSatisfy { $0.cause == .rerate })
        #expect(second.charges.allSatisfy(addsUp))
        // In order: 0.7 × 3_600_000_007 + 1.3 × 3_600_000_006 + 0.25 × 3_599_999_987 (× 10¹² / D)
        // = 2_250_000_002_625 exactly; 2_250_000_002_625 − 3_299_999_998_833.
        #expect(second.billing.charged.units == 2_250_000_002_625)
        #expect(total(second.charges).units == -1_049_999_996_208)
        #expect(total(second.charges) == second.billing.charged - first.billing.charged)
        #expect(second.billing.rate == c)

        // The deletion at td arrives late: every rate billed after td comes back, each on its own line.
        #expect(!second.billing.acceptsInOrder(.delete, at: td))
        let third = second.billing.rerated(
            timeline: [creation, toB, toC, deletion],
            previous: [creation, toB, toC],
            eventTime: td
        )
        #expect(
            lines(third.charges) == [
                ChargeLine(td, t1, Rate.zero - a),
                ChargeLine(t1, t2, Rate.zero - b),
                ChargeLine(t2, end, Rate.zero - c),
            ]
        )
        #expect(third.charges.allSatisfy { $0.cause == .rerate })
        #expect(third.charges.allSatisfy(addsUp))
        // In order: 0.7 × 1_800_000_003 × 10¹² / D = 350_000_000_583.33 → 350_000_000_583;
        // 350_000_000_583 − 2_250_000_002_625.
        #expect(third.billing.charged.units == 350_000_000_583)
        #expect(total(third.charges).units == -1_900_000_002_042)
        #expect(total(third.charges) == third.billing.charged - second.billing.charged)
        #expect(third.billing.rate == .zero)
        #expect(third.billing.deletedAt == td)

        // Altogether the resource was charged what in-order delivery charges.
        let all = total(first.charges + second.charges + third.charges)
        #expect(billed.charged + all == ResourceTimeline([creation, toB, toC, deletion]).replay(until: end).charged)
    }

    /// Billed in order at 0.7 per hour from 0, updated at the same price at t1 ≈ 1 h and to 0.25 per hour at
    /// t2 ≈ 2 h, settled to 3 h; a deletion at td ≈ 30 min then arrives late. The billed rate changes at t1 but
    /// the difference does not (−0.7 on both sides), so the adjustment has two lines, not three: −0.7 over [td, t2]
    /// and −0.25 over [t2, 3 h]. They add up exactly to the change of the rounded total.
    @Test func reRateLinesSplitOnlyWhereTheDifferenceChanges() throws {
        let a = try perHour("0.7")
        let c = try perHour("0.25")
        let end = atMicros(10_800_000_000)
        let t1 = atMicros(3_600_000_007)
        let t2 = atMicros(7_200_000_013)
        let td = atMicros(1_800_000_003)
        let history = [
            entry(atMicros(0), .create, a, "m1"),
            entry(t1, .update, a, "m2"),
            entry(t2, .update, c, "m3"),
        ]
        let deletion = entry(td, .delete, .zero, "m4")

        var billed = created(at: atMicros(0), rate: a)
        billed = billed.applyingInOrder(.update, at: t1, newRate: a).billing
        billed = billed.applyingInOrder(.update, at: t2, newRate: c).billing
        billed = billed.settling(at: end).billing
        // 0.7 × 7_200_000_013 + 0.25 × 3_599_999_987 (× 10¹² / D) = 1_650_000_001_625 exactly.
        #expect(billed.charged.units == 1_650_000_001_625)

        let step = billed.rerated(timeline: history + [deletion], previous: history, eventTime: td)
        #expect(lines(step.charges) == [ChargeLine(td, t2, Rate.zero - a), ChargeLine(t2, end, Rate.zero - c)])
        #expect(step.charges.allSatisfy { $0.cause == .rerate })
        #expect(step.charges.allSatisfy(addsUp))
        // 350_000_000_583 − 1_650_000_001_625.
        #expect(total(step.charges).units == -1_300_000_001_042)
        #expect(total(step.charges) == step.billing.charged - billed.charged)
        #expect(step.billing.charged.units == 350_000_000_583)
    }

    @Test(arguments: [nil, Int64(0), 300_000, 7_000_000, 2_000_000_000] as [Int64?])
    func everyArrivalOrderBillsTheInOrderTotal(settleOffset: Int64?) {
        let three = Rate.perHour(Money(integer: 3))
        let events = [
            entry(atMicros(0), .create, oneAnHour, "a"),
            entry(atMicros(1_500_000), .update, twoAnHour, "b"),
            entry(atMicros(3_000_000), .update, three, "d"),
            entry(atMicros(4_000_000), .delete, .zero, "c"),
            entry(atMicros(5_000_000), .update, Rate.perHour(Money(integer: 9)), "e"),
        ]
        // In order: 1 per hour for 1.5 s, 2 per hour for 1.5 s, 3 per hour for 1 s; the update after the deletion
        // is ignored. A = 10¹² × 1.5 × 10⁶ + 2 × 10¹² × 1.5 × 10⁶ + 3 × 10¹² × 10⁶ = 7.5 × 10¹⁸;
        // A / D = 2_083_333_333.33… → 2_083_333_333 units.
        let expected = Money(units: 2_083_333_333)
        #expect(ResourceTimeline(events).replay(until: atMicros(5_000_000)).charged == expected)
        let final = atMicros(10_000_000_000)
        for order in permutations(events) {
            var (billing, charges) = deliver(order, settleAfterEachBy: settleOffset)
            let closing = billing.settling(at: final)
            billing = closing.billing
            if let charge = closing.charge { charges.append(charge) }
            let ids = order.map(\.messageID).joined()
            #expect(total(charges) == expected, "order \(ids)")
            #expect(charges.allSatisfy(addsUp), "every line costs its rate × its duration, order \(ids)")
            #expect(billing.charged == expected, "order \(ids)")
            #expect(billing.deletedAt == atMicros(4_000_000), "order \(ids)")
            #expect(billing.startedAt == atMicros(0), "order \(ids)")
            #expect(billing.rate == .zero, "order \(ids)")
        }
    }

    @Test(arguments: [nil, Int64(0), 250_000, 5_000_000] as [Int64?])
    func everyArrivalOrderOfALiveResourceBillsTheInOrderTotal(settleOffset: Int64?) throws {
        let events = [
            entry(atMicros(0), .create, try perHour("0.7"), "a"),
            entry(atMicros(2_000_001), .update, try perHour("1.3"), "b"),
            entry(atMicros(2_000_001), .update, try perHour("0.01"), "c"),
            entry(atMicros(9_999_999), .update, try perHour("5"), "d"),
        ]
        let final = atMicros(20_000_000)
        // At 2.000001 s both updates apply in message id order, so "c" (0.01) wins.
        // A = 0.7 × 10¹² × 2_000_001 + 0.01 × 10¹² × 7_999_998 + 5 × 10¹² × 10_000_001
        //   = 1_400_000_700_000_000_000 + 79_999_980_000_000_000 + 50_000_005_000_000_000_000
        //   = 51_480_005_680_000_000_000; A / D = 14_300_001_577.77… → 14_300_001_578.
        let expected = Money(units: 14_300_001_578)
        #expect(ResourceTimeline(events).replay(until: final).charged == expected)
        for order in permutations(events) {
            var (billing, charges) = deliver(order, settleAfterEachBy: settleOffset)
            let closing = billing.settling(at: final)
            billing = closing.billing
            if let charge = closing.charge { charges.append(charge) }
            let ids = order.map(\.messageID).joined()
            #expect(total(charges) == expected, "order \(ids)")
            #expect(charges.allSatisfy(addsUp), "every line costs its rate × its duration, order \(ids)")
            #expect(billing.rate == (try perHour("5")), "order \(ids)")
            #expect(billing.billedUntil == final, "order \(ids)")
            #expect(billing.isActive, "order \(ids)")
        }
    }
}

@Suite("ResourceTimeline")
struct ResourceTimelineTests {
    @Test func canonicalOrderIsTimeThenActionThenMessageID() {
        let timeline = ResourceTimeline([
            entry(at(5), .delete, .zero, "a"),
            entry(at(5), .update, twoAnHour, "b"),
            entry(at(9), .create, oneAnHour, "a"),
            entry(at(5), .create, oneAnHour, "z"),
            entry(at(5), .update, oneAnHour, "a"),
            entry(at(1), .delete, .zero, "z"),
        ])
        let order = timeline.entries.map {
            "\($0.time.microseconds / 1_000_000 - epoch)\($0.action.rawValue)\($0.messageID)"
        }
        #expect(order == ["1deletez", "5createz", "5updatea", "5updateb", "5deletea", "9createa"])
    }

    @Test func replaysSeveralSegments() {
        let four = Rate.perHour(Money(integer: 4))
        let timeline = ResourceTimeline([
            entry(at(7200), .delete, .zero, "m4"),
            entry(at(3600), .update, twoAnHour, "m2"),
            entry(at(0), .create, oneAnHour, "m1"),
            entry(at(5400), .update, four, "m3"),
        ])
        let billing = timeline.replay(until: at(9000))
        // 1 per hour for 1 h + 2 per hour for 30 min + 4 per hour for 30 min = 1 + 1 + 2 = 4.
        #expect(billing.charged == Money(integer: 4))
        // A = 10¹² × 3.6 × 10⁹ + 2 × 10¹² × 1.8 × 10⁹ + 4 × 10¹² × 1.8 × 10⁹ = 1.44 × 10²².
        #expect(billing.accrued == 14_400_000_000_000_000_000_000)
        #expect(billing.startedAt == at(0))
        #expect(billing.deletedAt == at(7200))
        #expect(billing.rate == .zero)
        #expect(billing.billedUntil == at(9000))
        #expect(!billing.isActive)
    }

    @Test func replaysALiveResourceUpToTheBillingPoint() {
        let timeline = ResourceTimeline([
            entry(at(1800), .update, twoAnHour, "m2"),
            entry(at(0), .create, oneAnHour, "m1"),
        ])
        let billing = timeline.replay(until: at(3600))
        // 0.5 + 1 = 1.5.
        #expect(billing.charged.units == 1_500_000_000_000)
        #expect(billing.rate == twoAnHour)
        #expect(billing.billedUntil == at(3600))
        #expect(billing.deletedAt == nil)
        #expect(billing.isActive)
        // Replayed only to the last event: the last rate has not accrued yet.
        let early = timeline.replay(until: at(1800))
        #expect(early.charged.units == 500_000_000_000)
        #expect(early.rate == twoAnHour)
    }

    @Test func billingStartsAtTheFirstCreateOrUpdate() {
        // The update comes first in cloud time: billing starts there, and the later create re-prices.
        let timeline = ResourceTimeline([
            entry(at(1800), .create, oneAnHour, "m2"),
            entry(at(0), .update, twoAnHour, "m1"),
        ])
        let billing = timeline.replay(until: at(3600))
        #expect(billing.startedAt == at(0))
        // 2 per hour for 30 min + 1 per hour for 30 min = 1.5.
        #expect(billing.charged.units == 1_500_000_000_000)
        #expect(billing.rate == oneAnHour)
    }

    @Test func onlyDeletionsAreKeptPending() {
        let billing = ResourceTimeline([
            entry(at(50), .delete, .zero, "m2"),
            entry(at(20), .delete, .zero, "m1"),
        ]).replay(until: at(50))
        #expect(billing.startedAt == nil)
        #expect(billing.deletedAt == at(20))
        #expect(billing.accrued == 0)
        #expect(billing.rate == .zero)
        #expect(!billing.isActive)
        #expect(!billing.isNew)
    }

    @Test func createAndDeleteAtTheSameInstantCostNothing() {
        // Listed delete first; canonical order puts the create first, so this is a zero-length life.
        let billing = ResourceTimeline([
            entry(at(10), .delete, .zero, "a"),
            entry(at(10), .create, twoAnHour, "b"),
        ]).replay(until: at(100))
        #expect(billing.startedAt == at(10))
        #expect(billing.deletedAt == at(10))
        #expect(billing.accrued == 0)
        #expect(billing.charged == .zero)
    }

    @Test func duplicateEventsAtOneInstantAreOrderedByMessageID() {
        let three = Rate.perHour(Money(integer: 3))
        let timeline = ResourceTimeline([
            entry(at(0), .create, oneAnHour, "m1"),
            entry(at(1800), .update, twoAnHour, "m3"),
            entry(at(1800), .update, three, "m2"),
        ])
        let billing = timeline.replay(until: at(3600))
        // m2 then m3 at 30 min: the rate after is m3's 2 per hour; 0.5 + 0 (zero-length at 3) + 1 = 1.5.
        #expect(billing.rate == twoAnHour)
        #expect(billing.charged.units == 1_500_000_000_000)
    }

    @Test func deletionBeforeStartEndsAtTheStart() {
        let billing = ResourceTimeline([
            entry(at(100), .create, oneAnHour, "m2"),
            entry(at(100), .update, twoAnHour, "m3"),
            entry(at(0), .delete, .zero, "m1"),
        ]).replay(until: at(200))
        #expect(billing.startedAt == at(100))
        #expect(billing.deletedAt == at(100))
        #expect(billing.accrued == 0)
        #expect(billing.rate == .zero)
    }
}
