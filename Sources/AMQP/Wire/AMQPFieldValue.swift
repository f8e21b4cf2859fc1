public import NIOCore

/// A value in a field table or field array, with RabbitMQ's field types (the AMQP 0-9-1 errata, "Field types").
///
/// Long strings (`S`) are kept as bytes (``longString(_:)``) so that text that is not valid UTF-8 is never lost or
/// rejected; ``string(_:)`` makes one from text and ``stringValue`` reads one as text. String literals make long
/// strings, integer literals `int64`, float literals `double`.
///
/// Equality compares floating-point values by bit pattern, so a decoded `NaN` equals itself and `0.0` differs from
/// `-0.0`: two values are equal when they encode to the same bytes.
public enum AMQPFieldValue: Sendable {
    /// `t`: a boolean, one octet.
    case bool(Bool)
    /// `b`: a signed 8-bit integer.
    case int8(Int8)
    /// `B`: an unsigned 8-bit integer.
    case uint8(UInt8)
    /// `s`: a signed 16-bit integer.
    case int16(Int16)
    /// `u`: an unsigned 16-bit integer.
    case uint16(UInt16)
    /// `I`: a signed 32-bit integer.
    case int32(Int32)
    /// `i`: an unsigned 32-bit integer.
    case uint32(UInt32)
    /// `l`: a signed 64-bit integer.
    case int64(Int64)
    /// `f`: a 32-bit IEEE 754 float.
    case float(Float)
    /// `d`: a 64-bit IEEE 754 double.
    case double(Double)
    /// `D`: a decimal (scale octet and unsigned 32-bit value).
    case decimal(AMQPDecimal)
    /// `S`: a long string, as raw bytes (usually UTF-8 text; see ``stringValue``).
    case longString(ByteBuffer)
    /// `A`: an array of values.
    case array([AMQPFieldValue])
    /// `T`: a timestamp, seconds since the Unix epoch.
    case timestamp(UInt64)
    /// `F`: a nested field table.
    case table(AMQPTable)
    /// `V`: no value.
    case void
    /// `x`: a byte array.
    case bytes(ByteBuffer)

    /// A long string (`S`) holding the UTF-8 form of `string`.
    ///
    /// - Parameter string: The text.
    /// - Returns: `.longString` with the text's UTF-8 bytes.
    public static func string(_ string: String) -> Self {
        .longString(ByteBuffer(string: string))
    }

    /// The text of a long string that is valid UTF-8; `nil` for other values.
    public var stringValue: String? {
        guard case .longString(let bytes) = self else { return nil }
        return bytes.withUnsafeReadableBytes { String(validating: $0, as: UTF8.self) }
    }

    /// The value of any integer type as an `Int64`; `nil` for other values.
    public var integerValue: Int64? {
        switch self {
        case .int8(let value): Int64(value)
        case .uint8(let value): Int64(value)
        case .int16(let value): Int64(value)
        case .uint16(let value): Int64(value)
        case .int32(let value): Int64(value)
        case .uint32(let value): Int64(value)
        case .int64(let value): value
        case .bool, .float, .double, .decimal, .longString, .array, .timestamp, .table, .void, .bytes: nil
        }
    }

    /// The value of a `bool`; `nil` for other values.
    public var boolValue: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// The nested table of a `table`; `nil` for other values.
    public var tableValue: AMQPTable? {
        guard case .table(let value) = self else { return nil }
        return value
    }

    /// The elements of an `array`; `nil` for other values.
    public var arrayValue: [AMQPFieldValue]? {
        guard case .array(let value) = self else { return nil }
        return value
    }

    /// The type octet of this value on the wire, e.g. `S` (0x53) for a long string.
    public var typeOctet: UInt8 {
        switch self {
        case .bool: UInt8(ascii: "t")
        case .int8: UInt8(ascii: "b")
        case .uint8: UInt8(ascii: "B")
        case .int16: UInt8(ascii: "s")
        case .uint16: UInt8(ascii: "u")
        case .int32: UInt8(ascii: "I")
        case .uint32: UInt8(ascii: "i")
        case .int64: UInt8(ascii: "l")
        case .float: UInt8(ascii: "f")
        case .double: UInt8(ascii: "d")
        case .decimal: UInt8(ascii: "D")
        case .longString: UInt8(ascii: "S")
        case .array: UInt8(ascii: "A")
        case .timestamp: UInt8(ascii: "T")
        case .table: UInt8(ascii: "F")
        case .void: UInt8(ascii: "V")
        case .bytes: UInt8(ascii: "x")
        }
    }
}

// MARK: - Wire format

