import BileanAPI
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
                if section == "keystone_authtoken" {
                    self.keystoneAuthtoken[key] = entry.value
                    continue
                }
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
        return try BileanConfiguration(ini: try INIFile.parse(text, path: path))
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
            "transport_url": { config, value throws(OptionError) in
                guard value.hasPrefix("rabbit://") || value.hasPrefix("amqp://") || value.hasPrefix("amqps://") else {
                    throw OptionError(message: "must be a rabbit:// (or amqp://) URL")
                }
                config.transportURL = value
            },
        ],
        "database": [
            "connection": { config, value throws(OptionError) in
                do throws(ConfigurationError) {
                    config.database = try DatabaseLocation(connection: value)
                } catch {
                    throw OptionError(message: error.message)
                }
            }
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
        ],
        "keystone_authtoken": [:],
        "scheduler": [
            "prior_notify_time": { config, value throws(OptionError) in
                config.priorNotifyHours = try Self.integer(value, in: 0...8760)
            }
        ],
        "resource_definition": [
            "definitions_cfg_file": { config, value throws(OptionError) in
                guard !value.isEmpty else { throw OptionError(message: "must be a file path") }
                config.definitionsFile = value
            }
        ],
        "freeze": [
            "action": { config, value throws(OptionError) in
                guard let action = FreezeAction(rawValue: value.lowercased()) else {
                    throw OptionError(message: "must be none, stop or delete, not '\(value.prefix(40))'")
                }
                config.freezeAction = action
            }
        ],
    ]

    static func boolean(_ value: String) throws(OptionError) -> Bool {
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw OptionError(message: "must be true or false, not '\(value.prefix(40))'")
        }
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
