import BileanCore
import Testing

/// The pure part of a re-rating: which entries a window re-prices, where its edges add markers, and which stretches
/// are frozen.
@Suite("Re-rating plan")
struct ReratingPlanTests {
    static let hour: Int64 = 3_600_000_000
    static func at(_ hours: Int64) -> BillingTime { BillingTime(microseconds: 1_700_000_000_000_000 + hours * hour) }
    static func rate(_ units: Int) -> Rate { .perHour(Money(integer: units)) }
    static func entry(_ id: String, _ action: ResourceEvent.Action, _ hours: Int64, _ units: Int) -> TimelineEntry {
        TimelineEntry(time: Self.at(hours), action: action, rate: Self.rate(units), messageID: id)
    }

    /// Billed: 1 from 0 h, 2 from 10 h, deleted at 20 h.
    static let history = [entry("a", .create, 0, 1), entry("b", .update, 10, 2), entry("c", .delete, 20, 0)]

    @Test func theWindowRepricesItsEntriesAndMarksItsEdges() {
        let plan = ReratingPlan(
            canonical: Self.history,
            draftRates: [Self.rate(3), Self.rate(5), nil],
            window: Self.at(5)..<Self.at(15),
            markerIDs: ("start", "end")
        )
        #expect(plan.changed == [ReratingPlan.Change(index: 1, rate: Self.rate(5))])
        #expect(plan.startMarker?.inForce == 0)
        #expect(plan.startMarker?.entry == Self.entry("start", .update, 5, 3))
        #expect(plan.endMarker?.inForce == 1)
        #expect(plan.endMarker?.entry == Self.entry("end", .update, 15, 2))
        #expect(
            plan.entries.map(\.messageID) == ["a", "start", "b", "end", "c"]
        )
        // 5 h at 1, 5 h at 3, 5 h at 5, 5 h at 2 (as billed outside the window).
        let replayed = ResourceTimeline(plan.entries).replay(until: Self.at(30))
        #expect(replayed.charged == Money(integer: 5 + 15 + 25 + 10))
        #expect(
            ReratingPlan.accrual(Self.history, within: Self.at(5)..<Self.at(15), until: Self.at(30))
                == Self.rate(1).accrual(microseconds: 5 * Self.hour) + Self.rate(2).accrual(microseconds: 5 * Self.hour)
        )
    }

    @Test func noMarkerWhereTheResourceIsNotBilledOrAnEntryStartsTheStretch() {
        // The window starts at the creation and ends after the deletion: no marker at all.
        let whole = ReratingPlan(
            canonical: Self.history,
            draftRates: [Self.rate(3), Self.rate(5), nil],
            window: Self.at(0)..<Self.at(25),
            markerIDs: ("start", "end")
        )
        #expect(whole.startMarker == nil && whole.endMarker == nil)
        #expect(whole.changed.map(\.index) == [0, 1])
        #expect(whole.changed.map(\.rate) == [Self.rate(3), Self.rate(5)])
        // An entry the draft does not price (nil) keeps its rate, and a marker in its stretch keeps it too.
        let kept = ReratingPlan(
            canonical: Self.history,
            draftRates: [nil, Self.rate(5), nil],
            window: Self.at(5)..<Self.at(15),
            markerIDs: ("start", "end")
        )
        #expect(kept.startMarker?.entry.rate == Self.rate(1))
        #expect(kept.changed.map(\.index) == [1])
    }

    @Test func frozenStretchesRunFromAFreezeToItsThaw() {
        let entries = [
            Self.entry("a", .create, 0, 1), Self.entry("freeze-1", .update, 5, 0), Self.entry("x", .update, 6, 0),
            Self.entry("thaw-1", .update, 8, 1), Self.entry("y", .update, 9, 2), Self.entry("freeze-2", .update, 12, 0),
            Self.entry("z", .update, 13, 0),
        ]
        #expect(
            ReratingPlan.frozen(entries, frozenSince: Self.at(12))
                == [false, true, true, false, false, true, true]
        )
        // Frozen now, the resource created during the freeze: everything from the freeze on.
        #expect(
            ReratingPlan.frozen([Self.entry("n", .create, 20, 0)], frozenSince: Self.at(12)) == [true]
        )
        #expect(ReratingPlan.frozen([Self.entry("n", .create, 20, 0)], frozenSince: nil) == [false])
    }
}
