/// A user's billing status.
///
/// `INIT` (no money yet) → `FREE` (funded, nothing billed) → `ACTIVE` (billing) → `WARNING` (runs dry within
/// `prior_notify_time`) → `FREEZE` (balance below −credit; resources stopped, billing stopped), and back as the
/// balance allows. ``UserStatusMachine`` computes the transitions.
package enum UserStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Created, never funded.
    case initial = "INIT"
    /// Funded, nothing billed.
    case free = "FREE"
    /// Being billed.
    case active = "ACTIVE"
    /// Will run dry within the notify window.
    case warning = "WARNING"
    /// Overdrawn past its credit: resources stopped, billing stopped.
    case freeze = "FREEZE"
}
