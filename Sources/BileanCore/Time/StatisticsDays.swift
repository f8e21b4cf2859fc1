/// The UTC days of a statistics window (`GET /v1/consumptions/statistics?interval=day`).
///
/// The window `[start, end)` is cut at each UTC midnight. Each part is a window of its own: costs are clipped to it
/// exactly as to any `start_time`/`end_time` window, so a consumption that crosses midnight counts in each day in
/// proportion to time, each part rounded half-even once. The first and last days are partial when the window does
/// not start or end at midnight.
package struct StatisticsDays: Sendable, Hashable {
    /// One day's part of the window.
    package struct Day: Sendable, Hashable {
        /// The UTC midnight that starts the day.
        package var day: BillingTime
        /// Where the day's part of the window starts (the midnight, or the window's start).
        package var start: BillingTime
        /// Where it ends, excluded (the next midnight, or the window's end).
        package var end: BillingTime
    }

    /// The most days one query may cover (a leap year).
    package static let maximumDays = 366

    /// The days, oldest first; none when the window is empty.
    package let days: [Day]

    /// Cuts a query's window into its UTC days.
    /// - Parameter query: The query; `interval=day` needs both ends of its window.
    /// - Throws: ``BileanError/invalid(_:_:)`` when either end is missing, or for a window
    ///   ``init(start:end:)`` refuses.
    package init(_ query: ListQuery) throws(BileanError) {
        guard let start = query.start else {
            throw BileanError.invalid("start_time", "interval=day needs start_time")
        }
        guard let end = query.end else {
            throw BileanError.invalid("end_time", "interval=day needs end_time")
        }
        try self.init(start: start, end: end)
    }

    /// Cuts a window into its UTC days.
    /// - Parameters:
    ///   - start: The window's start.
    ///   - end: The window's end, excluded.
    /// - Throws: ``BileanError/invalid(_:_:)`` when `end` is before `start`, or the window spans more than
    ///   ``maximumDays`` days.
    package init(start: BillingTime, end: BillingTime) throws(BileanError) {
        guard end >= start else {
            throw BileanError.invalid("end_time", "end_time must not be before start_time")
        }
        let perDay = BillingTime.microsecondsPerDay
        let first = Self.midnight(atOrBefore: start)
        let count = end == start ? 0 : (Self.midnight(atOrBefore: end.adding(microseconds: -1)) - first) / perDay + 1
        guard count <= Int64(Self.maximumDays) else {
            throw BileanError.invalid(
                "interval",
                "interval=day covers at most \(Self.maximumDays) days; this window covers \(count)"
            )
        }
        var days: [Day] = []
        days.reserveCapacity(Int(count))
        var midnight = first
        while midnight < end {
            let next = midnight.adding(microseconds: perDay)
            days.append(Day(day: midnight, start: max(midnight, start), end: min(next, end)))
            midnight = next
        }
        self.days = days
    }

    /// The UTC midnight at or before an instant (floored, also before 1970).
    /// - Parameter time: The instant.
    /// - Returns: The midnight that starts its day.
    package static func midnight(atOrBefore time: BillingTime) -> BillingTime {
        let perDay = BillingTime.microsecondsPerDay
        let remainder = time.microseconds % perDay
        let floored = time.microseconds - (remainder < 0 ? remainder + perDay : remainder)
        return BillingTime(microseconds: floored)
    }
}
