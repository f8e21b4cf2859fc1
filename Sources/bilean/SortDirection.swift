import ArgumentParser

/// `--sort-dir`.
enum SortDirection: String, ExpressibleByArgument, CaseIterable {
    /// Ascending.
    case asc
    /// Descending.
    case desc
}
