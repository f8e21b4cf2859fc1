/// The paging, sorting and filtering options every list command takes.
package struct ListOptions: Sendable {
    /// At most this many rows, in one request; `nil` fetches every page.
    package var limit: Int?
    /// Start after the row with this id.
    package var marker: String?
    /// Sort keys, in order, each sent as its own `sort_keys` parameter.
    package var sortKeys: [String]
    /// `asc` or `desc`, if given.
    package var sortDirection: String?
    /// Whether to list soft-deleted rows too (`show_deleted=true`).
    package var showDeleted: Bool
    /// Filters as name and value, in order; a name may repeat (any of its values matches).
    package var filters: [(name: String, value: String)]

    /// Creates options.
    package init(
        limit: Int? = nil,
        marker: String? = nil,
        sortKeys: [String] = [],
        sortDirection: String? = nil,
        showDeleted: Bool = false,
        filters: [(name: String, value: String)] = []
    ) {
        self.limit = limit
        self.marker = marker
        self.sortKeys = sortKeys
        self.sortDirection = sortDirection
        self.showDeleted = showDeleted
        self.filters = filters
    }

    /// The query parameters other than `limit` and `marker` (which ``BileanHTTPClient/list(_:key:query:limit:marker:)``
    /// adds): filters first, in order, then `sort_keys` (repeated), `sort_dir`, and `show_deleted=true`.
    package var query: QueryParameters {
        var query = QueryParameters(self.filters)
        query.append("sort_keys", values: self.sortKeys)
        query.append("sort_dir", self.sortDirection)
        if self.showDeleted { query.append("show_deleted", "true") }
        return query
    }

}
