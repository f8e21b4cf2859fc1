import NIOCore

/// The AMQP 0-9-1 primitive types on `ByteBuffer`: all integers are big-endian (network order).
///
/// Every read checks the readable bytes first and throws ``AMQPError`` (code `truncated`, with the offset) instead of
/// trapping or returning `nil`; a failed read leaves the reader index where the value started.
extension ByteBuffer {
    // MARK: Integers

    mutating func readAMQPInteger<T: FixedWidthInteger>(as: T.Type = T.self) throws(AMQPError) -> T {
        guard let value = self.readInteger(endianness: .big, as: T.self) else {
            throw .truncated(at: self.readerIndex, needed: MemoryLayout<T>.size)
        }
        return value
    }

    /// Reads an `octet`.
    mutating func readAMQPOctet() throws(AMQPError) -> UInt8 {
        try self.readAMQPInteger()
    }

    /// Reads a `short` (16 bits).
    mutating func readAMQPShort() throws(AMQPError) -> UInt16 {
        try self.readAMQPInteger()
    }

    /// Reads a `long` (32 bits).
    mutating func readAMQPLong() throws(AMQPError) -> UInt32 {
        try self.readAMQPInteger()
    }

    /// Reads a `longlong` (64 bits).
    mutating func readAMQPLongLong() throws(AMQPError) -> UInt64 {
        try self.readAMQPInteger()
    }

    /// Reads a `timestamp`: seconds since the Unix epoch, 64 bits.
    mutating func readAMQPTimestamp() throws(AMQPError) -> UInt64 {
        try self.readAMQPInteger()
    }

    /// Writes an `octet`.
    mutating func writeAMQPOctet(_ value: UInt8) {
        self.writeInteger(value)
    }

    /// Writes a `short` (16 bits).
    mutating func writeAMQPShort(_ value: UInt16) {
        self.writeInteger(value, endianness: .big)
    }

    /// Writes a `long` (32 bits).
    mutating func writeAMQPLong(_ value: UInt32) {
        self.writeInteger(value, endianness: .big)
    }

    /// Writes a `longlong` (64 bits).
    mutating func writeAMQPLongLong(_ value: UInt64) {
        self.writeInteger(value, endianness: .big)
    }

    /// Writes a `timestamp`: seconds since the Unix epoch, 64 bits.
    mutating func writeAMQPTimestamp(_ value: UInt64) {
        self.writeInteger(value, endianness: .big)
    }

    // MARK: Strings

    /// Reads `length` bytes as a slice, or throws `truncated` leaving the reader index unchanged.
    mutating func readAMQPSlice(length: Int) throws(AMQPError) -> ByteBuffer {
        guard length >= 0, let slice = self.readSlice(length: length) else {
            throw .truncated(at: self.readerIndex, needed: length)
        }
        return slice
    }

    /// Reads `length` bytes as UTF-8 text, or throws `truncated` or `invalidUTF8` leaving the reader index unchanged.
    mutating func readAMQPUTF8(length: Int) throws(AMQPError) -> String {
        guard length >= 0, length <= self.readableBytes else {
            throw .truncated(at: self.readerIndex, needed: length)
        }
        let string = self.withUnsafeReadableBytes { bytes in
            String(validating: bytes.prefix(length), as: UTF8.self)
        }
        guard let string else {
            throw AMQPError(code: .invalidUTF8, message: "a string is not valid UTF-8", offset: self.readerIndex)
        }
        self.moveReaderIndex(forwardBy: length)
        return string
    }

    /// Reads a `shortstr`: a length octet and up to 255 bytes of UTF-8.
    mutating func readAMQPShortString() throws(AMQPError) -> String {
        let start = self.readerIndex
        let length = try self.readAMQPOctet()
        do {
            return try self.readAMQPUTF8(length: Int(length))
        } catch {
            self.moveReaderIndex(to: start)
            throw error.at(offset: start)
        }
    }

    /// Reads a `longstr` as raw bytes: a 32-bit length and that many bytes.
    mutating func readAMQPLongStringBytes() throws(AMQPError) -> ByteBuffer {
        let start = self.readerIndex
        let length = try self.readAMQPLong()
        do {
            return try self.readAMQPSlice(length: Int(length))
        } catch {
            self.moveReaderIndex(to: start)
            throw error.at(offset: start)
        }
    }