extension AMQPFieldValue {
    /// Reads a type octet and the value that follows it.
    ///
    /// - Parameters:
    ///   - buffer: The buffer to read from.
    ///   - depth: The nesting depth of the table or array holding this value (1 for a top-level table).
    init(decoding buffer: inout ByteBuffer, depth: Int) throws(AMQPError) {
        let typeOffset = buffer.readerIndex
        let type = try buffer.readAMQPOctet()
        switch type {
        case UInt8(ascii: "t"): self = .bool(try buffer.readAMQPOctet() != 0)
        case UInt8(ascii: "b"): self = .int8(try buffer.readAMQPInteger())
        case UInt8(ascii: "B"): self = .uint8(try buffer.readAMQPInteger())
        case UInt8(ascii: "s"): self = .int16(try buffer.readAMQPInteger())
        case UInt8(ascii: "u"): self = .uint16(try buffer.readAMQPInteger())
        case UInt8(ascii: "I"): self = .int32(try buffer.readAMQPInteger())
        case UInt8(ascii: "i"): self = .uint32(try buffer.readAMQPInteger())
        case UInt8(ascii: "l"): self = .int64(try buffer.readAMQPInteger())
        case UInt8(ascii: "f"): self = .float(Float(bitPattern: try buffer.readAMQPInteger()))
        case UInt8(ascii: "d"): self = .double(Double(bitPattern: try buffer.readAMQPInteger()))
        case UInt8(ascii: "D"):
            let scale = try buffer.readAMQPOctet()
            self = .decimal(AMQPDecimal(scale: scale, value: try buffer.readAMQPLong()))
        case UInt8(ascii: "S"): self = .longString(try buffer.readAMQPLongStringBytes())
        case UInt8(ascii: "A"):
            guard depth < AMQPTable.maximumNestingDepth else {
                throw AMQPError(code: .nestingTooDeep, message: "field arrays nest too deep", offset: typeOffset)
            }
            let elementsOffset = buffer.readerIndex + 4
            var elements = try buffer.readAMQPLongStringBytes()
            var array: [AMQPFieldValue] = []
            do {
                while elements.readableBytes > 0 {
                    array.append(try AMQPFieldValue(decoding: &elements, depth: depth + 1))
                }
            } catch {
                throw error.shifted(by: elementsOffset)
            }
            self = .array(array)
        case UInt8(ascii: "T"): self = .timestamp(try buffer.readAMQPTimestamp())
        case UInt8(ascii: "F"):
            guard depth < AMQPTable.maximumNestingDepth else {
                throw AMQPError(code: .nestingTooDeep, message: "field tables nest too deep", offset: typeOffset)
            }
            self = .table(try AMQPTable(decoding: &buffer, depth: depth + 1))
        case UInt8(ascii: "V"): self = .void
        case UInt8(ascii: "x"): self = .bytes(try buffer.readAMQPLongStringBytes())
        default:
            throw AMQPError(
                code: .invalidFieldValueType,
                message: "unknown field value type",
                offset: typeOffset,
                offendingByte: type
            )
        }
    }

    /// Writes the type octet and the value.
    ///
    /// - Parameters:
    ///   - buffer: The buffer to write to.
    ///   - depth: The nesting depth of the table or array holding this value (1 for a top-level table).
    func encode(into buffer: inout ByteBuffer, depth: Int) throws(AMQPError) {
        buffer.writeAMQPOctet(self.typeOctet)
        switch self {
        case .bool(let value): buffer.writeAMQPOctet(value ? 1 : 0)
        case .int8(let value): buffer.writeInteger(value, endianness: .big)
        case .uint8(let value): buffer.writeInteger(value, endianness: .big)
        case .int16(let value): buffer.writeInteger(value, endianness: .big)
        case .uint16(let value): buffer.writeInteger(value, endianness: .big)
        case .int32(let value): buffer.writeInteger(value, endianness: .big)
        case .uint32(let value): buffer.writeInteger(value, endianness: .big)
        case .int64(let value): buffer.writeInteger(value, endianness: .big)
        case .float(let value): buffer.writeInteger(value.bitPattern, endianness: .big)
        case .double(let value): buffer.writeInteger(value.bitPattern, endianness: .big)
        case .decimal(let value):
            buffer.writeAMQPOctet(value.scale)
            buffer.writeAMQPLong(value.value)
        case .longString(let bytes): try buffer.writeAMQPLongString(bytes: bytes)
        case .array(let array):
            guard depth < AMQPTable.maximumNestingDepth else {
                throw AMQPError(code: .nestingTooDeep, message: "field arrays nest too deep")
            }
            try buffer.writeAMQPLengthPrefixed { (buffer: inout ByteBuffer) throws(AMQPError) in
                for element in array {
                    try element.encode(into: &buffer, depth: depth + 1)
                }
            }
        case .timestamp(let value): buffer.writeAMQPTimestamp(value)
        case .table(let table):
            guard depth < AMQPTable.maximumNestingDepth else {
                throw AMQPError(code: .nestingTooDeep, message: "field tables nest too deep")
            }
            try table.encode(into: &buffer, depth: depth + 1)
        case .void: break
        case .bytes(let bytes): try buffer.writeAMQPLongString(bytes: bytes)
        }
    }
}

