/// A time of day in UTC, to the second (`[scheduler] daily_settlement_time`).
package struct TimeOfDay: Sendable, Hashable, CustomStringConvertible {
    /// Seconds after midnight UTC, 0 ..< 86400.
    package let secondsAfterMidnight: Int64

    /// Midnight UTC.
    package static let midnight = TimeOfDay(secondsAfterMidnight: 0)

    /// Creates a time of day.
    /// - Parameter secondsAfterMidnight: Seconds after midnight UTC; reduced modulo one day.
    package init(secondsAfterMidnight: Int64) {
        let day: Int64 = 86_400
        self.secondsAfterMidnight = ((secondsAfterMidnight % day) + day) % day
    }

    /// Parses `HH:MM` or `HH:MM:SS` (24-hour clock, UTC).
    /// - Parameter text: The text.
    /// - Returns: The time, or `nil` when the text is not such a time.
    package init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var values: [Int64] = []
        for part in parts {
            guard part.count == 2, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(part) else {
                return nil
            }
            values.append(value)
        }
        let seconds = values.count == 3 ? values[2] : 0
        guard values[0] < 24, values[1] < 60, seconds < 60 else { return nil }
        self.init(secondsAfterMidnight: values[0] * 3600 + values[1] * 60 + seconds)
    }

    /// The first instant strictly after `time` that falls at this time of day.
    /// - Parameter time: The instant.
    /// - Returns: The next occurrence.
    package func nextOccurrence(after time: BillingTime) -> BillingTime {
        let day = BillingTime.microsecondsPerDay
        let offset = self.secondsAfterMidnight * BillingTime.microsecondsPerSecond
        let micros = time.microseconds
        // Floor division: instants before 1970 have negative microseconds.
        let dayStart = (micros >= 0 ? micros / day : (micros - day + 1) / day) * day
        var candidate = dayStart + offset
        if candidate <= micros { candidate += day }
        return BillingTime(microseconds: candidate)
    }

    /// `HH:MM:SS`.
    package var description: String {
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let hours = self.secondsAfterMidnight / 3600
        let minutes = self.secondsAfterMidnight / 60 % 60
        return "\(two(hours)):\(two(minutes)):\(two(self.secondsAfterMidnight % 60))"
    }
}
