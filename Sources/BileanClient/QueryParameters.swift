/// The query parameters of a request, in order; a key may repeat (`sort_keys=a&sort_keys=b`).
package struct QueryParameters: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// The parameters as name and value, in the order they are sent.
    package private(set) var items: [(name: String, value: String)]

    /// Creates parameters.
    /// - Parameter items: The names and values, in order.
    package init(_ items: [(name: String, value: String)] = []) {
        self.items = items
    }

    package init(arrayLiteral elements: (name: String, value: String)...) {
        self.items = elements
    }

    /// Appends a parameter (a name may repeat).
    /// - Parameters:
    ///   - name: The name.
    ///   - value: The value; `nil` appends nothing.
    package mutating func append(_ name: String, _ value: String?) {
        guard let value else { return }
        self.items.append((name, value))
    }

    /// Appends a parameter once per value.
    /// - Parameters:
    ///   - name: The name.
    ///   - values: The values, in order.
    package mutating func append(_ name: String, values: [String]) {
        for value in values { self.items.append((name, value)) }
    }

    /// Appends other parameters, in their order.
    /// - Parameter other: The parameters.
    package mutating func append(contentsOf other: QueryParameters) {
        self.items += other.items
    }

    /// Removes every parameter with this name.
    /// - Parameter name: The name.
    package mutating func removeAll(named name: String) {
        self.items.removeAll { $0.name == name }
    }

    /// The values of a name, in order.
    /// - Parameter name: The name.
    package func values(of name: String) -> [String] {
        self.items.filter { $0.name == name }.map(\.value)
    }

    /// The query string without the leading `?`: `name=value` pairs joined by `&`, names and values
    /// percent-encoded (everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`).
    package var encoded: String {
        self.items.map { "\(Self.percentEncode($0.name))=\(Self.percentEncode($0.value))" }.joined(separator: "&")
    }

    /// Percent-encodes every UTF-8 byte that is not an RFC 3986 unreserved character (so `/`, `?`, `&`, `=`,
    /// `+`, `;`, space and non-ASCII are all encoded).
    /// - Parameter text: The text.
    /// - Returns: The encoded text, with uppercase hexadecimal digits.
    package static func percentEncode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return output
    }

    package static func == (lhs: QueryParameters, rhs: QueryParameters) -> Bool {
        lhs.items.elementsEqual(rhs.items) { $0.name == $1.name && $0.value == $1.value }
    }

    package func hash(into hasher: inout Hasher) {
        for item in self.items {
            hasher.combine(item.name)
            hasher.combine(item.value)
        }
    }
}
