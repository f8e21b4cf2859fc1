package import BileanCore

/// One JSON object of a request body, read field by field; every error names the field's path.
package struct BodyObject: Sendable {
    /// The path of this object in the body, e.g. `rule`.
    package let path: String
    /// Its members.
    package let members: [String: JSONValue]

    /// The object at `path`.
    /// - Parameters:
    ///   - value: The value.
    ///   - path: Its path, for errors (empty for the whole body).
    /// - Throws: ``BileanError`` (invalid input) when the value is not an object.
    package init(_ value: JSONValue, path: String) throws(BileanError) {
        guard let members = value.objectValue else {
            let what = path.isEmpty ? "The request body" : "'\(path)'"
            throw BileanError.invalid(
                path.isEmpty ? "body" : path,
                "\(what) must be a JSON object, not \(value.typeName)"
            )
        }
        self.path = path
        self.members = members
    }

    /// The full path of a member.
    package func field(_ key: String) -> String {
        self.path.isEmpty ? key : "\(self.path).\(key)"
    }

    /// Rejects members other than `allowed`.
    /// - Throws: ``BileanError`` naming the first unknown member.
    package func allowOnly(_ allowed: Set<String>) throws(BileanError) {
        for key in self.members.keys.sorted() where !allowed.contains(key) {
            let list = allowed.sorted().joined(separator: ", ")
            throw BileanError.invalid(self.field(key), "Unknown field '\(self.field(key))' (allowed: \(list))")
        }
    }

    /// A member that must be an object.
    package func object(_ key: String) throws(BileanError) -> BodyObject {
        guard let value = self.members[key], value != .null else {
            throw BileanError.invalid(self.field(key), "'\(self.field(key))' is required")
        }
        return try BodyObject(value, path: self.field(key))
    }

    /// A required string of 1 to `maximumLength` characters.
    package func string(_ key: String, maximumLength: Int = 255) throws(BileanError) -> String {
        guard let value = try self.optionalString(key, maximumLength: maximumLength) else {
            throw BileanError.invalid(self.field(key), "'\(self.field(key))' is required")
        }
        return value
    }

    /// An optional string of 1 to `maximumLength` characters (`null` counts as absent).
    package func optionalString(_ key: String, maximumLength: Int = 255) throws(BileanError) -> String? {
        switch self.members[key] {
        case .none, .null:
            return nil
        case .string(let text):
            guard !text.isEmpty, text.count <= maximumLength else {
                throw BileanError.invalid(
                    self.field(key),
                    "'\(self.field(key))' must be 1 to \(maximumLength) characters"
                )
            }
            guard !text.containsControlCharacters, !text.allSatisfy(\.isWhitespace) else {
                throw BileanError.invalid(
                    self.field(key),
                    "'\(self.field(key))' must not be blank or hold control characters"
                )
            }
            return text
        case .bool, .number, .array, .object:
            throw self.wrongType(key, "a string")
        }
    }

    /// An optional boolean.
    package func optionalBool(_ key: String) throws(BileanError) -> Bool? {
        switch self.members[key] {
        case .none, .null: return nil
        case .bool(let value): return value
        case .string, .number, .array, .object: throw self.wrongType(key, "true or false")
        }
    }

    /// An optional object member, returned as JSON (metadata, spec, properties).
    package func optionalObjectValue(_ key: String) throws(BileanError) -> JSONValue? {
        switch self.members[key] {
        case .none, .null: return nil
        case .object(let members): return .object(members)
        case .bool, .number, .string, .array: throw self.wrongType(key, "an object")
        }
    }

    /// An optional list of ids (`null` counts as absent).
    package func optionalIDs(_ key: String) throws(BileanError) -> [String]? {
        switch self.members[key] {
        case .none, .null:
            return nil
        case .array(let elements):
            guard elements.count <= 1000 else {
                throw BileanError.invalid(self.field(key), "'\(self.field(key))' lists more than 1000 ids")
            }
            var ids: [String] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let id) = element, id.isAcceptableID else {
                    throw BileanError.invalid(
                        "\(self.field(key))[\(index)]",
                        "'\(self.field(key))[\(index)]' must be an id (a string of 1 to 255 characters)"
                    )
                }
                ids.append(id)
            }
            return ids
        case .bool, .number, .string, .object:
            throw self.wrongType(key, "a list of ids")
        }
    }

    /// An optional whole number within `range` (a JSON number or a string of digits).
    package func optionalInteger(_ key: String, in range: ClosedRange<Int>) throws(BileanError) -> Int? {
        switch self.members[key] {
        case .none, .null:
            return nil
        case .number(let text), .string(let text):
            guard let value = Int(text), range.contains(value) else {
                throw BileanError.invalid(
                    self.field(key),
                    "'\(self.field(key))' must be a whole number from \(range.lowerBound) to \(range.upperBound)"
                )
            }
            return value
        case .bool, .array, .object:
            throw self.wrongType(key, "a whole number")
        }
    }

    /// A required amount, a JSON number or a decimal string, read from its decimal text exactly.
    package func money(_ key: String) throws(BileanError) -> Money {
        switch self.members[key] {
        case .none, .null:
            throw BileanError.invalid(self.field(key), "'\(self.field(key))' is required")
        case .number(let text), .string(let text):
            // Money keeps 12 decimal places; an amount with more would be rounded, so it is refused instead.
            if let dot = text.firstIndex(of: "."),
                text[text.index(after: dot)...].reversed().drop(while: { $0 == "0" }).count > Money.scale
            {
                throw BileanError.invalid(
                    self.field(key),
                    "'\(self.field(key))' has more than \(Money.scale) decimal places"
                )
            }
            return try Money(parsing: text, field: self.field(key))
        case .bool, .array, .object:
            throw self.wrongType(key, "a number")
        }
    }

    /// A required instant, an ISO 8601 string read as the `start_time` and `end_time` query parameters are
    /// (``BillingTime/init(parsing:field:)``).
    package func time(_ key: String) throws(BileanError) -> BillingTime {
        switch self.members[key] {
        case .none, .null:
            throw BileanError.invalid(self.field(key), "'\(self.field(key))' is required (an ISO 8601 instant)")
        case .string(let text):
            return try BillingTime(parsing: text, field: self.field(key))
        case .bool, .number, .array, .object:
            throw self.wrongType(key, "an ISO 8601 instant")
        }
    }

    private func wrongType(_ key: String, _ expected: String) -> BileanError {
        let found = self.members[key]?.typeName ?? "nothing"
        return BileanError.invalid(self.field(key), "'\(self.field(key))' must be \(expected), not \(found)")
    }
}
