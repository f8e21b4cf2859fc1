package import BileanCore
package import BileanMessaging

/// Reads the fields of an RPC argument or result object, exactly: times are integer microseconds, money and
/// rates decimal text, so that nothing goes through a floating-point number. A missing or mistyped field is an
/// ``RPCRemoteError`` (`invalidInput`) naming it.
package struct RPCObject: Sendable {
    let fields: [String: JSONValue]
    let what: String

    /// Reads an object.
    /// - Parameters:
    ///   - value: The JSON value.
    ///   - what: What it is, for errors (`batch`, `job`…).
    package init(_ value: JSONValue, _ what: String) throws(RPCRemoteError) {
        guard case .object(let fields) = value else {
            throw RPCRemoteError(kind: .invalidInput, message: "\(what) must be an object", field: what)
        }
        self.fields = fields
        self.what = what
    }

    func missing(_ key: String, _ expected: String) -> RPCRemoteError {
        RPCRemoteError(kind: .invalidInput, message: "\(self.what).\(key) must be \(expected)", field: key)
    }

    package func value(_ key: String) -> JSONValue? {
        guard let value = self.fields[key], value != .null else { return nil }
        return value
    }

    package func string(_ key: String) throws(RPCRemoteError) -> String {
        guard case .string(let text)? = self.value(key) else { throw self.missing(key, "a string") }
        return text
    }

    package func optionalString(_ key: String) throws(RPCRemoteError) -> String? {
        guard let value = self.value(key) else { return nil }
        guard case .string(let text) = value else { throw self.missing(key, "a string or null") }
        return text
    }

    package func int64(_ key: String) throws(RPCRemoteError) -> Int64 {
        guard case .number(let text)? = self.value(key), let number = Int64(text) else {
            throw self.missing(key, "an integer")
        }
        return number
    }

    package func int(_ key: String) throws(RPCRemoteError) -> Int {
        guard let number = Int(exactly: try self.int64(key)) else { throw self.missing(key, "an integer") }
        return number
    }

    package func bool(_ key: String) throws(RPCRemoteError) -> Bool {
        guard case .bool(let flag)? = self.value(key) else { throw self.missing(key, "a boolean") }
        return flag
    }

    package func time(_ key: String) throws(RPCRemoteError) -> BillingTime {
        BillingTime(microseconds: try self.int64(key))
    }

    package func optionalTime(_ key: String) throws(RPCRemoteError) -> BillingTime? {
        guard self.value(key) != nil else { return nil }
        return try self.time(key)
    }

    package func money(_ key: String) throws(RPCRemoteError) -> Money {
        guard let money = try? Money(parsing: try self.string(key)) else { throw self.missing(key, "a decimal") }
        return money
    }

    package func rate(_ key: String) throws(RPCRemoteError) -> Rate {
        guard let units = Int128(try self.string(key)) else { throw self.missing(key, "an integer (units per hour)") }
        return Rate(unitsPerHour: units)
    }

    package func array(_ key: String) throws(RPCRemoteError) -> [JSONValue] {
        guard case .array(let items)? = self.value(key) else { throw self.missing(key, "an array") }
        return items
    }

    package func object(_ key: String) throws(RPCRemoteError) -> [String: JSONValue] {
        guard case .object(let items)? = self.value(key) else { throw self.missing(key, "an object") }
        return items
    }

    package func strings(_ key: String) throws(RPCRemoteError) -> [String] {
        var result: [String] = []
        for item in try self.array(key) {
            guard case .string(let text) = item else { throw self.missing(key, "an array of strings") }
            result.append(text)
        }
        return result
    }

    package func enumeration<Value: RawRepresentable>(_ key: String, _ type: Value.Type) throws(RPCRemoteError) -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: try self.string(key)) else { throw self.missing(key, "a known value") }
        return value
    }
}

/// Builders of the exact JSON forms ``RPCObject`` reads.
extension JSONValue {
    static func time(_ time: BillingTime) -> JSONValue { .number("\(time.microseconds)") }
    static func optionalTime(_ time: BillingTime?) -> JSONValue { time.map(Self.time) ?? .null }
    static func integer(_ value: some BinaryInteger) -> JSONValue { .number("\(value)") }
    static func money(_ money: Money) -> JSONValue { .string(money.description) }
    static func rate(_ rate: Rate) -> JSONValue { .string("\(rate.unitsPerHour)") }
    static func optionalString(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}

/// A value that crosses the RPC as exact JSON.
package protocol RPCValue: Sendable {
    /// Its JSON form.
    var rpcValue: JSONValue { get }
    /// Reads the JSON form.
    init(rpcValue: JSONValue) throws(RPCRemoteError)
}

extension Array where Element: RPCValue {
    init(rpcValues: [JSONValue]) throws(RPCRemoteError) {
        var result: [Element] = []
        result.reserveCapacity(rpcValues.count)
        for value in rpcValues { result.append(try Element(rpcValue: value)) }
        self = result
    }

    var rpcValue: JSONValue { .array(self.map(\.rpcValue)) }
}
