import BileanCore

/// One object of a list API's answer, whose members are read as the notification definitions read traits: `null`
/// and `""` count as absent, strings stay strings, whole numbers keep their exact text.
struct ListedObject {
    /// Why an object cannot be listed: `has no id`, `'created_at' is not a timestamp: '…'`.
    struct Problem: Error, Sendable, Hashable {
        /// The sentence, without the page or the item.
        var text: String

        init(_ text: String) {
            self.text = text
        }
    }

    /// The longest text of a listed value quoted in a message.
    static let maximumQuoted = 64

    /// The object's members.
    let members: [String: JSONValue]

    /// ` (id …)` for an object with a string id, else nothing: for messages.
    var idForMessage: String {
        guard let id = self.members["id"]?.stringValue, !id.isEmpty else { return "" }
        return " (id \(Self.quoted(id)))"
    }

    /// The value at a path of member names (`["flavor", "original_name"]`), or `nil` when a member is missing, is
    /// `null` or is `""`.
    func value(at path: [String]) -> JSONValue? {
        var value: JSONValue = .object(self.members)
        for name in path {
            guard let member = value[name] else { return nil }
            value = member
        }
        switch value {
        case .null: return nil
        case .string(let text) where text.isEmpty: return nil
        case .bool, .number, .string, .array, .object: return value
        }
    }

    /// The object's `id`, a string.
    /// - Throws: A problem when it has none.
    func id() throws(Problem) -> String {
        guard let value = self.value(at: ["id"]) else { throw Problem("has no id") }
        guard let id = value.stringValue else { throw Problem("its id is a \(value.typeName), not a string") }
        return id
    }

    /// The owning project: the first of `names` that holds a string.
    /// - Parameter names: The members to try, in order (`project_id`, `tenant_id`).
    /// - Throws: A problem when none does.
    func owner(_ names: String...) throws(Problem) -> String {
        for name in names {
            if let owner = self.value(at: [name])?.stringValue { return owner }
        }
        throw Problem("has no project (\(names.map { "'\($0)'" }.joined(separator: " or ")))")
    }

    /// A time, exactly: `2026-12-01T10:00:00Z`, `2026-12-01T10:00:00.000000` (no zone: UTC), offsets.
    /// - Parameter name: The member.
    /// - Returns: The instant, or `nil` when the member is absent, `null` or `""`.
    /// - Throws: A problem for anything that is not a timestamp string.
    func time(_ name: String) throws(Problem) -> BillingTime? {
        guard let value = self.value(at: [name]) else { return nil }
        guard let text = value.stringValue else { throw Problem("'\(name)' is a \(value.typeName), not a timestamp") }
        do throws(BileanError) {
            return try BillingTime(parsing: text, field: name)
        } catch {
            throw Problem("'\(name)' is not a timestamp: \(Self.quoted(text))")
        }
    }

    /// A whole number, as the definitions' `int` traits make it: `.number` with its canonical text, from a JSON
    /// number or a string of one (`20`, `"20"`, `20.0`).
    /// - Parameter name: The member.
    /// - Returns: The number, or `nil` when the member is absent, `null` or `""`.
    /// - Throws: A problem for anything else, fractions included.
    func wholeNumber(_ name: String) throws(Problem) -> JSONValue? {
        guard let value = self.value(at: [name]) else { return nil }
        let canonical: String?
        switch value {
        case .number(let text): canonical = JSONNumber.canonical(text)
        case .string(let text): canonical = JSONNumber.canonical(text)
        case .null, .bool, .array, .object: throw Problem("'\(name)' is a \(value.typeName), not a number")
        }
        guard let canonical, !canonical.contains("."), !canonical.contains("e") else {
            throw Problem("'\(name)' is not a whole number: \(Self.quoted(value.scalarText ?? ""))")
        }
        return .number(canonical)
    }

    /// A string, as the definitions' `string` traits make it: a string as is, a number as its text, a boolean as
    /// `true` or `false`.
    /// - Parameter path: The member names (`"flavor", "original_name"`).
    /// - Returns: The string, or `nil` when a member is absent, `null` or `""`.
    /// - Throws: A problem for an array or an object.
    func string(_ path: String...) throws(Problem) -> JSONValue? {
        guard let value = self.value(at: path) else { return nil }
        switch value {
        case .string: return value
        case .number(let text): return .string(text)
        case .bool(let flag): return .string(flag ? "true" : "false")
        case .null, .array, .object:
            throw Problem("'\(path.joined(separator: "."))' is a \(value.typeName), not a string")
        }
    }

    /// A listed value in quotes, cut to ``maximumQuoted`` characters.
    static func quoted(_ text: String) -> String {
        guard text.count > Self.maximumQuoted else { return "'\(text)'" }
        return "'\(text.prefix(Self.maximumQuoted))…'"
    }
}
