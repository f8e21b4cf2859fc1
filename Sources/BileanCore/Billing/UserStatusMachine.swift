/// The user status machine: INIT → FREE → ACTIVE → WARNING → FREEZE, and back as the balance allows.
///
/// Pure: each trigger returns the new status and the actions the engine (or the scheduler) must carry out.
package struct UserStatusMachine: Sendable {
    /// What happened to the account.
    package enum Trigger: Sendable, Hashable {
        /// Money was added.
        case recharged
        /// The total rate changed (a resource was created, re-priced or deleted), or the account was settled.
        case billingChanged
        /// The scheduler's notify job fell due.
        case notifyDue
        /// The scheduler's freeze job fell due.
        case freezeDue
    }

    /// What the caller must do after a transition.
    package enum Action: Sendable, Hashable {
        /// Send a `billing.notify` warning: the balance runs out soon.
        case sendWarning
        /// Settle, stop billing, and stop or delete the user's resources per `[freeze] action`.
        case freezeResources
        /// The user left FREEZE: billing may resume.
        case thawResources
    }

    /// The account figures a transition depends on.
    package struct Account: Sendable, Hashable {
        /// The real-time balance now.
        package var balance: Money
        /// The total rate.
        package var rate: Rate
        /// How far below zero the balance may go.
        package var credit: Money
        /// When the notify job falls due (`nil`: never).
        package var notifyAt: BillingTime?
        /// Now.
        package var now: BillingTime
        /// Whether the balance is at or below −credit (judged exactly by the engine; by default from `balance`).
        package var isOverdrawn: Bool

        /// Creates the figures.
        package init(
            balance: Money,
            rate: Rate,
            credit: Money,
            notifyAt: BillingTime?,
            now: BillingTime,
            isOverdrawn: Bool? = nil
        ) {
            self.balance = balance
            self.rate = rate
            self.credit = credit
            self.notifyAt = notifyAt
            self.now = now
            self.isOverdrawn = isOverdrawn ?? (balance <= Money.zero - credit)
        }
    }

    /// The outcome of a trigger.
    package struct Transition: Sendable, Hashable {
        /// The new status.
        package var status: UserStatus
        /// Why.
        package var reason: String
        /// What to do.
        package var actions: [Action]
    }

    /// Creates the machine.
    package init() {}

    /// Computes the transition for a trigger.
    /// - Parameters:
    ///   - status: The current status.
    ///   - trigger: What happened.
    ///   - account: The account's figures.
    /// - Returns: The new status, its reason and the actions to run.
    package func transition(from status: UserStatus, on trigger: Trigger, account: Account) -> Transition {
        switch trigger {
        case .freezeDue:
            switch status {
            case .freeze:
                return Transition(status: .freeze, reason: "Balance overdrawn", actions: [])
            case .initial, .free, .active, .warning:
                if !account.isOverdrawn {
                    // Stale job: a recharge or deletion came first.
                    return self.settled(status, account)
                }
                return Transition(status: .freeze, reason: "Balance overdrawn", actions: [.freezeResources])
            }
        case .notifyDue:
            switch status {
            case .freeze, .free, .warning:
                return Transition(status: status, reason: Self.reason(status), actions: [])
            case .initial, .active:
                return self.settled(status, account)
            }
        case .recharged:
            switch status {
            case .freeze:
                guard !account.isOverdrawn else {
                    return Transition(status: .freeze, reason: "Balance overdrawn", actions: [])
                }
                var next = self.settled(.active, account)
                next.actions.insert(.thawResources, at: 0)
                return next
            case .initial, .free, .active, .warning:
                return self.settled(status == .initial ? .free : status, account)
            }
        case .billingChanged:
            switch status {
            case .freeze:
                // A deletion or a late event that re-rated the past may cover the overdraft: thaw as a recharge does.
                guard !account.isOverdrawn else {
                    return Transition(status: .freeze, reason: "Balance overdrawn", actions: [])
                }
                var next = self.settled(.active, account)
                next.actions.insert(.thawResources, at: 0)
                return next
            case .initial:
                return Transition(status: status, reason: Self.reason(status), actions: [])
            case .free, .active, .warning:
                return self.settled(status, account)
            }
        }
    }

    /// The status the figures allow for a funded, unfrozen account.
    private func settled(_ status: UserStatus, _ account: Account) -> Transition {
        if account.rate.isZero {
            let next: UserStatus = status == .initial ? .initial : .free
            return Transition(status: next, reason: Self.reason(next), actions: [])
        }
        if let notifyAt = account.notifyAt, notifyAt <= account.now {
            let actions: [Action] = status == .warning ? [] : [.sendWarning]
            return Transition(status: .warning, reason: Self.reason(.warning), actions: actions)
        }
        if status == .initial {
            return Transition(status: .initial, reason: Self.reason(.initial), actions: [])
        }
        return Transition(status: .active, reason: Self.reason(.active), actions: [])
    }

    private static func reason(_ status: UserStatus) -> String {
        switch status {
        case .initial: return "Not funded yet"
        case .free: return "Nothing is billed"
        case .active: return "Billing"
        case .warning: return "The balance runs out soon"
        case .freeze: return "Balance overdrawn"
        }
    }
}
