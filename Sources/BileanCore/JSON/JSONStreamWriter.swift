/// Writes compact JSON straight from typed values, with no ``JSONValue`` tree: for response bodies written often
/// (a page of users). The bytes are those ``ExactJSONWriter/bytes(_:options:)`` gives with its default options for
/// the same value, provided that the caller writes each object's members in the order of their keys' UTF-8 bytes,
/// as that writer sorts them. Tests compare both for every body written this way.
///
/// Members are written as ``key(_:)`` followed by one value; array elements as values in a row. Commas are put in
/// by the writer.
package struct JSONStreamWriter {
    private var base: ExactJSONWriter
    /// Whether the next value or key follows one at the same level, and so needs a comma.
    private var followsValue = false

    /// An empty writer.
    /// - Parameter capacity: The bytes to reserve.
    package init(capacity: Int = 256) {
        self.base = ExactJSONWriter(options: .storage)
        self.base.output.reserveCapacity(capacity)
    }

    /// The bytes written.
    package var bytes: [UInt8] { self.base.output }

    /// Starts an object: `{`.
    package mutating func beginObject() {
        self.separate()
        self.base.output.append(UInt8(ascii: "{"))
        self.followsValue = false
    }

    /// Ends an object: `}`.
    package mutating func endObject() {
        self.base.output.append(UInt8(ascii: "}"))
        self.followsValue = true
    }

    /// Starts an array: `[`.
    package mutating func beginArray() {
        self.separate()
        self.base.output.append(UInt8(ascii: "["))
        self.followsValue = false
    }

    /// Ends an array: `]`.
    package mutating func endArray() {
        self.base.output.append(UInt8(ascii: "]"))
        self.followsValue = true
    }

    /// A member's key, written as is: a literal of letters, digits and `_` (nothing to escape). Keys of an object
    /// come in the order of their UTF-8 bytes.
    /// - Parameter key: The key.
    package mutating func key(_ key: StaticString) {
        self.separate()
        self.base.output.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { self.base.output.append(contentsOf: $0) }
        self.base.output.append(UInt8(ascii: "\""))
        self.base.output.append(UInt8(ascii: ":"))
        self.followsValue = false
    }

    /// A member's key given at run time, escaped as a string. The caller orders the keys (or needs no particular
    /// order, as for a document only a database reads).
    /// - Parameter key: The key.
    package mutating func key(text key: String) {
        self.separate()
        self.base.writeString(key)
        self.base.output.append(UInt8(ascii: ":"))
        self.followsValue = false
    }

    /// An integer, as a JSON number.
    /// - Parameter number: The integer.
    package mutating func integer(_ number: Int64) {
        self.separate()
        self.base.output.append(contentsOf: String(number).utf8)
        self.followsValue = true
    }

    /// A string, escaped as ``ExactJSONWriter`` escapes it, or `null`.
    /// - Parameter text: The string, or `nil` for `null`.
    package mutating func string(_ text: String?) {
        self.separate()
        if let text {
            self.base.writeString(text)
        } else {
            self.base.output.append(contentsOf: Self.null)
        }
        self.followsValue = true
    }

    /// An amount as its exact decimal string (``Money/description``), or `null`. Its characters (digits, `-`, `.`)
    /// never need escaping: they go straight out.
    /// - Parameter amount: The amount, or `nil` for `null`.
    package mutating func money(_ amount: Money?) {
        self.quoted(amount) { $0.appendDescription(to: &$1) }
    }

    /// An instant as its ``BillingTime/iso8601`` string, or `null`.
    /// - Parameter instant: The instant, or `nil` for `null`.
    package mutating func time(_ instant: BillingTime?) {
        self.quoted(instant) { $0.appendISO8601(to: &$1) }
    }

    /// A string whose characters never need escaping, its bytes appended by `append`, or `null`.
    private mutating func quoted<Value>(_ value: Value?, _ append: (Value, inout [UInt8]) -> Void) {
        self.separate()
        if let value {
            self.base.output.append(UInt8(ascii: "\""))
            append(value, &self.base.output)
            self.base.output.append(UInt8(ascii: "\""))
        } else {
            self.base.output.append(contentsOf: Self.null)
        }
        self.followsValue = true
    }

    /// Any value, as ``ExactJSONWriter`` writes it.
    /// - Parameter value: The value.
    /// - Throws: ``ExactJSONWriter/Failure`` for a number whose text is not a JSON number.
    package mutating func value(_ value: JSONValue) throws(ExactJSONWriter.Failure) {
        self.separate()
        try self.base.write(value, level: 0)
        self.followsValue = true
    }

    private static let null: [UInt8] = Array("null".utf8)

    private mutating func separate() {
        if self.followsValue { self.base.output.append(UInt8(ascii: ",")) }
    }
}
