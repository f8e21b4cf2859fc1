import BileanAPI
import BileanCore
import Foundation

extension BileanConfiguration {
    /// Reads `bilean.conf`.
    /// - Parameters:
    ///   - file: The parsed file.
    ///   - environment: The process environment (for defaults).
    /// - Throws: ``ConfigurationError`` naming the file, line and option of the first invalid value.
    package init(
        ini file: INIFile,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) {
        self.init(environment: environment)
        for section in file.sections.keys.sorted() {
            let options = file.sections[section] ?? [:]
            guard let known = Self.options[section] else {
                self.warnings.append(
                    "\(file.path):\(file.sectionLines[section] ?? 0): unknown section [\(section)] (ignored)"
                )
                continue
            }
            for key in options.keys.sorted() {
                guard let entry = options[key] else { continue }
                guard let apply = known[key] else {
                    self.warnings.append("\(file.path):\(entry.line): unknown option [\(section)] \(key) (ignored)")
                    continue
                }
                do {
                    try apply(&self, entry.value)
                } catch {
                    throw ConfigurationError(
                        file: file.path,
                        line: entry.line,
                        option: "[\(section)] \(key)",
                        message: error.message
                    )
                }
            }
        }
        try self.checkFreezeOptions(file)
    }

    /// Reads a configuration file from disk.
    /// - Parameter path: The file.
    /// - Returns: The configuration.
    /// - Throws: ``ConfigurationError`` for a file that cannot be read, is malformed, or holds an invalid value.
    package static func load(path: String) throws(ConfigurationError) -> BileanConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                file: path,
                line: nil,
                option: nil,
                message: "cannot read the file (\(error.localizedDescription))"
            )
        }
        var configuration = try BileanConfiguration(ini: try INIFile.parse(text, path: path))
        configuration.configurationDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return configuration
    }

    /// A value the option cannot take; the caller adds file, line and option.
    struct OptionError: Error {
        var message: String
    }

    typealias Apply = @Sendable (inout BileanConfiguration, String) throws(OptionError) -> Void

    /// Every option by section and key.
    static let options: [String: [String: Apply]] = [
        "DEFAULT": [
            "auth_strategy": { config, value throws(OptionError) in
                guard let strategy = APIConfiguration.AuthStrategy(rawValue: value.lowercased()) else {
                    throw OptionError(message: "must be keystone or noauth, not '\(value.prefix(40))'")
                }
                config.api.authStrategy = strategy
            },
            "debug": { config, value throws(OptionError) in config.debug = try Self.boolean(value) },
            "log_format": { config, value throws(OptionError) in
                guard let format = LogFormat(rawValue: value.lowercased()) else {
                    throw OptionError(message: "must be text or json, not '\(value.prefix(40))'")
                }
                config.logFormat = format
            },
            "engine": { config, value throws(OptionError) in
                guard let mode = EngineMode(rawValue: value.lowercased()) else {
                    throw OptionError(message: "must be local or rpc, not '\(value.prefix(40))'")
                }
                config.engineMode = mode
            },
            "rpc_response_timeout": { config, value throws(OptionError) in
                config.rpcResponseTimeout = try Self.integer(value, in: 1...3600)
            },
            "rpc_idempotency_retention": { config, value throws(OptionError) in
                config.rpcIdempotencyRetention = try Self.integer(value, in: 60...31_536_000)
            },
            "default_credit": { config, value throws(OptionError) in
                let credit: Money
                do {
                    credit = try Money(parsing: value, field: "default_credit")
                } catch {
                    throw OptionError(message: "must be a decimal amount, not '\(value.prefix(40))'")
                }
                let decimals =
                    value.split(separator: ".").dropFirst().first.map {
                        $0.reversed().drop(while: { $0 == "0" }).count
                    } ?? 0
                guard !credit.isNegative, credit <= Recharge.maximumValue, decimals <= Money.scale else {
                    throw OptionError(
                        message: "must be from 0 to \(Recharge.maximumValue) with at most \(Money.scale) decimals"
                    )
                }
                config.defaultCredit = credit
            },
            "allow_insecure_noauth": { config, value throws(OptionError) in
                config.allowInsecureNoauth = try Self.boolean(value)
            },
            "transport_url": { config, value throws(OptionError) in
                guard value.hasPrefix("rabbit://") || value.hasPrefix("amqp://") || value.hasPrefix("amqps://") else {
                    throw OptionError(message: "must be a rabbit:// (or amqp://) URL")
                }
                config.transportURL = value
            },
            "control_exchange": { config, value throws(OptionError) in
                guard let name = try Self.names(value, allowEmpty: false).first, !value.contains(",") else {
                    throw OptionError(message: "must be one exchange name")
                }
                config.controlExchange = name
            },
            "host": { config, value throws(OptionError) in
                guard !value.isEmpty, value.utf8.count <= 255, !value.contains(" "), !value.containsControlCharacters
                else { throw OptionError(message: "must be a host name") }
                config.host = value
            },
            "metrics_port": { config, value throws(OptionError) in
                config.metricsPort = try Self.integer(value, in: 0...65_535)
            },
        ],
        "database": [
            "connection": { config, value throws(OptionError) in
                do throws(ConfigurationError) {
                    config.database = try DatabaseLocation(connection: value)
                } catch {
                    throw OptionError(message: error.message)
                }
            },
            "processed_message_retention": { config, value throws(OptionError) in
                config.processedMessageRetention = try Self.integer(value, in: 3600...315_360_000)
            },
            "rejected_notification_retention": { config, value throws(OptionError) in
                config.rejectedNotificationRetention = try Self.integer(value, in: 3600...315_360_000)
            },
        ],
        "bilean_api": [
            "bind_host": { config, value throws(OptionError) in
                guard !value.isEmpty, !value.contains(" ") else {
                    throw OptionError(message: "must be a host or address")
                }
                config.bindHost = value
            },
            "bind_port": { config, value throws(OptionError) in
                config.bindPort = try Self.integer(value, in: 0...65_535)
            },
            "max_request_body_size": { config, value throws(OptionError) in
                config.api.maximumBodySize = try Self.integer(value, in: 1024...(100 << 20))
            },
            "public_endpoint": { config, value throws(OptionError) in
                config.api.publicEndpoint = try Self.publicEndpoint(value)
            },
        ],
        "keystone_authtoken": Self.keystoneAuthtokenOptions,
        "oslo_policy": [
            "policy_file": { config, value throws(OptionError) in
                guard !value.isEmpty else { throw OptionError(message: "must be a file path") }
                config.policyFile = value
            }
        ],
        "keystone_sync": [
            "interval": { config, value throws(OptionError) in
                config.keystoneSyncInterval = try Self.integer(value, in: 0...604_800)
            }
        ],
        "reconciliation": [
            "interval": { config, value throws(OptionError) in
                config.reconciliationInterval = try Self.integer(value, in: 0...2_592_000)
            },
            "repair": { config, value throws(OptionError) in
                config.reconciliationRepair = try Self.boolean(value)
            },
            "min_age": { config, value throws(OptionError) in
                config.reconciliationMinAge = try Self.integer(value, in: 0...604_800)
            },
            "interface": { config, value throws(OptionError) in
                guard ["public", "internal", "admin"].contains(value.lowercased()) else {
                    throw OptionError(message: "must be public, internal or admin, not '\(value.prefix(40))'")
                }
                config.reconciliationInterface = value.lowercased()
            },
        ],
        "scheduler": [
            "prior_notify_time": { config, value throws(OptionError) in
                config.priorNotifyHours = try Self.integer(value, in: 0...8760)
            },
            "daily_settlement_time": { config, value throws(OptionError) in
                if value.lowercased() == "none" {
                    config.scheduler.dailySettlementTime = nil
                    return
                }
                guard let time = TimeOfDay(parsing: value) else {
                    throw OptionError(message: "must be HH:MM or HH:MM:SS (UTC) or none, not '\(value.prefix(40))'")
                }
                config.scheduler.dailySettlementTime = time
            },
            "poll_interval": { config, value throws(OptionError) in
                config.scheduler.pollInterval = try Self.integer(value, in: 1...3600)
            },
            "look_ahead": { config, value throws(OptionError) in
                config.scheduler.lookAhead = try Self.integer(value, in: 0...86_400)
            },
            "lease_time": { config, value throws(OptionError) in
                config.scheduler.leaseTime = try Self.integer(value, in: 2...86_400)
            },
            "batch_size": { config, value throws(OptionError) in
                config.scheduler.batchSize = try Self.integer(value, in: 1...10_000)
            },
        ],
        "oslo_messaging_notifications": [
            "driver": { config, value throws(OptionError) in
                let driver = value.lowercased()
                guard ["messagingv2", "messaging", "noop", "log"].contains(driver) else {
                    throw OptionError(message: "must be messagingv2, messaging, noop or log, not '\(value.prefix(40))'")
                }
                config.notificationDriver = driver
            },
            "topics": { config, value throws(OptionError) in
                config.notificationTopics = try Self.names(value, allowEmpty: false)
            },
        ],
        "resource_definition": [
            "definitions_cfg_file": { config, value throws(OptionError) in
                guard !value.isEmpty else { throw OptionError(message: "must be a file path") }
                config.definitionsFile = value
            }
        ],
        "notification": [
            "exchanges": { config, value throws(OptionError) in
                config.notification.exchanges = try Self.names(value, allowEmpty: false)
            },
            "topics": { config, value throws(OptionError) in
                config.notification.topics = try Self.names(value, allowEmpty: false)
            },
            "versioned_topics": { config, value throws(OptionError) in
                config.notification.versionedTopics = try Self.names(value, allowEmpty: true)
            },
            "versioned_exchanges": { config, value throws(OptionError) in
                config.notification.versionedExchanges = try Self.names(value, allowEmpty: true)
            },
            "queue": { config, value throws(OptionError) in
                guard let name = try Self.names(value, allowEmpty: false).first, !value.contains(",") else {
                    throw OptionError(message: "must be one queue name")
                }
                config.notification.queue = name
            },
            "prefetch": { config, value throws(OptionError) in
                config.notification.prefetch = try Self.integer(value, in: 1...65_535)
            },
            "batch_size": { config, value throws(OptionError) in
                config.notification.batchSize = try Self.integer(value, in: 1...10_000)
            },
            "batch_max_wait": { config, value throws(OptionError) in
                config.notification.batchMaxWaitMilliseconds = try Self.integer(value, in: 0...10_000)
            },
            "batches_in_flight": { config, value throws(OptionError) in
                config.notification.batchesInFlight = try Self.integer(value, in: 1...16)
            },
            "max_body_size": { config, value throws(OptionError) in
                config.notification.maximumBodySize = try Self.integer(value, in: 1024...(100 << 20))
            },
        ],
        "oslo_messaging_rabbit": [
            "amqp_durable_queues": { config, value throws(OptionError) in
                config.notification.durableExchanges = try Self.boolean(value)
            },
            "rabbit_quorum_queue": { config, value throws(OptionError) in
                config.notification.quorumQueue = try Self.boolean(value)
            },
        ],
        "freeze": Self.freezeOptions,
    ]

    /// keystonemiddleware's option names; each value is kept as written in ``keystoneAuthtoken`` after a check.
    static let keystoneAuthtokenOptions: [String: Apply] = [
        "username": Self.keystoneText("username"),
        "password": Self.keystoneText("password"),
        "project_name": Self.keystoneText("project_name"),
        "user_domain_name": Self.keystoneText("user_domain_name"),
        "project_domain_name": Self.keystoneText("project_domain_name"),
        "user_domain_id": Self.keystoneText("user_domain_id"),
        "project_domain_id": Self.keystoneText("project_domain_id"),
        "region_name": Self.keystoneText("region_name"),
        "cafile": Self.keystoneText("cafile"),
        "www_authenticate_uri": Self.keystoneURL("www_authenticate_uri"),
        "auth_uri": Self.keystoneURL("auth_uri"),
        "auth_url": Self.keystoneURL("auth_url"),
        "token_cache_time": Self.keystoneSeconds("token_cache_time", 0...86_400),
        "http_connect_timeout": Self.keystoneSeconds("http_connect_timeout", 1...300),
        "auth_type": Self.keystoneChoice("auth_type", ["password"]),
        "interface": Self.keystoneChoice("interface", ["public", "internal", "admin"]),
        "insecure": Self.keystoneBoolean("insecure"),
    ]

    static func keystoneText(_ key: String) -> Apply {
        { config, value throws(OptionError) in
            guard !value.isEmpty, !value.containsControlCharacters else {
                throw OptionError(message: "must not be empty")
            }
            config.keystoneAuthtoken[key] = value
        }
    }

    static func keystoneURL(_ key: String) -> Apply {
        { config, value throws(OptionError) in
            let lowered = value.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), !value.contains(" ") else {
                throw OptionError(message: "must be an http:// or https:// URL")
            }
            config.keystoneAuthtoken[key] = value
        }
    }

    static func keystoneSeconds(_ key: String, _ range: ClosedRange<Int>) -> Apply {
        { config, value throws(OptionError) in
            config.keystoneAuthtoken[key] = String(try Self.integer(value, in: range))
        }
    }

    static func keystoneChoice(_ key: String, _ choices: [String]) -> Apply {
        { config, value throws(OptionError) in
            guard choices.contains(value.lowercased()) else {
                throw OptionError(
                    message: "must be \(choices.joined(separator: ", ")), not '\(value.prefix(40))'"
                )
            }
            config.keystoneAuthtoken[key] = value.lowercased()
        }
    }

    static func keystoneBoolean(_ key: String) -> Apply {
        { config, value throws(OptionError) in
            config.keystoneAuthtoken[key] = try Self.boolean(value) ? "true" : "false"
        }
    }

    /// `[bilean_api] public_endpoint`: an absolute `http://` or `https://` URL with a host, and no user, query or
    /// fragment (a path is kept: a proxy may serve Bilean under one). Empty: not set.
    /// - Returns: The URL without its trailing slashes, or `nil` when empty.
    static func publicEndpoint(_ value: String) throws(OptionError) -> String? {
        guard !value.isEmpty else { return nil }
        guard !value.containsControlCharacters, !value.contains(" "),
            let components = URLComponents(string: value),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil,
            components.query == nil, components.fragment == nil
        else {
            throw OptionError(
                message: "must be an http:// or https:// URL with a host and no query or fragment "
                    + "(e.g. https://billing.example.com:8770), not '\(value.prefix(80))'"
            )
        }
        var endpoint = value
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        return endpoint
    }

    static func boolean(_ value: String) throws(OptionError) -> Bool {
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw OptionError(message: "must be true or false, not '\(value.prefix(40))'")
        }
    }

    /// A comma-separated list of AMQP names (exchanges, topics, queues): 1 to 255 bytes each, no spaces or
    /// control characters.
    static func names(_ value: String, allowEmpty: Bool) throws(OptionError) -> [String] {
        let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if names.isEmpty && !allowEmpty { throw OptionError(message: "must name at least one") }
        for name in names {
            guard name.utf8.count <= 255, !name.contains(" "), !name.containsControlCharacters else {
                throw OptionError(message: "'\(name.prefix(40))' is not an AMQP name (1 to 255 bytes, no spaces)")
            }
        }
        return names
    }

    static func integer(_ value: String, in range: ClosedRange<Int>) throws(OptionError) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw OptionError(
                message:
                    "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(value.prefix(40))'"
            )
        }
        return number
    }
}
