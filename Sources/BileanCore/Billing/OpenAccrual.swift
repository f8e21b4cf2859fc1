/// What a user's open billing intervals add up to, kept per user so that its balance at any instant and the
/// instant it reaches a threshold are O(1) to compute, whatever the number of resources.
///
/// With `R_r` the rate, `B_r` the billing point, `A_r` the exact accrual and `C_r = round(A_r / D)` the charged
/// total of each billed resource `r` (``ResourceBilling``), the exact cost of the open intervals at `t` is
/// `Σ (A_r + R_r·(t − B_r) − D·C_r) / D = (residue + rate·t − weightedStart) / D`, where `rate = Σ R_r` is the
/// user's ``User/rate``, `weightedStart = Σ R_r·B_r` and `residue = Σ (A_r − D·C_r)` (each term is less than `D/2`
/// in magnitude: what rounding the charged total left over). Only resources that are active with a non-zero rate
/// contribute; the engine moves the sums by each resource's change of contribution.
package struct OpenAccrual: Sendable, Hashable {
    /// `Σ R_r·B_r` in money units per hour × microseconds.
    package var weightedStart: Int128
    /// `Σ (A_r − D·C_r)`, over ``Rate/accrualDenominator``.
    package var residue: Int128
    /// How many resources contribute.
    package var count: Int

    /// Nothing open.
    package static let zero = OpenAccrual(weightedStart: 0, residue: 0, count: 0)

    /// Creates the sums.
    package init(weightedStart: Int128, residue: Int128, count: Int) {
        self.weightedStart = weightedStart
        self.residue = residue
        self.count = count
    }

    /// What one resource contributes.
    /// - Parameter billing: The resource's billing state.
    /// - Returns: Its contribution (zero unless it is active, billed, and at a non-zero rate).
    package static func contribution(of billing: ResourceBilling) -> OpenAccrual {
        guard billing.isActive, let billedUntil = billing.billedUntil, !billing.rate.isZero else { return .zero }
        let charged = billing.charged.units * Rate.accrualDenominator
        return OpenAccrual(
            weightedStart: billing.rate.unitsPerHour * Int128(billedUntil.microseconds),
            residue: billing.accrued - charged,
            count: 1
        )
    }

    /// The sums over resources, by recomputing them (for migrations and checks).
    /// - Parameter resources: The billing states.
    /// - Returns: The sums.
    package static func summing(_ resources: some Sequence<ResourceBilling>) -> OpenAccrual {
        resources.reduce(.zero) { $0 + Self.contribution(of: $1) }
    }

    /// Moves the sums by a resource's change of billing state.
    /// - Parameters:
    ///   - before: Its state before.
    ///   - after: Its state after.
    package mutating func move(from before: ResourceBilling, to after: ResourceBilling) {
        self = self - Self.contribution(of: before) + Self.contribution(of: after)
    }

    /// The sum of two.
    package static func + (lhs: OpenAccrual, rhs: OpenAccrual) -> OpenAccrual {
        OpenAccrual(
            weightedStart: lhs.weightedStart + rhs.weightedStart,
            residue: lhs.residue + rhs.residue,
            count: lhs.count + rhs.count
        )
    }

    /// The difference of two.
    package static func - (lhs: OpenAccrual, rhs: OpenAccrual) -> OpenAccrual {
        OpenAccrual(
            weightedStart: lhs.weightedStart - rhs.weightedStart,
            residue: lhs.residue - rhs.residue,
            count: lhs.count - rhs.count
        )
    }
}
