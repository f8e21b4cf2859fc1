import BileanCore
import Foundation

extension BileanConfiguration {
    /// `[freeze]`: what a freeze does in the cloud, when it may run, and how its actions are retried.
    static let freezeOptions: [String: Apply] = [
        "action": { config, value throws(OptionError) in
            guard let action = FreezeAction(rawValue: value.lowercased()) else {
                throw OptionError(message: "must be none, stop or delete, not '\(value.prefix(40))'")
            }
            config.freezeAction = action
        },
        "actions": { config, value throws(OptionError) in
            config.freezeActionsByType = try Self.freezeActionsByType(value)
        },
        "restart_on_thaw": { config, value throws(OptionError) in
            config.freezeRestartOnThaw = try Self.boolean(value)
        },
        "delete_after": { config, value throws(OptionError) in
            config.freezeDeleteAfter = try Self.integer(value, in: 0...31_536_000)
        },
        "grace_period": { config, value throws(OptionError) in
            config.freezeGracePeriod = try Self.integer(value, in: 0...2_592_000)
        },
        "max_listener_lag": { config, value throws(OptionError) in
            config.freezeHold.maxListenerLagSeconds = Int64(try Self.integer(value, in: 1...86_400))
        },
        "max_queue_depth": { config, value throws(OptionError) in
            config.freezeHold.maxQueueDepth = Int64(try Self.integer(value, in: 0...1_000_000_000))
        },
        "settle_time": { config, value throws(OptionError) in
            config.freezeHold.settleSeconds = Int64(try Self.integer(value, in: 0...3600))
        },
        "max_hold": { config, value throws(OptionError) in
            config.freezeHold.maxHoldSeconds = Int64(try Self.integer(value, in: 0...604_800))
        },
        "max_attempts": { config, value throws(OptionError) in
            config.freezeMaxAttempts = try Self.integer(value, in: 1...1000)
        },
        "retry_interval": { config, value throws(OptionError) in
            config.freezeRetryInterval = try Self.integer(value, in: 1...86_400)
        },
        "interface": { config, value throws(OptionError) in
            guard ["public", "internal", "admin"].contains(value.lowercased()) else {
                throw OptionError(message: "must be public, internal or admin, not '\(value.prefix(40))'")
            }
            config.freezeInterface = value.lowercased()
        },
    ]

    /// `[freeze] actions`: `type:action` pairs separated by commas (or lines), each type at most once; an action is
    /// `none` or one that ``FreezeActions/supported`` lists for the type. An empty value sets no type.
    /// - Parameter value: The option's value.
    /// - Returns: The action per type (`nil`: none).
    /// - Throws: ``OptionError`` naming the pair and what the type supports.
    static func freezeActionsByType(_ value: String) throws(OptionError) -> [String: CloudAction.Kind?] {
        var actions: [String: CloudAction.Kind?] = [:]
        let pairs = value.split(whereSeparator: { $0 == "," || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for pair in pairs {
            let parts = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw OptionError(message: "'\(pair.prefix(60))' is not type:action (e.g. os.nova.server:stop)")
            }
            let type = parts[0]
            guard let supported = FreezeActions.supported[type] else {
                let types = FreezeActions.supported.keys.sorted().joined(separator: ", ")
                throw OptionError(message: "unknown resource type '\(type.prefix(60))': must be one of \(types)")
            }
            guard !actions.keys.contains(type) else {
                throw OptionError(message: "\(type) is given more than once")
            }
            let name = parts[1].lowercased()
            let kind: CloudAction.Kind?
            if name == "none" {
                kind = nil
            } else if let chosen = CloudAction.Kind(rawValue: name), supported.contains(chosen) {
                kind = chosen
            } else {
                let choices = (["none"] + supported.map(\.rawValue)).joined(separator: ", ")
                throw OptionError(
                    message: "\(type) cannot take '\(parts[1].prefix(40))': its actions are \(choices)"
                )
            }
            actions.updateValue(kind, forKey: type)
        }
        return actions
    }

    /// Whether a freeze stops some resource type (a two-step freeze then deletes what it stopped after
    /// `[freeze] delete_after`).
    var freezeStopsSomething: Bool {
        let actions = self.freezeActions
        return FreezeActions.supported.keys.contains { actions.kind(for: $0) == .stop }
    }

    /// The checks between `[freeze]` options, once every option is read: `delete_after > 0` needs a type whose
    /// action is `stop`.
    /// - Parameter file: The parsed file (for the line of the option at fault).
    /// - Throws: ``ConfigurationError`` naming the file, line and option.
    func checkFreezeOptions(_ file: INIFile) throws(ConfigurationError) {
        if self.freezeDeleteAfter > 0 && !self.freezeStopsSomething {
            throw ConfigurationError(
                file: file.path,
                line: file.sections["freeze"]?["delete_after"]?.line,
                option: "[freeze] delete_after",
                message: "deletes, \(self.freezeDeleteAfter) s after a freeze, what the freeze stopped, but no "
                    + "resource type is stopped: set [freeze] action = stop (or os.nova.server:stop in [freeze] "
                    + "actions), or delete_after = 0"
            )
        }
    }
}
