/// A billing account: one per Keystone project (Bilean calls a project a "user").
package struct User: Sendable, Hashable {
    /// The Keystone project id.
    package var id: String
    /// The project name, if known.
    package var name: String?
    /// The attached policy; `nil` means the default policy.
    package var policyID: String?
    /// The settled balance: recharges minus every stored consumption.
    package var balance: Money
    /// The sum of the rates of the user's resources.
    package var rate: Rate
    /// The sums over the user's open intervals that make its balance and its notify and freeze instants O(1).
    package var accrual: OpenAccrual
    /// How far below zero the balance may go before the user is frozen.
    package var credit: Money
    /// The last settlement or billing change of the account.
    package var lastBill: BillingTime?
    /// The billing status.
    package var status: UserStatus
    /// Why the status is what it is.
    package var statusReason: String?
    /// When the account was created.
    package var createdAt: BillingTime
    /// When the account last changed.
    package var updatedAt: BillingTime?
    /// When the project was deleted (soft delete).
    package var deletedAt: BillingTime?
    /// While frozen: the instant billing stopped. Events from then on are recorded at rate 0; earlier ones (late
    /// deliveries) are priced as usual.
    package var frozenAt: BillingTime?
    /// While the balance is at or below −credit (or predicted to reach it): the instant it does. The grace
    /// period (`[freeze] grace_period`) counts from it.
    package var overdrawnAt: BillingTime?
    /// When the shown balance reaches 0 if nothing changes (`nil` when nothing is billed). Presented only, never
    /// stored.
    package var runOutAt: BillingTime?
    /// When the balance reaches −credit, the freeze, if nothing changes (`nil` when nothing is billed). Presented
    /// only, never stored.
    package var freezeAt: BillingTime?

    /// Creates a user.
    package init(
        id: String,
        name: String? = nil,
        policyID: String? = nil,
        balance: Money = .zero,
        rate: Rate = .zero,
        accrual: OpenAccrual = .zero,
        credit: Money = .zero,
        lastBill: BillingTime? = nil,
        status: UserStatus = .initial,
        statusReason: String? = nil,
        createdAt: BillingTime,
        updatedAt: BillingTime? = nil,
        deletedAt: BillingTime? = nil,
        frozenAt: BillingTime? = nil,
        overdrawnAt: BillingTime? = nil
    ) {
        self.id = id
        self.name = name
        self.policyID = policyID
        self.balance = balance
        self.rate = rate
        self.accrual = accrual
        self.credit = credit
        self.lastBill = lastBill
        self.status = status
        self.statusReason = statusReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.frozenAt = frozenAt
        self.overdrawnAt = overdrawnAt
    }
}
