import NIOCore

/// An AMQP field table: an ordered list of key/value entries.
///
/// Entries keep the order they were decoded or added in, and a decoded table keeps duplicate keys as sent; the
/// key subscript reads the first entry with that key. Keys are short strings (UTF-8, at most 255 bytes). Tables and
/// arrays nest at most ``maximumNestingDepth`` deep; deeper input is rejected with ``AMQPError/Code/nestingTooDeep``.
///
/// ```swift
/// let arguments: AMQPTable = ["x-queue-type": "quorum", "x-max-length": 10_000]
/// arguments["x-queue-type"]?.stringValue  // "quorum"
/// ```
public struct AMQPTable: Sendable, Hashable {
    /// One key/value entry.
    public struct Entry: Sendable, Hashable {
        /// The key: a short string.
        public var key: String
        /// The value.
        public var value: AMQPFieldValue

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - key: The key: at most 255 bytes of UTF-8.
        ///   - value: The value.
        public init(key: String, value: AMQPFieldValue) {
            self.key = key
            self.value = value
        }
    }

    /// The deepest nesting of tables and arrays that is decoded or encoded: a top-level table is depth 1.
    public static let maximumNestingDepth = 64

    /// The entries in order.
    public var entries: [Entry]

    /// Creates an empty table.
    public init() {
        self.entries = []
    }

    /// Creates a table with the given entries, in order.
    ///
    /// - Parameter entries: The entries.
    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// The value of the first entry with `key`; setting replaces that entry's value in place or appends a new entry,
    /// and setting `nil` removes every entry with `key`.
    ///
    /// - Parameter key: The key.
    public subscript(key: String) -> AMQPFieldValue? {
        get {
            self.entries.first { $0.key == key }?.value
        }
        set {
            if let newValue {
                if let index = self.entries.firstIndex(where: { $0.key == key }) {
                    self.entries[index].value = newValue
                } else {
                    self.entries.append(Entry(key: key, value: newValue))
                }
            } else {
                self.entries.removeAll { $0.key == key }
            }
        }
    }

    /// The keys in order.
    public var keys: [String] {
        self.entries.map(\.key)
    }
}

extension AMQPTable: ExpressibleByDictionaryLiteral {
    /// Creates a table with the literal's entries in literal order.
    ///
    /// - Parameter elements: The entries.
    public init(dictionaryLiteral elements: (String, AMQPFieldValue)...) {
        self.entries = elements.map { Entry(key: $0.0, value: $0.1) }
    }
}

extension AMQPTable: RandomAccessCollection {
    /// The position of the first entry: 0.
    public var startIndex: Int { self.entries.startIndex }

    /// The position after the last entry.
    public var endIndex: Int { self.entries.endIndex }

    /// The entry at `position`.
    ///
    /// - Parameter position: A valid position.
    public subscript(position: Int) -> Entry {
        self.entries[position]
    }
}

// MARK: - Wire format

extension AMQPTable {
    /// Reads a field table: a 32-bit byte length and that many bytes of entries (short string key, typed value).
    ///
    /// - Parameters:
    ///   - buffer: The buffer to read from.
    ///   - depth: The nesting depth of this table (1 for a top-level table).
    init(decoding buffer: inout ByteBuffer, depth: Int = 1) throws(AMQPError) {
        let start = buffer.readerIndex
        var bytes = try buffer.readAMQPLongStringBytes()
        do {
            var entries: [Entry] = []
            while bytes.readableBytes > 0 {
                let key = try bytes.readAMQPShortString()
                let value = try AMQPFieldValue(decoding: &bytes, depth: depth)
                entries.append(Entry(key: key, value: value))
            }
            self.entries = entries
        } catch {
            buffer.moveReaderIndex(to: start)
            throw error.shifted(by: start + 4)
        }
    }

    /// Writes the table: a 32-bit byte length and the entries.
    ///
    /// - Parameters:
    ///   - buffer: The buffer to write to.
    ///   - depth: The nesting depth of this table (1 for a top-level table).
    /// - Throws: ``AMQPError`` `stringTooLong` for a key longer than 255 bytes, `nestingTooDeep`.
    func encode(into buffer: inout ByteBuffer, depth: Int = 1) throws(AMQPError) {
        try buffer.writeAMQPLengthPrefixed { (buffer: inout ByteBuffer) throws(AMQPError) in
            for entry in self.entries {
                try buffer.writeAMQPShortString(entry.key)
                try entry.value.encode(into: &buffer, depth: depth)
            }
        }
    }
}
