package import BileanCore
import Foundation
package import Hummingbird

/// The query parameters of a list request.
package struct ListParameters: Sendable {
    /// The paging, sorting and filters.
    package var query: ListQuery
    /// Parameters the endpoint reads itself (`user_id`, `summary`), by name.
    package var extra: [String: String]
}

extension Request {
    /// Reads `limit`, `marker`, `sort_keys` (repeated or comma-separated; `sort_key` too), `sort_dir`,
    /// `show_deleted`, `start_time`, `end_time`, the endpoint's own parameters and the list's filters.
    /// - Parameters:
    ///   - keys: The list's sort keys and filters.
    ///   - own: Parameters the endpoint reads itself.
    ///   - window: Whether `start_time` / `end_time` apply.
    ///   - paging: Whether the list pages and sorts (`limit`, `marker`, `sort_keys`, `sort_dir`, `show_deleted`);
    ///     when not, those parameters are unknown ones (a 400), never silently ignored.
    /// - Returns: The validated query.
    /// - Throws: ``BileanError`` (400) naming the bad parameter: an unknown one, a bad limit, sort key, direction,
    ///   boolean or time.
    package func listParameters(
        _ keys: ListKeys,
        own: Set<String> = [],
        window: Bool = false,
        paging: Bool = true
    ) throws(BileanError) -> ListParameters {
        var query = ListQuery()
        var extra: [String: String] = [:]
        for (name, value) in Self.formDecoded(self.uri.query ?? "") {
            guard value.count <= 1024 else {
                throw BileanError.invalid(name, "'\(name.prefix(64))' is longer than 1024 characters")
            }
            if !paging && ["limit", "marker", "sort_keys", "sort_key", "sort_dir", "show_deleted"].contains(name) {
                throw BileanError.invalid(name, "'\(name)' does not apply here: this answer is not paged or sorted")
            }
            switch name {
            case "limit":
                // Above the maximum, a page of the maximum (as OpenStack services answer): the original client
                // asks for `limit=N` and follows up with the rest.
                guard let limit = Int(value), limit >= 1 else {
                    throw BileanError.invalid("limit", "limit must be a whole number of at least 1")
                }
                query.limit = min(limit, ListQuery.maximumLimit)
            case "marker":
                query.marker = value
            case "sort_keys", "sort_key":
                query.sortKeys += value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            case "sort_dir":
                guard let direction = ListQuery.Direction(rawValue: value.lowercased()) else {
                    throw BileanError.invalid("sort_dir", "sort_dir must be asc or desc")
                }
                query.direction = direction
            case "show_deleted":
                query.showDeleted = try Self.boolean(value, name: "show_deleted")
            case "start_time" where window:
                query.start = try BillingTime(parsing: value, field: "start_time")
            case "end_time" where window:
                query.end = try BillingTime(parsing: value, field: "end_time")
            default:
                if own.contains(name) {
                    extra[name] = value
                } else {
                    query.filters[name, default: []].append(value)
                }
            }
        }
        for (name, value) in [("user_id", extra["user_id"]), ("marker", query.marker)] {
            guard let value else { continue }
            guard value.isAcceptableID else {
                throw BileanError.invalid(
                    name,
                    "\(name) must be an id of 1 to 255 characters without control characters"
                )
            }
        }
        try query.validate(sortable: keys.sortable, filterable: keys.filterable)
        return ListParameters(query: query, extra: extra)
    }

    /// The pairs of a query string, decoded as a form: `+` is a space (the old client's urllib sends spaces so),
    /// then `%XX` escapes. Text with a broken escape is kept as it was sent.
    /// - Parameter query: The raw query, without `?`.
    /// - Returns: The names and values, in order, repeated names kept.
    package static func formDecoded(_ query: String) -> [(String, String)] {
        func decode(_ text: Substring) -> String {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// oslo's `bool_from_string`, strict: `true/false`, `1/0`, `yes/no`, `on/off`, any case (`True` from the
    /// original client).
    /// - Throws: ``BileanError`` (400) for anything else.
    package static func boolean(_ value: String, name: String) throws(BileanError) -> Bool {
        switch value.lowercased() {
        case "true", "1", "yes", "on", "y", "t": return true
        case "false", "0", "no", "off", "n", "f": return false
        default: throw BileanError.invalid(name, "\(name) must be true or false")
        }
    }
}

extension APIRequestContext {
    /// A path parameter, percent-decoded and checked to be an id of 1 to 255 characters.
    /// - Throws: ``BileanError`` (400) for an empty or too long id.
    package func pathID(_ name: String = "id") throws(BileanError) -> String {
        let raw = self.parameters.get(name) ?? ""
        // Most ids have nothing to decode: Foundation's decoder is skipped for them (it was 3 % of a request).
        let id = raw.utf8.contains(UInt8(ascii: "%")) ? raw.removingPercentEncoding ?? raw : raw
        guard id.isAcceptableID else {
            throw BileanError.invalid(name, "The id must be 1 to 255 characters, not blank, without control characters")
        }
        return id
    }
}
