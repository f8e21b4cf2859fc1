/// Paging, sorting and filtering of a list, already validated against the list's whitelists.
package struct ListQuery: Sendable, Hashable {
    /// Sort direction.
    package enum Direction: String, Sendable, Hashable, CaseIterable {
        /// Ascending.
        case asc
        /// Descending.
        case desc
    }

    /// The default page size.
    package static let defaultLimit = 100
    /// The largest page size.
    package static let maximumLimit = 1000

    /// At most this many items.
    package var limit: Int
    /// The id of the last item of the previous page.
    package var marker: String?
    /// Sort keys, each a name from the list's whitelist; the id is always the last tie-breaker.
    package var sortKeys: [String]
    /// The direction of every sort key.
    package var direction: Direction
    /// Whether soft-deleted items are listed too.
    package var showDeleted: Bool
    /// Filters: a whitelisted name and the values it may take (any of them).
    package var filters: [String: [String]]
    /// Only items of this user, if set.
    package var userID: String?
    /// Only items at or after this instant (events, consumptions), if set.
    package var start: BillingTime?
    /// Only items before this instant, if set.
    package var end: BillingTime?

    /// Creates a query.
    package init(
        limit: Int = ListQuery.defaultLimit,
        marker: String? = nil,
        sortKeys: [String] = [],
        direction: Direction = .asc,
        showDeleted: Bool = false,
        filters: [String: [String]] = [:],
        userID: String? = nil,
        start: BillingTime? = nil,
        end: BillingTime? = nil
    ) {
        self.limit = limit
        self.marker = marker
        self.sortKeys = sortKeys
        self.direction = direction
        self.showDeleted = showDeleted
        self.filters = filters
        self.userID = userID
        self.start = start
        self.end = end
    }

    /// Checks the query against a list's whitelists.
    /// - Parameters:
    ///   - sortable: The sort keys the list accepts.
    ///   - filterable: The filters the list accepts.
    /// - Throws: ``BileanError`` (invalid input) naming the unknown key or the bad limit or window.
    package func validate(sortable: Set<String>, filterable: Set<String>) throws(BileanError) {
        guard (1...Self.maximumLimit).contains(self.limit) else {
            throw BileanError.invalid("limit", "limit must be between 1 and \(Self.maximumLimit)")
        }
        for key in self.sortKeys where !sortable.contains(key) {
            let allowed = sortable.sorted().joined(separator: ", ")
            throw BileanError.invalid("sort_keys", "Unsupported sort key '\(key)' (allowed: \(allowed))")
        }
        for key in self.filters.keys.sorted() where !filterable.contains(key) {
            let allowed = filterable.sorted().joined(separator: ", ")
            throw BileanError.invalid(key, "Unsupported filter '\(key)' (allowed: \(allowed))")
        }
        if let marker, marker.isEmpty || marker.count > 255 {
            throw BileanError.invalid("marker", "marker must be an id of 1 to 255 characters")
        }
        if let start, let end, end < start {
            throw BileanError.invalid("end_time", "end_time must not be before start_time")
        }
    }
}
