package import BileanCore

extension BileanHTTPClient {
    /// Lists a collection.
    ///
    /// With a `limit`, sends one request (`limit` and `marker` as given). Without one, fetches every page of
    /// ``pageSize`` rows, each after the `id` of the previous page's last row (starting after `marker` if
    /// given), until a page is shorter than ``pageSize``.
    /// - Parameters:
    ///   - path: The collection's path after `/v1` (`["users"]`).
    ///   - key: The list's key in the answer (`users`).
    ///   - query: Filters and sorting, without `limit` and `marker`.
    ///   - limit: The user's `--limit`, if any.
    ///   - marker: The user's `--marker`, if any.
    /// - Returns: The rows, in the server's order.
    /// - Throws: ``BileanClientError``, also when an answer has no list under `key`, a full page's last row has
    ///   no `id`, or the server repeats a page (it ignores `marker`).
    package func list(
        _ path: [String],
        key: String,
        query: QueryParameters = [],
        limit: Int? = nil,
        marker: String? = nil
    ) async throws(BileanClientError) -> [JSONValue] {
        var pageQuery = query
        pageQuery.removeAll(named: "limit")
        pageQuery.removeAll(named: "marker")
        if let limit {
            pageQuery.append("limit", String(limit))
            pageQuery.append("marker", marker)
            return try self.rows(try await self.get(path, query: pageQuery), key: key)
        }
        var rows: [JSONValue] = []
        var nextMarker = marker
        var seenMarkers: Set<String> = []
        while true {
            var query = pageQuery
            query.append("limit", String(Self.pageSize))
            query.append("marker", nextMarker)
            let page = try self.rows(try await self.get(path, query: query), key: key)
            rows += page
            guard page.count >= Self.pageSize, let last = page.last else { return rows }
            guard let id = last["id"]?.scalarText else {
                throw BileanClientError(.invalidResponse, "a row of '\(key)' has no id; cannot fetch the next page")
            }
            guard seenMarkers.insert(id).inserted else {
                throw BileanClientError(
                    .invalidResponse,
                    "the Bilean API returned the same page of '\(key)' twice (is 'marker' ignored?)"
                )
            }
            nextMarker = id
        }
    }

    /// The list under `key` of an answer.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidResponse``) when there is none.
    package func rows(_ answer: JSONValue?, key: String) throws(BileanClientError) -> [JSONValue] {
        guard let rows = answer?[key]?.arrayValue else {
            throw BileanClientError(.invalidResponse, "the answer of the Bilean API has no '\(key)' list")
        }
        return rows
    }

    /// The object under `key` of an answer (`{"user": {...}}` → the user).
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidResponse``) when there is none.
    package func member(_ answer: JSONValue?, key: String) throws(BileanClientError) -> JSONValue {
        guard let object = answer?[key], object.objectValue != nil else {
            throw BileanClientError(.invalidResponse, "the answer of the Bilean API has no '\(key)' object")
        }
        return object
    }
}
