/// The error of the storage layer. Its `description` is safe for clients; SQL and hosts are in `underlying`.
package struct StoreError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What failed. A struct over a private enum so that new codes can be added.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connection
            case query
            case corruptRow
            case migration
            case configuration
            case retryableConflict
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The database cannot be reached or opened.
        package static let connection = Code(.connection)
        /// A statement failed.
        package static let query = Code(.query)
        /// A row holds a value Bilean did not write.
        package static let corruptRow = Code(.corruptRow)
        /// A schema migration failed.
        package static let migration = Code(.migration)
        /// The database URL or path is invalid.
        package static let configuration = Code(.configuration)
        /// The transaction lost a race (serialization failure or deadlock) and may be retried.
        package static let retryableConflict = Code(.retryableConflict)

        package var description: String { self.base.rawValue }
    }

    /// What failed.
    package var code: Code
    /// A client-safe summary.
    package var message: String
    /// The cause, for the log (may contain SQL).
    package var underlying: (any Error)?

    /// Creates an error.
    package init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// A row column holds an unexpected value.
    static func corrupt(_ column: String, _ found: String) -> StoreError {
        StoreError(.corruptRow, "column \(column) holds an unexpected value (\(found.prefix(40)))")
    }

    package var description: String { "Storage error (\(self.code)): \(self.message)" }

    package var debugDescription: String {
        var text = self.description
        if let underlying { text += " — \(String(reflecting: underlying))" }
        return text
    }
}
