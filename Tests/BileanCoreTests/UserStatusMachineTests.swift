import Testing

@testable import BileanCore

private let now = BillingTime(seconds: 1_700_000_000)

private let billing = Rate.perHour(Money(integer: 1))

/// The account figures at ``now``; `notifyIn` is the notify job's delay from now in seconds (`nil`: never).
private func account(
    balance: Int,
    rate: Rate = billing,
    credit: Int = 0,
    notifyIn: Int64? = 3600
) -> UserStatusMachine.Account {
    UserStatusMachine.Account(
        balance: Money(integer: balance),
        rate: rate,
        credit: Money(integer: credit),
        notifyAt: notifyIn.map { now.adding(seconds: $0) },
        now: now
    )
}

@Suite("UserStatusMachine")
struct UserStatusMachineTests {
    let machine = UserStatusMachine()

    private func go(
        _ status: UserStatus,
        _ trigger: UserStatusMachine.Trigger,
        _ account: UserStatusMachine.Account
    ) -> UserStatusMachine.Transition {
        self.machine.transition(from: status, on: trigger, account: account)
    }

    // MARK: Recharge

    @Test func initRechargedWithNothingBilledBecomesFree() {
        let next = self.go(.initial, .recharged, account(balance: 10, rate: .zero, notifyIn: nil))
        #expect(next.status == .free)
        #expect(next.actions.isEmpty)
        #expect(next.reason == "Nothing is billed")
    }

    @Test func initRechargedWhileBilledBecomesActive() {
        let next = self.go(.initial, .recharged, account(balance: 10, notifyIn: 3600))
        #expect(next.status == .active)
        #expect(next.actions.isEmpty)
        // No notify job at all (e.g. nothing will ever run out) is not a warning either.
        #expect(self.go(.initial, .recharged, account(balance: 10, notifyIn: nil)).status == .active)
    }

    @Test(arguments: [Int64(0), -1, -3600])
    func initRechargedTooLittleBecomesWarningAndWarns(notifyIn: Int64) {
        // notifyAt ≤ now: the balance will run out within the notify window.
        let next = self.go(.initial, .recharged, account(balance: 1, notifyIn: notifyIn))
        #expect(next.status == .warning)
        #expect(next.actions == [.sendWarning])
    }

    @Test func warningRechargedPastTheWindowBecomesActive() {
        let next = self.go(.warning, .recharged, account(balance: 100, notifyIn: 1))
        #expect(next.status == .active)
        #expect(next.actions.isEmpty)
    }

    @Test func warningRechargedNotEnoughStaysWarningWithoutANewWarning() {
        let next = self.go(.warning, .recharged, account(balance: 1, notifyIn: 0))
        #expect(next.status == .warning)
        #expect(next.actions.isEmpty)
    }

    @Test func activeRechargedStaysActive() {
        let next = self.go(.active, .recharged, account(balance: 100))
        #expect(next.status == .active)
        #expect(next.actions.isEmpty)
    }

    @Test func freeRechargedStaysFree() {
        let next = self.go(.free, .recharged, account(balance: 100, rate: .zero, notifyIn: nil))
        #expect(next.status == .free)
        #expect(next.actions.isEmpty)
    }

    @Test(arguments: [-1, -5, -100])
    func freezeRechargedNotEnoughStaysFrozen(balance: Int) {
        // Credit 1: still at or below −1.
        let next = self.go(.freeze, .recharged, account(balance: balance, credit: 1, notifyIn: -10))
        #expect(next.status == .freeze)
        #expect(next.actions.isEmpty)
    }

    @Test func freezeRechargedEnoughThawsFirstThenActive() {
        let next = self.go(.freeze, .recharged, account(balance: 50, credit: 1, notifyIn: 3600))
        #expect(next.status == .active)
        #expect(next.actions == [.thawResources])
    }

    @Test func freezeRechargedEnoughWithNothingBilledThawsThenFree() {
        let next = self.go(.freeze, .recharged, account(balance: 50, rate: .zero, notifyIn: nil))
        #expect(next.status == .free)
        #expect(next.actions == [.thawResources])
    }

    @Test func freezeRechargedJustAboveTheCreditThawsThenWarns() {
        // Balance 0 with credit 1 is above −1, but it runs out within the window.
        let next = self.go(.freeze, .recharged, account(balance: 0, credit: 1, notifyIn: 0))
        #expect(next.status == .warning)
        #expect(next.actions == [.thawResources, .sendWarning])
    }

    // MARK: Billing changed

    @Test(arguments: [UserStatus.active, .warning, .free])
    func billingStoppedBecomesFree(status: UserStatus) {
        let next = self.go(status, .billingChanged, account(balance: 10, rate: .zero, notifyIn: nil))
        #expect(next.status == .free)
        #expect(next.actions.isEmpty)
    }

    @Test func freeStartsBillingBecomesActive() {
        let next = self.go(.free, .billingChanged, account(balance: 10, notifyIn: 60))
        #expect(next.status == .active)
        #expect(next.actions.isEmpty)
    }

    @Test func activeWithANewResourceThatBringsNotifyDueBecomesWarning() {
        let next = self.go(.active, .billingChanged, account(balance: 1, notifyIn: 0))
        #expect(next.status == .warning)
        #expect(next.actions == [.sendWarning])
    }

