package import Foundation

/// An instant in UTC with microsecond resolution: microseconds since 1970-01-01T00:00:00Z.
///
/// Timestamps are parsed and formatted with integer arithmetic only (Howard Hinnant's `days_from_civil` and
/// `civil_from_days`), never with `DateFormatter` or `Calendar`, so the result does not depend on the locale,
/// the time zone or the platform. ``iso8601`` always prints six fraction digits and `Z`, and
/// `BillingTime(parsing: t.iso8601) == t` for every instant in the years 0001–9999.
///
/// The arithmetic (``adding(microseconds:)``, ``adding(seconds:)``, `-`, ``init(seconds:)``) is plain Int64
/// arithmetic; it covers about ±292,000 years and traps only beyond that.
package struct BillingTime: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The number of microseconds in one second.
    package static let microsecondsPerSecond: Int64 = 1_000_000

    /// The number of microseconds in one day.
    package static let microsecondsPerDay: Int64 = 86_400 * microsecondsPerSecond

    /// Microseconds since 1970-01-01T00:00:00Z; negative before.
    package var microseconds: Int64

    /// Creates an instant from microseconds since 1970-01-01T00:00:00Z.
    /// - Parameter microseconds: The signed number of microseconds.
    package init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// Creates an instant from whole seconds since 1970-01-01T00:00:00Z.
    /// - Parameter seconds: The signed number of seconds.
    package init(seconds: Int64) {
        self.microseconds = seconds * Self.microsecondsPerSecond
    }

    // MARK: Parsing

    /// Parses an ISO 8601 / RFC 3339 timestamp in any of the forms OpenStack sends:
    ///
    /// - `2016-05-04 10:00:00.123456` (space separator, no zone: UTC)
    /// - `2016-05-04T10:00:00Z`, `2016-05-04t10:00:00z`
    /// - `2016-05-04T10:00:00.123456+00:00`, `2016-05-04T12:00:00+02:00`
    /// - `2016-05-04T10:00:00-0530`, `2016-05-04T10:00:00+05`
    ///
    /// The date is `YYYY-MM-DD` with a year 0001–9999 and a day valid for its month (leap years included); the
    /// time is `hh:mm:ss` (hour 0–23, minute and second 0–59: no leap second) with an optional `.` and 1 to 9
    /// fraction digits, of which digits beyond the sixth are dropped (the instant is floored to the
    /// microsecond); the zone is `Z`, `±hh`, `±hhmm` or `±hh:mm` with hours ≤ 23 and minutes ≤ 59, or absent
    /// for UTC.
    /// - Parameters:
    ///   - text: The text, with no surrounding whitespace.
    ///   - field: The input field named by the error.
    /// - Throws: ``BileanError/invalid(_:_:)`` quoting the text for anything else, including an empty string,
    ///   a date without a time, whitespace and trailing characters.
    package init(parsing text: String, field: String = "timestamp") throws(BileanError) {
        func failure(_ reason: String) -> BileanError {
            BileanError.invalid(field, "'\(field)' is not a valid timestamp: \(BillingTime.quoted(text)): \(reason)")
        }

        let bytes = Array(text.utf8)
        var index = 0

        func isDigit(_ position: Int) -> Bool {
            position < bytes.count && bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9")
        }

        /// Reads exactly `count` digits as a number.
        func number(_ count: Int, _ what: String) throws(BileanError) -> Int64 {
            var value: Int64 = 0
            for _ in 0..<count {
                guard isDigit(index) else { throw failure("expected \(count) digits for the \(what)") }
                value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }

        /// Reads one expected ASCII character.
        func expect(_ character: Unicode.Scalar, _ what: String) throws(BileanError) {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else {
                throw failure("expected \(what)")
            }
            index += 1
        }

        guard !bytes.isEmpty else { throw failure("empty") }

        // Date.
        let year = try number(4, "year")
        try expect("-", "'-' after the year")
        let month = try number(2, "month")
        try expect("-", "'-' after the month")
        let day = try number(2, "day")
        guard year >= 1 else { throw failure("year must be 0001-9999") }
        guard (1...12).contains(month) else { throw failure("month must be 01-12") }
        guard day >= 1, day <= Self.daysInMonth(year: year, month: month) else {
            throw failure("day out of range for the month")
        }

        // Separator.
        guard index < bytes.count else { throw failure("expected a time after the date") }
        guard
            bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t")
                || bytes[index] == UInt8(ascii: " ")
        else { throw failure("expected 'T' or a space after the date") }
        index += 1

        // Time.
        let hour = try number(2, "hour")
        try expect(":", "':' after the hour")
        let minute = try number(2, "minute")
        try expect(":", "':' after the minute")
        let second = try number(2, "second")
        guard hour <= 23 else { throw failure("hour must be 00-23") }
        guard minute <= 59 else { throw failure("minute must be 00-59") }
        guard second <= 59 else { throw failure("second must be 00-59") }

        // Fraction: up to 9 digits, of which the first 6 are kept (floor to the microsecond).
        var fraction: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var count = 0
            while isDigit(index) {
                count += 1
                guard count <= 9 else { throw failure("more than 9 fraction digits") }
                if count <= 6 { fraction = fraction * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                index += 1
            }
            guard count > 0 else { throw failure("expected a digit after '.'") }
            for _ in min(count, 6)..<6 { fraction *= 10 }
        }

        // Zone.
        var offsetSeconds: Int64 = 0
        if index < bytes.count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                index += 1
                let offsetHours = try number(2, "offset hours")
                var offsetMinutes: Int64 = 0
                if index < bytes.count {
                    if bytes[index] == UInt8(ascii: ":") { index += 1 }
                    offsetMinutes = try number(2, "offset minutes")
                }
                guard offsetHours <= 23 else { throw failure("offset hours must be 00-23") }
                guard offsetMinutes <= 59 else { throw failure("offset minutes must be 00-59") }
                offsetSeconds = (offsetHours * 3_600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                throw failure("expected 'Z', '+' or '-' for the time zone")
            }
        }
        guard index == bytes.count else { throw failure("unexpected characters after the time zone") }

        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        self.microseconds = seconds * Self.microsecondsPerSecond + fraction
    }

    // MARK: Formatting

    /// The instant as ISO 8601 in UTC with exactly six fraction digits, e.g. `2016-05-04T10:00:00.123456Z`.
    ///
    /// Years outside 0001–9999 (only reachable through ``init(microseconds:)``) print as `0000`, `-0001` or
    /// `+10000`; those do not parse back.
    package var iso8601: String {
        let fields = self.civilFields
        guard (0...9_999).contains(fields.year) else { return Self.iso8601Outside(fields) }
        return String(unsafeUninitializedCapacity: Self.iso8601Length) { buffer in
            Self.fill(buffer, fields)
            return Self.iso8601Length
        }
    }

    /// Appends ``iso8601``'s UTF-8 bytes, without making a `String` for the common years 0000–9999.
    /// - Parameter bytes: Where to append.
    package func appendISO8601(to bytes: inout [UInt8]) {
        let fields = self.civilFields
        guard (0...9_999).contains(fields.year) else {
            bytes.append(contentsOf: Self.iso8601Outside(fields).utf8)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.iso8601Length) { buffer in
            Self.fill(buffer, fields)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<Self.iso8601Length]))
        }
    }

    /// The length of ``iso8601`` for the years 0000–9999: `2016-05-04T10:00:00.123456Z`.
    private static let iso8601Length = 27

    /// The calendar fields of the instant, in UTC.
    private var civilFields: (year: Int64, month: Int64, day: Int64, microsecondOfDay: Int64) {
        let (days, rest) = Self.floorDivision(self.microseconds, Self.microsecondsPerDay)
        let (year, month, day) = Self.civilFromDays(days)
        return (year, month, day, rest)
    }

    /// Writes the 27 bytes of ``iso8601`` for a year 0000–9999.
    private static func fill(
        _ buffer: UnsafeMutableBufferPointer<UInt8>,
        _ fields: (year: Int64, month: Int64, day: Int64, microsecondOfDay: Int64)
    ) {
        var position = 0
        func digits(_ value: Int64, _ width: Int) {
            var value = value
            for offset in stride(from: width - 1, through: 0, by: -1) {
                buffer[position + offset] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                value /= 10
            }
            position += width
        }
        func separator(_ character: Unicode.Scalar) {
            buffer[position] = UInt8(ascii: character)
            position += 1
        }
        let rest = fields.microsecondOfDay
        digits(fields.year, 4)
        separator("-")
        digits(fields.month, 2)
        separator("-")
        digits(fields.day, 2)
        separator("T")
        digits(rest / 3_600_000_000, 2)
        separator(":")
        digits(rest / 60_000_000 % 60, 2)
        separator(":")
        digits(rest / 1_000_000 % 60, 2)
        separator(".")
        digits(rest % 1_000_000, 6)
        separator("Z")
    }

    /// ``iso8601`` for the years outside 0000–9999.
    private static func iso8601Outside(
        _ fields: (year: Int64, month: Int64, day: Int64, microsecondOfDay: Int64)
    )
        -> String
    {
        let rest = fields.microsecondOfDay
        let yearText = fields.year < 0 ? "-" + Self.padded(-fields.year, 4) : "+" + String(fields.year)
        return "\(yearText)-\(Self.padded(fields.month, 2))-\(Self.padded(fields.day, 2))T"
            + "\(Self.padded(rest / 3_600_000_000, 2)):\(Self.padded(rest / 60_000_000 % 60, 2)):"
            + "\(Self.padded(rest / 1_000_000 % 60, 2)).\(Self.padded(rest % 1_000_000, 6))Z"
    }

    /// The instant as ``iso8601``.
    package var description: String { self.iso8601 }

    // MARK: Date

    /// The seconds from 1970-01-01 to Foundation's reference date 2001-01-01, in microseconds.
    private static let referenceDateMicroseconds: Int64 = 978_307_200 * microsecondsPerSecond

    /// Creates an instant from a `Date`, floored to the microsecond.
    ///
    /// A `Date` is a `Double` of seconds since 2001, which cannot hold most microseconds exactly. A date that is the
    /// `Double` nearest to a whole microsecond, whether made by ``date``, `Date(timeIntervalSinceReferenceDate:)` or
    /// `Date(timeIntervalSince1970:)`, maps back to exactly that microsecond; any other date is floored. So
    /// `BillingTime(date: t.date) == t` wherever a `Double` resolves a microsecond: within 2^32 seconds (136 years)
    /// of 2001, i.e. 1865–2137 (1902–2038 for a `Date(timeIntervalSince1970:)`). Farther out, the result is within
    /// a microsecond or so of the date. Dates beyond about ±292,000 years are clamped; a NaN date is the epoch.
    /// - Parameter date: The date.
    package init(date: Date) {
        let sinceReference = date.timeIntervalSinceReferenceDate
        guard !sinceReference.isNaN else {
            self.microseconds = 0
            return
        }
        let nearestSinceReference = (sinceReference * 1_000_000).rounded()
        if Date(timeIntervalSinceReferenceDate: nearestSinceReference / 1_000_000) == date {
            self.microseconds = Self.clamped(nearestSinceReference) + Self.referenceDateMicroseconds
            return
        }
        let nearestSince1970 = (date.timeIntervalSince1970 * 1_000_000).rounded()
        if Date(timeIntervalSince1970: nearestSince1970 / 1_000_000) == date {
            self.microseconds = Self.clamped(nearestSince1970)
            return
        }
        self.microseconds = Self.clamped((sinceReference * 1_000_000).rounded(.down)) + Self.referenceDateMicroseconds
    }

    /// A whole number of microseconds clamped to ±9.2 × 10^18, which leaves room to add the reference date offset.
    private static func clamped(_ microseconds: Double) -> Int64 {
        let limit = 9.2e18
        return Int64(min(max(microseconds, -limit), limit))
    }

    /// The instant as a `Date` (to the precision of a `Double`).
    package var date: Date {
        // Int128 so that no Int64 value can overflow the subtraction.
        let relative = Int128(self.microseconds) - Int128(Self.referenceDateMicroseconds)
        return Date(timeIntervalSinceReferenceDate: Double(relative) / 1_000_000)
    }

    // MARK: Arithmetic

    /// Orders instants in time.
    package static func < (lhs: BillingTime, rhs: BillingTime) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    /// The microseconds from `rhs` to `lhs` (positive when `lhs` is later).
    package static func - (lhs: BillingTime, rhs: BillingTime) -> Int64 {
        lhs.microseconds - rhs.microseconds
    }

    /// The instant `microseconds` later (earlier when negative).
    /// - Parameter microseconds: The signed number of microseconds.
    package func adding(microseconds: Int64) -> BillingTime {
        BillingTime(microseconds: self.microseconds + microseconds)
    }

    /// The instant `seconds` later (earlier when negative).
    /// - Parameter seconds: The signed number of seconds.
    package func adding(seconds: Int64) -> BillingTime {
        BillingTime(microseconds: self.microseconds + seconds * Self.microsecondsPerSecond)
    }

    // MARK: Codable

    /// Decodes an instant from a timestamp string in any form ``init(parsing:field:)`` accepts.
    /// - Throws: ``BileanError/invalid(_:_:)`` naming the coding path for a malformed timestamp, or the
    ///   decoder's error when the value is not a string.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let path = decoder.codingPath
        let field =
            path.isEmpty
            ? "timestamp"
            : path.map { key in key.intValue.map(String.init) ?? key.stringValue }.joined(separator: ".")
        try self.init(parsing: container.decode(String.self), field: field)
    }

    /// Encodes the instant as its ``iso8601`` string.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.iso8601)
    }

    // MARK: Calendar arithmetic

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400  // 0...399
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1  // 0...365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // 0...146096
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097  // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365  // 0...399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0...365
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // 0...11, March first
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// Floor division with a remainder in `0..<divisor`, for a positive divisor.
    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    /// A non-negative number with leading zeros up to `width` digits.
    private static func padded(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The text, quoted and shortened for an error message.
    private static func quoted(_ text: String) -> String {
        let limit = 64
        return text.count <= limit ? "'\(text)'" : "'\(text.prefix(limit))…'"
    }
}
