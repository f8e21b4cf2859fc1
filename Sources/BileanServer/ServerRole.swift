/// What one `bilean-server` process runs.
package enum ServerRole: String, Sendable, Hashable, CaseIterable {
    /// Everything in one process, with in-process calls: the default.
    case all
    /// The REST API (the engine in process, or over RPC with `[DEFAULT] engine = rpc`).
    case api
    /// The engine: the only role that opens the database in an RPC deployment; serves the `accounts`, `ingest` and
    /// `jobs` namespaces on `[DEFAULT] transport_url`.
    case engine
    /// The per-user timed jobs (the engine in process, or over RPC with `[DEFAULT] engine = rpc`).
    case scheduler
    /// The notification listener (the engine in process, or over RPC with `[DEFAULT] engine = rpc`).
    case notification

    /// Whether the role serves the REST API.
    package var servesAPI: Bool { self == .all || self == .api }

    /// Whether the role runs the notification listener (`all` only when `transport_url` is set).
    package var listens: Bool { self == .all || self == .notification }

    /// Whether the role runs the scheduler (jobs, billing.notify, freeze actions).
    package var schedules: Bool { self == .all || self == .scheduler }
}
