import BileanCore

/// The text in which the store keeps an amount (SQLite's TEXT columns, PostgreSQL's NUMERIC cast to text), read
/// without allocating: decoding rows and summing in SQL (``SQLiteMoneySum``) both start here.
enum StoredMoneyText {
    /// The most integer digits the fast path reads: ``Money/maxMagnitude`` is 10^15 whole units (16 digits).
    private static let maximumWholeDigits = 16

    /// Parses the plain form the store writes, `-?[0-9]+(\.[0-9]{1,12})?`, within ``Money/maxMagnitude``, without
    /// allocating; `nil` for anything else (which ``Money/init(parsing:field:)`` then decides). Where both accept a
    /// text they agree exactly.
    /// - Parameter bytes: The UTF-8 text.
    /// - Returns: The signed units, or `nil`.
    static func units(_ bytes: UnsafeBufferPointer<UInt8>) -> Int128? {
        var index = 0
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var whole: Int128 = 0
        var wholeDigits = 0
        while index < bytes.count, let digit = Self.digit(bytes[index]) {
            wholeDigits += 1
            guard wholeDigits <= Self.maximumWholeDigits else { return nil }
            whole = whole * 10 + digit
            index += 1
        }
        guard wholeDigits > 0 else { return nil }
        var fraction: Int128 = 0
        var fractionDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, let digit = Self.digit(bytes[index]) {
                fractionDigits += 1
                guard fractionDigits <= Money.scale else { return nil }
                fraction = fraction * 10 + digit
                index += 1
            }
            guard fractionDigits > 0 else { return nil }
        }
        guard index == bytes.count else { return nil }
        for _ in fractionDigits..<Money.scale { fraction *= 10 }
        let magnitude = whole * Money.unitsPerOne + fraction
        guard magnitude <= Money.maxMagnitude.units else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// The value of an ASCII digit, or `nil`.
    private static func digit(_ byte: UInt8) -> Int128? {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        return Int128(byte - UInt8(ascii: "0"))
    }
}
