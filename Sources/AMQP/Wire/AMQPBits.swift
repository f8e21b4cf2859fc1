/// A group of consecutive `bit` method arguments, as packed on the wire: bit `i` of the group is bit `i % 8` of
/// octet `i / 8`.
struct AMQPBits: Hashable, Sendable {
    /// Bit `i` of the group is bit `i` of this value.
    var rawValue: UInt64

    /// Creates a group from its packed value.
    init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Creates a group from the bits in argument order.
    init(_ bits: Bool...) {
        precondition(bits.count <= 64, "a bit group holds at most 64 bits")
        var raw: UInt64 = 0
        for (index, bit) in bits.enumerated() where bit {
            raw |= 1 << UInt64(index)
        }
        self.rawValue = raw
    }

    /// Bit `index` of the group (argument order).
    subscript(index: Int) -> Bool {
        precondition(index >= 0 && index < 64, "a bit group holds at most 64 bits")
        return self.rawValue & (1 << UInt64(index)) != 0
    }
}
