import BileanCore
import Synchronization

/// Validated pricers by rule id and version, so that the hot path does not re-validate a rule's spec per event.
///
/// A rule's pricer depends only on its spec, which changes only with its `updated_at`; the key holds both, so a
/// stale entry is never used. Bounded: emptied when it grows past ``capacity``.
final class PricerCache: Sendable {
    static let capacity = 4096
    private let entries = Mutex<[String: any ResourcePricer]>([:])

    /// The pricer of a rule, validated once per rule version.
    /// - Throws: ``BileanError`` if the stored spec no longer validates.
    func pricer(for rule: Rule, plugins: PluginRegistry) throws(BileanError) -> any ResourcePricer {
        let key = "\(rule.id)@\(rule.updatedAt?.microseconds ?? rule.createdAt.microseconds)"
        if let cached = self.entries.withLock({ $0[key] }) { return cached }
        let pricer = try plugins.validate(spec: rule.spec).1
        self.entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[key] = pricer
        }
        return pricer
    }
}