    @Test func warningAfterADeletionBecomesActive() {
        let next = self.go(.warning, .billingChanged, account(balance: 1, notifyIn: 7200))
        #expect(next.status == .active)
        #expect(next.actions.isEmpty)
    }

    @Test func billingChangedDoesNotMoveInit() {
        for figures in [
            account(balance: 100, notifyIn: 3600),
            account(balance: 100, rate: .zero, notifyIn: nil),
            account(balance: -100, notifyIn: -1),
        ] {
            let next = self.go(.initial, .billingChanged, figures)
            #expect(next.status == .initial)
            #expect(next.actions.isEmpty)
        }
    }

    @Test func billingChangedThawsAFrozenUserOnlyWhenTheOverdraftIsCovered() {
        // A deletion or a late event that re-rated the past covers the overdraft: thawed, as by a recharge.
        let covered = self.go(.freeze, .billingChanged, account(balance: 100, notifyIn: 3600))
        #expect(covered.status == .active)
        #expect(covered.actions == [.thawResources])
        let idle = self.go(.freeze, .billingChanged, account(balance: 100, rate: .zero, notifyIn: nil))
        #expect(idle.status == .free)
        #expect(idle.actions == [.thawResources])
        // Still overdrawn (exactly at −credit counts): stays frozen, nothing to do.
        for figures in [account(balance: -100, notifyIn: -1), account(balance: 0, notifyIn: -1)] {
            let next = self.go(.freeze, .billingChanged, figures)
            #expect(next.status == .freeze)
            #expect(next.actions.isEmpty)
        }
    }

    // MARK: Scheduler jobs

    @Test func notifyDueOnActiveWarns() {
        let next = self.go(.active, .notifyDue, account(balance: 1, notifyIn: 0))
        #expect(next.status == .warning)
        #expect(next.actions == [.sendWarning])
        #expect(next.reason == "The balance runs out soon")
    }

    @Test func staleNotifyDueOnActiveStaysActive() {
        // A recharge moved the notify instant into the future before the job ran.
        let next = self.go(.active, .notifyDue, account(balance: 100, notifyIn: 600))
        #expect(next.status == .active)
        #expect(next.actions.isEmpty)
    }

    @Test func notifyDueOnWarningDoesNothing() {
        let next = self.go(.warning, .notifyDue, account(balance: 1, notifyIn: 0))
        #expect(next.status == .warning)
        #expect(next.actions.isEmpty)
    }

    @Test(arguments: [UserStatus.free, .freeze])
    func notifyDueOnFreeOrFreezeDoesNothing(status: UserStatus) {
        let next = self.go(status, .notifyDue, account(balance: -1, notifyIn: 0))
        #expect(next.status == status)
        #expect(next.actions.isEmpty)
    }

    @Test func notifyDueOnABilledInitUserWarns() {
        // A project first seen through a resource: billed from balance 0, warned like any other.
        let next = self.go(.initial, .notifyDue, account(balance: 0, credit: 10, notifyIn: 0))
        #expect(next.status == .warning)
        #expect(next.actions == [.sendWarning])
    }

    @Test func initWithNothingBilledStaysInitAndSaysWhy() {
        // A stale job on a user that is not funded and not billed: INIT stays INIT, and its reason is INIT's.
        let notify = self.go(.initial, .notifyDue, account(balance: 0, rate: .zero, notifyIn: nil))
        #expect(notify.status == .initial)
        #expect(notify.actions.isEmpty)
        #expect(notify.reason == "Not funded yet")
        let freeze = self.go(.initial, .freezeDue, account(balance: 0, rate: .zero, credit: 1, notifyIn: nil))
        #expect(freeze.status == .initial)
        #expect(freeze.reason == "Not funded yet")
    }

    @Test(arguments: [UserStatus.active, .warning, .initial, .free])
    func freezeDueFreezes(status: UserStatus) {
        // Balance −2 with credit 2: at −credit, which freezes.
        let next = self.go(status, .freezeDue, account(balance: -2, credit: 2, notifyIn: -100))
        #expect(next.status == .freeze)
        #expect(next.actions == [.freezeResources])
        #expect(next.reason == "Balance overdrawn")
    }

    @Test func staleFreezeDueDoesNotFreeze() {
        // Balance −1 is above −credit (−2): a recharge or deletion came first.
        let warning = self.go(.warning, .freezeDue, account(balance: -1, credit: 2, notifyIn: -100))
        #expect(warning.status == .warning)
        #expect(warning.actions.isEmpty)
        let active = self.go(.active, .freezeDue, account(balance: 100, notifyIn: 3600))
        #expect(active.status == .active)
        #expect(active.actions.isEmpty)
        // A stale job on an ACTIVE user now inside the window warns instead.
        let late = self.go(.active, .freezeDue, account(balance: 1, notifyIn: -1))
        #expect(late.status == .warning)
        #expect(late.actions == [.sendWarning])
    }

    @Test func freezeDueOnFreezeDoesNothingMore() {
        let next = self.go(.freeze, .freezeDue, account(balance: -50, credit: 2, notifyIn: -100))
        #expect(next.status == .freeze)
        #expect(next.actions.isEmpty)
    }
}
