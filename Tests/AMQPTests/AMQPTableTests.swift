import NIOCore
import Testing

@testable import AMQP

@Suite("AMQPTable")
struct AMQPTableTests {
    /// One value of every field type, with its type octet and value bytes.
    static let everyType: [(AMQPFieldValue, UInt8, [UInt8])] = [
        (.bool(true), 0x74, [0x01]),
        (.bool(false), 0x74, [0x00]),
        (.int8(-2), 0x62, [0xFE]),
        (.uint8(250), 0x42, [0xFA]),
        (.int16(-2), 0x73, [0xFF, 0xFE]),
        (.uint16(0xABCD), 0x75, [0xAB, 0xCD]),
        (.int32(-2), 0x49, [0xFF, 0xFF, 0xFF, 0xFE]),
        (.uint32(0xDEAD_BEEF), 0x69, [0xDE, 0xAD, 0xBE, 0xEF]),
        (.int64(-2), 0x6C, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]),
        (.float(1.5), 0x66, [0x3F, 0xC0, 0x00, 0x00]),
        (.double(-0.5), 0x64, [0xBF, 0xE0, 0, 0, 0, 0, 0, 0]),
        (.decimal(AMQPDecimal(scale: 2, value: 12345)), 0x44, [0x02, 0x00, 0x00, 0x30, 0x39]),
        (.string("hé"), 0x53, [0x00, 0x00, 0x00, 0x03, 0x68, 0xC3, 0xA9]),
        (.longString(ByteBuffer([0xFF, 0xC3])), 0x53, [0x00, 0x00, 0x00, 0x02, 0xFF, 0xC3]),
        (.array([.int8(1), .void]), 0x41, [0x00, 0x00, 0x00, 0x03, 0x62, 0x01, 0x56]),
        (.array([]), 0x41, [0x00, 0x00, 0x00, 0x00]),
        (.timestamp(1_700_000_000), 0x54, [0, 0, 0, 0, 0x65, 0x53, 0xF1, 0x00]),
        (.table(["a": .uint8(1)]), 0x46, [0x00, 0x00, 0x00, 0x04, 0x01, 0x61, 0x42, 0x01]),
        (.table([:]), 0x46, [0x00, 0x00, 0x00, 0x00]),
        (.void, 0x56, []),
        (.bytes(ByteBuffer([0x00, 0x01, 0xFF])), 0x78, [0x00, 0x00, 0x00, 0x03, 0x00, 0x01, 0xFF]),
    ]

    @Test func everyTypeRoundTripsWithKnownBytes() throws {
        for (value, type, bytes) in Self.everyType {
            let table: AMQPTable = ["k": value]
            let expected: [UInt8] =
                [0x00, 0x00, 0x00, UInt8(3 + bytes.count), 0x01, 0x6B, type] + bytes
            var buffer = ByteBuffer()
            try table.encode(into: &buffer)
            #expect(buffer.bytes == expected, "\(value)")
            let decoded = try AMQPTable(decoding: &buffer)
            #expect(decoded == table, "\(value)")
            #expect(buffer.readableBytes == 0)
            #expect(value.typeOctet == type)
        }
    }

    @Test func allTypesInOneTableKeepTheirOrder() throws {
        var table = AMQPTable()
        for (index, (value, _, _)) in Self.everyType.enumerated() {
            table["key-\(Self.everyType.count - index)"] = value
        }
        var buffer = ByteBuffer()
        try table.encode(into: &buffer)
        let decoded = try AMQPTable(decoding: &buffer)
        #expect(decoded == table)
        #expect(decoded.keys == table.keys)
        #expect(decoded.keys.first == "key-\(Self.everyType.count)")
    }

    @Test func floatingPointValuesCompareByBitPattern() throws {
        let nan: AMQPFieldValue = .double(.nan)
        #expect(nan == nan)
        #expect(AMQPFieldValue.double(0.0) != .double(-0.0))
        #expect(AMQPFieldValue.float(1) != .double(1))
        var buffer = ByteBuffer()
        let table: AMQPTable = ["nan": .float(.nan)]
        try table.encode(into: &buffer)
        #expect(try AMQPTable(decoding: &buffer) == table)
    }

    @Test func invalidUTF8LongStringsAreKept() throws {
        // "k" → S with bytes FF FE.
        var buffer = ByteBuffer([0x00, 0x00, 0x00, 0x09, 0x01, 0x6B, 0x53, 0x00, 0x00, 0x00, 0x02, 0xFF, 0xFE])
        let table = try AMQPTable(decoding: &buffer)
        #expect(table["k"] == .longString(ByteBuffer([0xFF, 0xFE])))
        #expect(table["k"]?.stringValue == nil)
    }

    @Test func literalsAndAccessors() {
        let table: AMQPTable = [
            "s": "text", "i": 42, "b": true, "d": 2.5, "a": [1, "x"], "t": ["inner": .int16(-1)],
        ]
        #expect(table.keys == ["s", "i", "b", "d", "a", "t"])
        #expect(table["s"]?.stringValue == "text")
        #expect(table["i"] == .int64(42))
        #expect(table["i"]?.integerValue == 42)
        #expect(table["b"]?.boolValue == true)
        #expect(table["d"] == .double(2.5))
        #expect(table["a"]?.arrayValue == [.int64(1), .string("x")])
        #expect(table["t"]?.tableValue?["inner"]?.integerValue == -1)
        #expect(table["missing"] == nil)
        #expect(table.count == 6)
        #expect(table[0].key == "s")
    }

    @Test func subscriptSetReplacesAppendsAndRemoves() {
        var table: AMQPTable = ["a": 1, "b": 2]
        table["a"] = 3
        table["c"] = 4
        #expect(table.keys == ["a", "b", "c"])
        #expect(table["a"] == 3)
        table["b"] = nil
        #expect(table.keys == ["a", "c"])
    }

    @Test func duplicateKeysAreKeptInOrder() throws {
        let table = AMQPTable([.init(key: "k", value: 1), .init(key: "k", value: 2)])
        var buffer = ByteBuffer()
        try table.encode(into: &buffer)
        let decoded = try AMQPTable(decoding: &buffer)
        #expect(decoded.entries.map(\.value) == [1, 2])
        #expect(decoded["k"] == 1)
    }

    @Test func unknownTypeOctetIsATypedError() {
        // "k" → 'Z'.
        var buffer = ByteBuffer([0x00, 0x00, 0x00, 0x04, 0x01, 0x6B, 0x5A, 0x00])
        let error = #expect(throws: AMQPError.self) { try AMQPTable(decoding: &buffer) }
        #expect(error?.code == .invalidFieldValueType)
        #expect(error?.offendingByte == 0x5A)
        #expect(error?.offset == 6)
        #expect(buffer.readerIndex == 0)
    }

    @Test func lengthPastTheEndIsTruncated() {
        var buffer = ByteBuffer([0x00, 0x00, 0x01, 0x00, 0x01, 0x6B, 0x56])
        let error = #expect(throws: AMQPError.self) { try AMQPTable(decoding: &buffer) }
        #expect(error?.code == .truncated)
        var huge = ByteBuffer([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: AMQPError.self) { try AMQPTable(decoding: &huge) }
    }

    @Test func valueCutByTheTableLengthIsTruncated() {
        // The table says 5 bytes, the int32 value needs 4 after "k" and 'I'.
        var buffer = ByteBuffer([0x00, 0x00, 0x00, 0x05, 0x01, 0x6B, 0x49, 0x00, 0x00, 0x00, 0x00])
        let error = #expect(throws: AMQPError.self) { try AMQPTable(decoding: &buffer) }
        #expect(error?.code == .truncated)
    }

    @Test func keysMustBeUTF8() {
        var buffer = ByteBuffer([0x00, 0x00, 0x00, 0x03, 0x01, 0xFF, 0x56])
        let error = #expect(throws: AMQPError.self) { try AMQPTable(decoding: &buffer) }
        #expect(error?.code == .invalidUTF8)
    }

    @Test func keysLongerThan255BytesDoNotEncode() {
        let table = AMQPTable([.init(key: String(repeating: "k", count: 256), value: .void)])
        var buffer = ByteBuffer()
        let error = #expect(throws: AMQPError.self) { try table.encode(into: &buffer) }
        #expect(error?.code == .stringTooLong)
    }

    // MARK: Nesting

    /// Bytes of `depth` tables nested through the key "n" (a top-level table is depth 1).
    static func nestedTableBytes(depth: Int) -> [UInt8] {
        var inner: [UInt8] = [0x00, 0x00, 0x00, 0x00]
        for _ in 1..<depth {
            let content: [UInt8] = [0x01, 0x6E, 0x46] + inner
            let length = UInt32(content.count)
            inner =
                [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
                + content
        }
        return inner
    }

    @Test func nestingUpToTheLimitDecodes() throws {
        var buffer = ByteBuffer(Self.nestedTableBytes(depth: AMQPTable.maximumNestingDepth))
        var table = try AMQPTable(decoding: &buffer)
        var depth = 1
        while let inner = table["n"]?.tableValue {
            table = inner
            depth += 1
        }
        #expect(depth == AMQPTable.maximumNestingDepth)
    }

    @Test func nestingPastTheLimitIsATypedError() {
        var buffer = ByteBuffer(Self.nestedTableBytes(depth: AMQPTable.maximumNestingDepth + 1))
        let error = #expect(throws: AMQPError.self) { try AMQPTable(decoding: &buffer) }
        #expect(error?.code == .nestingTooDeep)
    }

    @Test func hostileNestingDoesNotOverflowTheStack() {
        // 100,000 nested arrays: the decoder stops at the limit instead of recursing.
        var bytes: [UInt8] = []
        let depth = 100_000
        for level in 0..<depth {
            let remaining = UInt32((depth - level - 1) * 5)
            bytes += [0x41, UInt8(remaining >> 24), UInt8((remaining >> 16) & 0xFF), UInt8((remaining >> 8) & 0xFF)]
            bytes.append(UInt8(remaining & 0xFF))
        }
        let content: [UInt8] = [0x01, 0x61] + bytes
        let length = UInt32(content.count)
        var buffer = ByteBuffer(
            [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
                + content
        )
        let error = #expect(throws: AMQPError.self) { try AMQPTable(decoding: &buffer) }
        #expect(error?.code == .nestingTooDeep)
    }

    @Test func encodingPastTheLimitIsATypedError() {
        var value: AMQPFieldValue = .void
        for _ in 0..<AMQPTable.maximumNestingDepth {
            value = .array([value])
        }
        let table: AMQPTable = ["deep": value]
        var buffer = ByteBuffer()
        let error = #expect(throws: AMQPError.self) { try table.encode(into: &buffer) }
        #expect(error?.code == .nestingTooDeep)
    }
}
