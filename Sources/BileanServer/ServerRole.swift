/// What one `bilean-server` process runs.
package enum ServerRole: String, Sendable, Hashable, CaseIterable {
    /// Everything in one process, with in-process calls: the default.
    case all
    /// The REST API (with the engine in process until the engine RPC exists).
    case api
    /// The engine, serving RPC.
    case engine
    /// The per-user timed jobs.
    case scheduler
    /// The notification listener (with the engine in process until the engine RPC exists).
    case notification

    /// Whether the role serves the REST API.
    package var servesAPI: Bool { self == .all || self == .api }

    /// Whether the role runs the notification listener (`all` only when `transport_url` is set).
    package var listens: Bool { self == .all || self == .notification }

    /// Whether the role runs the scheduler (jobs, billing.notify, freeze actions).
    package var schedules: Bool { self == .all || self == .scheduler }

    /// Why the role cannot run in this build, or `nil` when it can.
    package var unavailableReason: String? {
        switch self {
        case .all, .api, .notification, .scheduler:
            return nil
        case .engine:
            return "the engine role serves AMQP RPC, which is not available in this build yet; "
                + "run `bilean-server all` (or `api`, which embeds the engine)"
        }
    }
}
