package import BileanCore

/// What ``NotificationConverter`` made of a notification that it could read.
package enum ConversionOutcome: Sendable, Hashable {
    /// The billing facts, in definition order; never empty.
    case facts([BillingFact])
    /// Nothing to bill, by design (not an error): the message is acked and forgotten.
    case ignored(IgnoredReason)

    /// The facts, or an empty list when ignored.
    package var facts: [BillingFact] {
        switch self {
        case .facts(let facts): return facts
        case .ignored: return []
        }
    }
}

/// Why a notification yields nothing to bill.
package enum IgnoredReason: Sendable, Hashable, CustomStringConvertible {
    /// No definition matches the event type (`volume.attach.end`, `compute.instance.exists`, …).
    case noDefinition
    /// Definitions match, but none says what the event does (no `action`, and the event type names no create,
    /// update or delete: `compute.instance.shutdown.end` under a `compute.instance.*.end` glob). The lines of the
    /// matching definitions.
    case noAction(definitionLines: [Int])

    /// A sentence for the log.
    package var description: String {
        switch self {
        case .noDefinition:
            return "no definition matches the event type"
        case .noAction(let lines):
            let lineList = lines.map(String.init).joined(separator: ", ")
            return "the definitions at line \(lineList) match, but the event type names no create, update or delete"
        }
    }
}
