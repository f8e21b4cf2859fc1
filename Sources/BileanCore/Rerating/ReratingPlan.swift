/// How a draft re-prices one resource's history within a window: the pure part of a re-rating.
///
/// Within `[start, end)` each entry the draft covers takes its draft rate. An entry in force since before the
/// window gets a marker at its start (a re-price of the same properties at the draft rate), and the entry in force
/// at its end a marker there that restores the billed rate, so that nothing outside the window changes. Replaying
/// ``entries`` gives what in-order delivery under the draft prices would have billed.
package struct ReratingPlan: Sendable, Hashable {
    /// A re-price entry the plan adds at one of the window's edges.
    package struct Marker: Sendable, Hashable {
        /// The entry.
        package var entry: TimelineEntry
        /// The index (in the input) of the entry in force at the edge, whose properties the marker re-prices.
        package var inForce: Int
    }

    /// The history with the draft rates, markers included, in canonical order.
    package var entries: [TimelineEntry]
    /// An entry of the input whose rate the draft changes.
    package struct Change: Sendable, Hashable {
        /// Its index in the input.
        package var index: Int
        /// Its rate under the draft.
        package var rate: Rate

        /// Creates a change.
        package init(index: Int, rate: Rate) {
            self.index = index
            self.rate = rate
        }
    }

    /// The entries of the input whose rate changes, in input order, with their new rates.
    package var changed: [Change]
    /// The marker at the window's start, if the resource was billed from before it.
    package var startMarker: Marker?
    /// The marker at the window's end, if the resource is still billed after it.
    package var endMarker: Marker?

    /// Plans a re-rating of one resource.
    /// - Parameters:
    ///   - canonical: The history, in canonical order (``ResourceTimeline/precedes(_:_:)``).
    ///   - draftRates: For each entry, its rate under the draft, or `nil` when the draft does not price it (a
    ///     deletion, a frozen stretch, another rule's).
    ///   - window: The re-rated window.
    ///   - markerIDs: The message ids of the start and end markers.
    package init(
        canonical: [TimelineEntry],
        draftRates: [Rate?],
        window: Range<BillingTime>,
        markerIDs: (start: String, end: String)
    ) {
        var entries = canonical
        var changed: [Change] = []
        for index in canonical.indices where canonical[index].action != .delete {
            guard window.contains(canonical[index].time), let draft = draftRates[index] else { continue }
            if draft != canonical[index].rate {
                entries[index].rate = draft
                changed.append(Change(index: index, rate: draft))
            }
        }
        let pricing = canonical.indices.filter { canonical[$0].action != .delete }
        let started = pricing.first.map { canonical[$0].time }
        let ended = canonical.first { $0.action == .delete }.map { max($0.time, started ?? $0.time) }
        func billed(at instant: BillingTime) -> Bool {
            guard let started, started < instant else { return false }
            return ended.map { $0 > instant } ?? true
        }
        func inForce(before instant: BillingTime) -> Int? {
            pricing.last { canonical[$0].time < instant }
        }
        func hasEntry(at instant: BillingTime) -> Bool {
            pricing.contains { canonical[$0].time == instant }
        }
        self.startMarker = nil
        self.endMarker = nil
        if billed(at: window.lowerBound), !hasEntry(at: window.lowerBound),
            let index = inForce(before: window.lowerBound)
        {
            let marker = Marker(
                entry: TimelineEntry(
                    time: window.lowerBound,
                    action: .update,
                    rate: draftRates[index] ?? canonical[index].rate,
                    messageID: markerIDs.start
                ),
                inForce: index
            )
            entries.append(marker.entry)
            self.startMarker = marker
        }
        if billed(at: window.upperBound), !hasEntry(at: window.upperBound),
            let index = inForce(before: window.upperBound)
        {
            let marker = Marker(
                entry: TimelineEntry(
                    time: window.upperBound,
                    action: .update,
                    rate: canonical[index].rate,
                    messageID: markerIDs.end
                ),
                inForce: index
            )
            entries.append(marker.entry)
            self.endMarker = marker
        }
        self.entries = entries.sorted(by: ResourceTimeline.precedes)
        self.changed = changed
    }

    /// Which entries of a history lie in a frozen stretch, where nothing is billed and no draft re-prices: a
    /// freeze's stop entry (`freeze-…`) and what follows it up to the thaw's re-price (`thaw-…`); with no thaw
    /// after them, the entries from `frozenSince` on (the user is frozen now).
    /// - Parameters:
    ///   - canonical: The history, in canonical order.
    ///   - frozenSince: When the user was frozen, if it is frozen now.
    /// - Returns: One flag per entry.
    package static func frozen(_ canonical: [TimelineEntry], frozenSince: BillingTime?) -> [Bool] {
        var result = [Bool](repeating: false, count: canonical.count)
        var nextIsThaw: Bool?
        for index in canonical.indices.reversed() {
            let id = canonical[index].messageID
            if id.hasPrefix("freeze-") {
                result[index] = true
                nextIsThaw = false
            } else if id.hasPrefix("thaw-") {
                nextIsThaw = true
            } else if let nextIsThaw {
                result[index] = nextIsThaw
            } else if let frozenSince {
                result[index] = canonical[index].time >= frozenSince
            }
        }
        return result
    }

    /// The exact accrual of a history's billed stretches clipped to a window, over ``Rate/accrualDenominator``.
    /// - Parameters:
    ///   - canonical: The history.
    ///   - window: The window.
    ///   - until: The billing point (the open interval is billed up to here).
    /// - Returns: The accrual.
    package static func accrual(
        _ canonical: [TimelineEntry],
        within window: Range<BillingTime>,
        until: BillingTime
    ) -> Int128 {
        var total: Int128 = 0
        for piece in ResourceTimeline(canonical).segments(until: until) {
            let from = max(piece.start, window.lowerBound)
            let to = min(piece.end, window.upperBound)
            if to > from { total += piece.rate.accrual(microseconds: to - from) }
        }
        return total
    }
}
