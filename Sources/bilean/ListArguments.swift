import ArgumentParser
import BileanClient
import BileanCore

/// The paging, sorting and filtering options of every list command.
struct ListArguments: ParsableArguments {
    @Option(
        name: [.customShort("l"), .customLong("limit")],
        help: ArgumentHelp("Fetch at most this many rows, in one request (default: every row, page by page).")
    )
    var limit: Int?

    @Option(
        name: [.customShort("m"), .customLong("marker")],
        help: ArgumentHelp("Start after the row with this id.", valueName: "id")
    )
    var marker: String?

    @Option(
        name: .customLong("sort-key"),
        help: ArgumentHelp("Sort by this key; repeat for several keys.", valueName: "key")
    )
    var sortKey: [String] = []

    @Option(
        name: [.customShort("k"), .customLong("sort-keys")],
        help: ArgumentHelp(
            "Sort keys separated by ';' (as the original client's -k), after any --sort-key.",
            valueName: "k1;k2"
        )
    )
    var sortKeys: String?

    @Option(
        name: [.customShort("d"), .customLong("sort-dir")],
        help: ArgumentHelp("The sort direction.", valueName: "direction")
    )
    var sortDir: SortDirection?

    @Flag(
        name: [.customShort("s"), .customLong("show-deleted")],
        help: "List soft-deleted rows too (sends show_deleted=true)."
    )
    var showDeleted = false

    @Option(
        name: .customLong("filter"),
        help: ArgumentHelp("Only rows whose key has this value; repeat for several filters.", valueName: "key=value")
    )
    var filter: [String] = []

    @Option(
        name: .customLong("filters"),
        help: ArgumentHelp(
            "Filters separated by ';' (as the original client's -f, which is the output format here).",
            valueName: "k=v;k2=v2"
        )
    )
    var filters: [String] = []

    mutating func validate() throws {
        if let limit, limit < 1 {
            throw ValidationError("--limit must be at least 1")
        }
        do {
            _ = try KeyValueList.pairs(self.filter + self.filters, option: "--filter")
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// The options as the client takes them.
    /// - Throws: ``BileanClientError`` for a malformed filter (already rejected by `validate()`).
    func options() throws(BileanClientError) -> ListOptions {
        let keys = self.sortKey + (self.sortKeys ?? "").split(separator: ";").map(String.init)
        return ListOptions(
            limit: self.limit,
            marker: self.marker,
            sortKeys: keys,
            sortDirection: self.sortDir?.rawValue,
            showDeleted: self.showDeleted,
            filters: try KeyValueList.pairs(self.filter + self.filters, option: "--filter").map { ($0.key, $0.value) }
        )
    }

    /// Fetches a list with these options.
    /// - Parameters:
    ///   - path: The collection's path after `/v1`.
    ///   - key: The list's key in the answer.
    ///   - query: The command's own parameters (`user_id`, `start_time`, …), sent before the list options.
    ///   - client: The client.
    /// - Returns: The rows.
    /// - Throws: ``BileanClientError``.
    func fetch(
        _ path: [String],
        key: String,
        query: QueryParameters = [],
        client: BileanHTTPClient
    ) async throws(BileanClientError) -> [JSONValue] {
        let options = try self.options()
        var parameters = query
        parameters.append(contentsOf: options.query)
        return try await client.list(
            path,
            key: key,
            query: parameters,
            limit: options.limit,
            marker: options.marker
        )
    }
}