    /// Reads a `longstr` that must be UTF-8 text.
    mutating func readAMQPLongString() throws(AMQPError) -> String {
        let start = self.readerIndex
        let length = try self.readAMQPLong()
        do {
            return try self.readAMQPUTF8(length: Int(length))
        } catch {
            self.moveReaderIndex(to: start)
            throw error.at(offset: start)
        }
    }

    /// Writes a `shortstr`.
    ///
    /// - Throws: ``AMQPError`` `stringTooLong` when the UTF-8 form is longer than 255 bytes; nothing is written.
    mutating func writeAMQPShortString(_ string: String) throws(AMQPError) {
        let length = string.utf8.count
        guard length <= Int(UInt8.max) else {
            throw AMQPError(
                code: .stringTooLong,
                message: "a short string is longer than 255 bytes",
                size: UInt64(length)
            )
        }
        self.writeInteger(UInt8(length))
        self.writeString(string)
    }

    /// Writes a `longstr` holding UTF-8 text.
    ///
    /// - Throws: ``AMQPError`` `stringTooLong` when the text is longer than 2³² − 1 bytes; nothing is written.
    mutating func writeAMQPLongString(_ string: String) throws(AMQPError) {
        let length = string.utf8.count
        guard let length32 = UInt32(exactly: length) else {
            throw AMQPError(
                code: .stringTooLong,
                message: "a long string is longer than 2^32-1 bytes",
                size: UInt64(length)
            )
        }
        self.writeAMQPLong(length32)
        self.writeString(string)
    }

    /// Writes a `longstr` holding the readable bytes of `bytes`.
    ///
    /// - Throws: ``AMQPError`` `stringTooLong` when there are more than 2³² − 1 bytes; nothing is written.
    mutating func writeAMQPLongString(bytes: ByteBuffer) throws(AMQPError) {
        guard let length32 = UInt32(exactly: bytes.readableBytes) else {
            throw AMQPError(
                code: .stringTooLong,
                message: "a long string is longer than 2^32-1 bytes",
                size: UInt64(bytes.readableBytes)
            )
        }
        self.writeAMQPLong(length32)
        self.writeImmutableBuffer(bytes)
    }

    // MARK: Bits

    /// Reads `count` consecutive `bit` arguments, packed into ⌈count / 8⌉ octets, least significant bit first.
    ///
    /// Unused high bits of the last octet are ignored.
    mutating func readAMQPBits(count: Int) throws(AMQPError) -> AMQPBits {
        precondition(count > 0 && count <= 64, "a bit group holds 1 to 64 bits")
        let octets = (count + 7) / 8
        guard self.readableBytes >= octets else {
            throw .truncated(at: self.readerIndex, needed: octets)
        }
        var raw: UInt64 = 0
        for index in 0..<octets {
            let octet = try self.readAMQPOctet()
            raw |= UInt64(octet) << (8 * UInt64(index))
        }
        if count < 64 {
            raw &= (1 << UInt64(count)) - 1
        }
        return AMQPBits(rawValue: raw)
    }

    /// Writes consecutive `bit` arguments packed into ⌈count / 8⌉ octets, least significant bit first.
    mutating func writeAMQPBits(_ bits: AMQPBits, count: Int) {
        precondition(count > 0 && count <= 64, "a bit group holds 1 to 64 bits")
        for index in 0..<((count + 7) / 8) {
            self.writeInteger(UInt8(truncatingIfNeeded: bits.rawValue >> (8 * UInt64(index))))
        }
    }

    // MARK: Length-prefixed blocks

    /// Writes a 32-bit length, then the bytes `body` writes, then sets the length to their count.
    mutating func writeAMQPLengthPrefixed(
        _ body: (inout ByteBuffer) throws(AMQPError) -> Void
    ) throws(AMQPError) {
        let lengthIndex = self.writerIndex
        self.writeAMQPLong(0)
        try body(&self)
        let length = self.writerIndex - lengthIndex - 4
        guard let length32 = UInt32(exactly: length) else {
            throw AMQPError(code: .frameTooLarge, message: "a table or array is larger than 2^32-1 bytes")
        }
        self.setInteger(length32, at: lengthIndex, endianness: .big)
    }
}