// MARK: - Equatable, Hashable

extension AMQPFieldValue: Hashable {
    /// Two values are equal when they have the same type and the same value; floating-point values compare by bit
    /// pattern.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch lhs {
        case .bool(let l):
            guard case .bool(let r) = rhs else { return false }
            return l == r
        case .int8(let l):
            guard case .int8(let r) = rhs else { return false }
            return l == r
        case .uint8(let l):
            guard case .uint8(let r) = rhs else { return false }
            return l == r
        case .int16(let l):
            guard case .int16(let r) = rhs else { return false }
            return l == r
        case .uint16(let l):
            guard case .uint16(let r) = rhs else { return false }
            return l == r
        case .int32(let l):
            guard case .int32(let r) = rhs else { return false }
            return l == r
        case .uint32(let l):
            guard case .uint32(let r) = rhs else { return false }
            return l == r
        case .int64(let l):
            guard case .int64(let r) = rhs else { return false }
            return l == r
        case .float(let l):
            guard case .float(let r) = rhs else { return false }
            return l.bitPattern == r.bitPattern
        case .double(let l):
            guard case .double(let r) = rhs else { return false }
            return l.bitPattern == r.bitPattern
        case .decimal(let l):
            guard case .decimal(let r) = rhs else { return false }
            return l == r
        case .longString(let l):
            guard case .longString(let r) = rhs else { return false }
            return l == r
        case .array(let l):
            guard case .array(let r) = rhs else { return false }
            return l == r
        case .timestamp(let l):
            guard case .timestamp(let r) = rhs else { return false }
            return l == r
        case .table(let l):
            guard case .table(let r) = rhs else { return false }
            return l == r
        case .void:
            guard case .void = rhs else { return false }
            return true
        case .bytes(let l):
            guard case .bytes(let r) = rhs else { return false }
            return l == r
        }
    }

    /// Hashes the type octet and the value (floating-point values by bit pattern).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.typeOctet)
        switch self {
        case .bool(let value): hasher.combine(value)
        case .int8(let value): hasher.combine(value)
        case .uint8(let value): hasher.combine(value)
        case .int16(let value): hasher.combine(value)
        case .uint16(let value): hasher.combine(value)
        case .int32(let value): hasher.combine(value)
        case .uint32(let value): hasher.combine(value)
        case .int64(let value): hasher.combine(value)
        case .float(let value): hasher.combine(value.bitPattern)
        case .double(let value): hasher.combine(value.bitPattern)
        case .decimal(let value): hasher.combine(value)
        case .longString(let value): hasher.combine(value)
        case .array(let value): hasher.combine(value)
        case .timestamp(let value): hasher.combine(value)
        case .table(let value): hasher.combine(value)
        case .void: break
        case .bytes(let value): hasher.combine(value)
        }
    }
}

// MARK: - Literals

extension AMQPFieldValue: ExpressibleByStringLiteral {
    /// A long string (`S`) holding the literal's UTF-8 bytes.
    ///
    /// - Parameter value: The text.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension AMQPFieldValue: ExpressibleByIntegerLiteral {
    /// A signed 64-bit integer (`l`).
    ///
    /// - Parameter value: The integer.
    public init(integerLiteral value: Int64) {
        self = .int64(value)
    }
}

extension AMQPFieldValue: ExpressibleByBooleanLiteral {
    /// A boolean (`t`).
    ///
    /// - Parameter value: The boolean.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension AMQPFieldValue: ExpressibleByFloatLiteral {
    /// A double (`d`).
    ///
    /// - Parameter value: The number.
    public init(floatLiteral value: Double) {
        self = .double(value)
    }
}

extension AMQPFieldValue: ExpressibleByArrayLiteral {
    /// An array (`A`).
    ///
    /// - Parameter elements: The elements.
    public init(arrayLiteral elements: AMQPFieldValue...) {
        self = .array(elements)
    }
}

extension AMQPFieldValue: ExpressibleByDictionaryLiteral {
    /// A nested table (`F`) with the entries in literal order.
    ///
    /// - Parameter elements: The entries.
    public init(dictionaryLiteral elements: (String, AMQPFieldValue)...) {
        self = .table(AMQPTable(elements.map { AMQPTable.Entry(key: $0.0, value: $0.1) }))
    }
}
