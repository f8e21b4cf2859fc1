/// The billing state of one resource, and the pure operations that move it.
///
/// The cost billed for a resource up to its billing point `B` is `round(A / D)`, where `A` (``accrued``) is the
/// exact integral of its rate (``Rate/accrual(microseconds:)``) from its start to `B` and `D` is
/// ``Rate/accrualDenominator``; `round` is ``Money/roundedQuotient(_:_:)`` (half-even). Each stored
/// consumption costs the difference between two such rounded totals, so the costs of a resource always add up
/// to `round(A / D)`: the total does not depend on how the time was split into intervals (updates,
/// settlements) nor on the order in which events arrived.
package struct ResourceBilling: Sendable, Hashable {
    /// When billing started: the first create or update, in cloud time.
    package var startedAt: BillingTime?
    /// When the cloud deleted the resource (never before ``startedAt`` once that is known).
    package var deletedAt: BillingTime?
    /// The current rate; zero before the start and after deletion.
    package var rate: Rate
    /// The billing point `B`: every cost up to here is stored as consumptions.
    package var billedUntil: BillingTime?
    /// The exact accrual `A` from the start up to ``billedUntil``, over ``Rate/accrualDenominator``.
    package var accrued: Int128

    /// A resource that has seen no event yet.
    package init(
        startedAt: BillingTime? = nil,
        deletedAt: BillingTime? = nil,
        rate: Rate = .zero,
        billedUntil: BillingTime? = nil,
        accrued: Int128 = 0
    ) {
        self.startedAt = startedAt
        self.deletedAt = deletedAt
        self.rate = rate
        self.billedUntil = billedUntil
        self.accrued = accrued
    }

    /// The total stored as consumptions so far: `round(A / D)`.
    package var charged: Money {
        Money(units: Money.roundedQuotient(self.accrued, Rate.accrualDenominator))
    }

    /// Whether the resource is being billed (started and not deleted).
    package var isActive: Bool { self.startedAt != nil && self.deletedAt == nil }

    /// Whether no event has reached the resource yet.
    package var isNew: Bool { self.startedAt == nil && self.deletedAt == nil && self.billedUntil == nil }

    /// Whether an event at `time` can be applied in O(1) without replaying the resource's history: the resource
    /// is new, or active and the event is strictly later than everything billed.
    /// - Parameters:
    ///   - action: The event's action.
    ///   - time: The event's cloud time.
    /// - Returns: `true` for the in-order fast path, `false` when ``rerated(timeline:previous:eventTime:)``
    ///   must be used.
    package func acceptsInOrder(_ action: ResourceEvent.Action, at time: BillingTime) -> Bool {
        if self.isNew { return action != .delete }
        guard self.isActive, let billedUntil = self.billedUntil else { return false }
        return time > billedUntil
    }

    /// Applies an event that ``acceptsInOrder(_:at:)``: closes the open interval at the event's time.
    /// - Parameters:
    ///   - action: The event's action.
    ///   - time: The event's cloud time.
    ///   - newRate: The resource's price after the event (ignored for a deletion).
    /// - Returns: The new state and the charge for the closed interval, if it cost anything.
    package func applyingInOrder(_ action: ResourceEvent.Action, at time: BillingTime, newRate: Rate) -> BillingStep {
        guard let billedUntil = self.billedUntil, self.isActive else {
            // A new resource: billing starts now.
            let started = ResourceBilling(startedAt: time, rate: newRate, billedUntil: time)
            return BillingStep(billing: started, charge: nil)
        }
        var next = self
        next.accrued += self.rate.accrual(microseconds: time - billedUntil)
        next.billedUntil = time
        switch action {
        case .create, .update:
            next.rate = newRate
        case .delete:
            next.rate = .zero
            next.deletedAt = time
        }
        let cause: Consumption.Cause = action == .delete ? .deletion : .update
        let charge =
            self.rate.isZero
            ? nil
            : Charge(start: billedUntil, end: time, rate: self.rate, cost: next.charged - self.charged, cause: cause)
        return BillingStep(billing: next, charge: charge)
    }

    /// Bills the open interval up to `instant` (settlement, freeze). Does nothing unless the resource is active
    /// and `instant` is after its billing point.
    /// - Parameters:
    ///   - instant: The settlement instant.
    ///   - cause: The consumption's cause.
    /// - Returns: The new state and the charge, if any.
    package func settling(at instant: BillingTime, cause: Consumption.Cause = .settlement) -> BillingStep {
        guard self.isActive, let billedUntil = self.billedUntil, instant > billedUntil else {
            return BillingStep(billing: self, charge: nil)
        }
        var next = self
        next.accrued += self.rate.accrual(microseconds: instant - billedUntil)
        next.billedUntil = instant
        let charge =
            self.rate.isZero
            ? nil
            : Charge(start: billedUntil, end: instant, rate: self.rate, cost: next.charged - self.charged, cause: cause)
        return BillingStep(billing: next, charge: charge)
    }

    /// Re-rates the resource from its whole history after a late, out-of-order or pending event.
    ///
    /// The state is replayed from `timeline` (which includes the new event) up to `max(B, eventTime)`; the
    /// difference between the new total and what was already charged becomes `rerate` charges, so that the
    /// final total equals that of in-order delivery.
    ///
    /// The adjustment is one line per stretch where the rate changed: each carries the signed difference between the
    /// rate in-order delivery bills and the rate billed so far (`previous`, the history before this event; nothing
    /// was billed past ``billedUntil``), so that each line's cost is its rate × its duration within one unit. The
    /// lines are rounded cumulatively from the accrual billed so far, so that they add up exactly to the change of
    /// the rounded total.
    /// - Parameters:
    ///   - timeline: Every event of the resource, the new one included, in any order.
    ///   - previous: The history as it was billed before this event: `timeline` without the new event, at the
    ///     rates it was billed at.
    ///   - eventTime: The new event's cloud time.
    /// - Returns: The new state and the adjustment lines (none when the total does not change).
    package func rerated(
        timeline: [TimelineEntry],
        previous: [TimelineEntry],
        eventTime: BillingTime
    ) -> BillingStep {
        let until = max(self.billedUntil ?? eventTime, eventTime)
        let next = ResourceTimeline(timeline).replay(until: until)
        let delta = next.charged - self.charged
        guard !delta.isZero else { return BillingStep(billing: next, charge: nil) }
        let start = min(eventTime, self.billedUntil ?? eventTime)
        let differences = Self.rateDifferences(
            billed: self.billedUntil.map { ResourceTimeline(previous).segments(until: $0) } ?? [],
            inOrder: ResourceTimeline(timeline).segments(until: until)
        )
        var charges: [Charge] = []
        var exact = self.accrued
        var rounded = Money(units: Money.roundedQuotient(exact, Rate.accrualDenominator))
        for piece in differences {
            exact += piece.rate.accrual(microseconds: piece.end - piece.start)
            let total = Money(units: Money.roundedQuotient(exact, Rate.accrualDenominator))
            charges.append(
                Charge(start: piece.start, end: piece.end, rate: piece.rate, cost: total - rounded, cause: .rerate)
            )
            rounded = total
        }
        // The history billed so far always replays to what was billed; should it not, the last line (or one line)
        // keeps the ledger exact.
        let residue = delta - charges.reduce(Money.zero) { $0 + $1.cost }
        if !residue.isZero {
            if charges.isEmpty {
                charges.append(Charge(start: start, end: until, rate: .zero, cost: residue, cause: .rerate))
            } else {
                charges[charges.count - 1].cost += residue
            }
        }
        return BillingStep(billing: next, charges: charges.filter { !$0.cost.isZero || !$0.rate.isZero })
    }

    /// The signed rate difference `inOrder − billed` over each stretch where it is not zero, adjacent stretches of
    /// one difference merged.
    static func rateDifferences(
        billed: [(start: BillingTime, end: BillingTime, rate: Rate)],
        inOrder: [(start: BillingTime, end: BillingTime, rate: Rate)]
    ) -> [(start: BillingTime, end: BillingTime, rate: Rate)] {
        var cuts = Set<BillingTime>()
        for piece in billed + inOrder {
            cuts.insert(piece.start)
            cuts.insert(piece.end)
        }
        let points = cuts.sorted()
        func rate(_ pieces: [(start: BillingTime, end: BillingTime, rate: Rate)], at time: BillingTime) -> Rate {
            pieces.first { $0.start <= time && time < $0.end }?.rate ?? .zero
        }
        var result: [(start: BillingTime, end: BillingTime, rate: Rate)] = []
        for (from, to) in zip(points, points.dropFirst()) {
            let difference = Rate(
                unitsPerHour: rate(inOrder, at: from).unitsPerHour - rate(billed, at: from).unitsPerHour
            )
            guard !difference.isZero else { continue }
            if let last = result.last, last.end == from, last.rate == difference {
                result[result.count - 1].end = to
            } else {
                result.append((from, to, difference))
            }
        }
        return result
    }

    /// The cost of the open interval at `now`, rounded exactly as its consumption will be when it closes.
    /// - Parameter now: The instant.
    /// - Returns: The cost of `[B, now]`, or zero when nothing is open.
    package func openCost(at now: BillingTime) -> Money {
        guard self.isActive, let billedUntil = self.billedUntil, now > billedUntil, !self.rate.isZero else {
            return .zero
        }
        let total = self.accrued + self.rate.accrual(microseconds: now - billedUntil)
        return Money(units: Money.roundedQuotient(total, Rate.accrualDenominator)) - self.charged
    }
}

/// The result of one billing operation on a resource.
package struct BillingStep: Sendable, Hashable {
    /// The resource's new billing state.
    package var billing: ResourceBilling
    /// What to record as consumptions and take from the user's balance, in order (a re-rate may have several
    /// lines).
    package var charges: [Charge]

    /// The first (for every step but a re-rate, the only) charge.
    package var charge: Charge? { self.charges.first }

    /// A step with at most one charge.
    package init(billing: ResourceBilling, charge: Charge?) {
        self.billing = billing
        self.charges = charge.map { [$0] } ?? []
    }

    /// A step with several charges.
    package init(billing: ResourceBilling, charges: [Charge]) {
        self.billing = billing
        self.charges = charges
    }
}

/// A cost to record as a consumption.
package struct Charge: Sendable, Hashable {
    /// The interval's start.
    package var start: BillingTime
    /// The interval's end.
    package var end: BillingTime
    /// The rate over the interval.
    package var rate: Rate
    /// The exact stored cost (may be negative for a re-rate).
    package var cost: Money
    /// Why.
    package var cause: Consumption.Cause
}
