/// A field table `decimal` value (type `D`): `value × 10^-scale`, as RabbitMQ encodes it (a scale octet and an
/// unsigned 32-bit value).
public struct AMQPDecimal: Sendable, Hashable {
    /// The number of decimal digits after the point.
    public var scale: UInt8
    /// The unscaled value.
    public var value: UInt32

    /// Creates a decimal `value × 10^-scale`.
    ///
    /// - Parameters:
    ///   - scale: The number of decimal digits after the point.
    ///   - value: The unscaled value.
    public init(scale: UInt8, value: UInt32) {
        self.scale = scale
        self.value = value
    }
}
