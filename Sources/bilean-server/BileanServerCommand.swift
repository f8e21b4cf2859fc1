import ArgumentParser
import BileanCore
import BileanEngine
import BileanServer
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `bilean-server [all|api|engine|scheduler|notification] [--config-file PATH]`.
@main
struct BileanServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bilean-server",
        abstract: "Bilean: real-time billing for OpenStack clouds.",
        discussion: """
            With no configuration file, `bilean-server` runs every component in one process (`all`): the REST API \
            on http://127.0.0.1:8770 with auth_strategy = noauth, and an SQLite database in \
            $XDG_DATA_HOME/bilean/bilean.sqlite (default ~/.local/share/bilean/bilean.sqlite). \
            `--config-file` reads an oslo-style bilean.conf ([DEFAULT], [database], [bilean_api], …; see README.md). \
            SIGTERM or SIGINT stops it gracefully: in-flight requests finish, then the database is closed. \
            Logs go to stderr.

            Roles: all (default: the REST API, the scheduler, and the notification listener when [DEFAULT] \
            transport_url is set, with the engine in process), api (the REST API), notification (the notification \
            listener; needs transport_url), scheduler (the timed jobs: warnings, freezes, the daily settlement, \
            billing.notify, freeze actions, and [keystone_sync]), engine (the billing engine, serving RPC on \
            transport_url). api, notification and scheduler embed the engine, or call the engine processes over RPC \
            with [DEFAULT] engine = rpc.

            Authentication: [DEFAULT] auth_strategy = noauth (loopback only, unless allow_insecure_noauth) or keystone \
            ([keystone_authtoken], keystonemiddleware's options). Authorization: the policy rules (see --print-policy), \
            overridden by [oslo_policy] policy_file or policy.yaml next to the configuration file.
            """
    )

    @Argument(
        help: """
            What to run: all, api, engine, scheduler or notification; or reconcile (one inventory reconciliation \
            pass, then exit: 0 when every listing completed, 1 when one failed).
            """
    )
    var role: String = ServerRole.all.rawValue

    @Option(name: .customLong("config-file"), help: "The bilean.conf to read (none: built-in defaults).")
    var configFile: String?

    @Flag(
        name: .customLong("print-policy"),
        help:
            "Print the default policy rules as a commented policy.yaml (as oslopolicy-sample-generator does) and exit."
    )
    var printPolicy = false

    @Flag(
        name: .customLong("print-sample-config"),
        help: "Print every bilean.conf option, commented out at its default, and exit."
    )
    var printSampleConfig = false

    @Flag(
        name: .customLong("list-listeners"),
        help: "Print each notification listener's latest lag report, and whether freezes may run now, and exit."
    )
    var listListeners = false

    @Option(
        name: .customLong("forget-listener"),
        help: "Forget a retired listener (its silence would hold every freeze), and exit."
    )
    var forgetListener: String?

    /// At most four malloc arenas (glibc's default is eight per core). Swift's tasks move between threads, so
    /// memory freed on one thread was often taken from another's arena, and each arena keeps what it freed: bounded,
    /// a 100,000-notification drain peaks lower. Two were tried first, but the API's threads then queued on the
    /// arenas' locks: a page of 100 users went from about 3,300 to 4,500 requests/s with four, for about 7 MiB more
    /// at the drain's peak (79 against 73 MiB) and no change in its rate. `MALLOC_ARENA_MAX` in the environment
    /// still takes precedence.
    static func boundMallocArenas() {
        #if canImport(Glibc)
        // mallopt is not in Swift's Glibc module (malloc.h): looked up by name. M_ARENA_MAX is -8 in malloc.h.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil,
            let symbol = dlsym(nil, "mallopt")
        else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 4)
        #endif
    }

    /// Names the local time zone once (`TZ=:/etc/localtime`) when `TZ` is unset. The log handler stamps each line
    /// with `localtime_r` and `strftime`, and with no `TZ` glibc's `strftime` checks `/etc/localtime` again on every
    /// call: a `stat` per log line, about 5 % of a `GET /v1/users/{id}` (perf). The zone shown is the same; a change
    /// of `/etc/localtime` is seen at the next start.
    static func fixLocalTimeZone() {
        guard getenv("TZ") == nil else { return }
        setenv("TZ", ":/etc/localtime", 0)
    }

    func run() async throws {
        if self.printSampleConfig {
            FileHandle.standardOutput.write(Data(SampleConfiguration.text().utf8))
            return
        }
        if self.printPolicy {
            FileHandle.standardOutput.write(Data(BileanServer.samplePolicy().utf8))
            return
        }
        if self.role == "reconcile" {
            try await self.reconcile()
            return
        }
        guard let role = ServerRole(rawValue: self.role) else {
            let roles = ServerRole.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown role '\(self.role)' (one of: \(roles))")
        }
        let configuration: BileanConfiguration
        do {
            configuration = try self.configFile.map { try BileanConfiguration.load(path: $0) } ?? BileanConfiguration()
        } catch {
            Self.fail("bilean-server: configuration error: \(error)")
        }
        Self.boundMallocArenas()
        Self.fixLocalTimeZone()
        let level: Logger.Level = configuration.debug ? .debug : .info
        switch configuration.logFormat {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            let standardError = JSONLogHandler.StandardError()
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label, role: role.rawValue) { standardError.write($0) }
                handler.logLevel = level
                return handler
            }
        }
        let logger = Logger(label: "bilean")
        if self.listListeners || self.forgetListener != nil {
            do {
                try await self.manageListeners(configuration: configuration, logger: logger)
            } catch {
                Self.fail("bilean-server: \(error)")
            }
            return
        }
        do {
            try await BileanServer.run(role: role, configuration: configuration, logger: logger)
        } catch let error as BileanServer.StartupError {
            Self.fail("bilean-server: configuration error: \(error)")
        } catch {
            logger.critical("bilean-server failed", metadata: ["error": "\(String(reflecting: error))"])
            throw ExitCode.failure
        }
    }

    /// `bilean-server reconcile`: one inventory reconciliation pass; prints the run and each finding, and exits
    /// non-zero when a listing failed.
    func reconcile() async throws {
        let configuration: BileanConfiguration
        do {
            configuration = try self.configFile.map { try BileanConfiguration.load(path: $0) } ?? BileanConfiguration()
        } catch {
            Self.fail("bilean-server: configuration error: \(error)")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.debug ? .debug : .info
            return handler
        }
        let run: ReconciliationRun
        do {
            run = try await BileanServer.reconcileOnce(configuration: configuration, logger: Logger(label: "bilean"))
        } catch let error as BileanServer.StartupError {
            Self.fail("bilean-server: configuration error: \(error)")
        } catch {
            Self.fail("bilean-server: reconciliation failed: \(error)")
        }
        print("reconciliation \(run.id)\trepair=\(run.repair)\tcomplete=\(run.isComplete)")
        for (type, count) in run.listed.sorted(by: { $0.key < $1.key }) { print("listed\t\(type)\t\(count)") }
        for (type, reason) in run.failed.sorted(by: { $0.key < $1.key }) { print("failed\t\(type)\t\(reason)") }
        for finding in run.findings {
            print(
                "\(finding.kind.rawValue)\t\(finding.action.rawValue)\t\(finding.resourceType)\t\(finding.resourceID)"
                    + "\t\(finding.userID)\t\(finding.effectiveAt?.iso8601 ?? "-")\(finding.estimated ? "\testimated" : "")"
            )
        }
        if !run.isComplete { throw ExitCode.failure }
    }

    /// `--list-listeners` and `--forget-listener`: the listeners' lag reports, in the database.
    func manageListeners(configuration: BileanConfiguration, logger: Logger) async throws {
        try await BileanServer.withEngine(configuration: configuration, logger: logger) { engine in
            if let name = self.forgetListener {
                guard try await engine.forgetListener(name) else {
                    Self.fail("bilean-server: no listener named '\(name)' has reported (see --list-listeners)")
                }
                print("forgot listener \(name)")
                return
            }
            let (statuses, currency) = try await engine.listenerStatuses()
            for status in statuses {
                print(
                    "\(status.listener)\treported_at=\(status.reportedAt.iso8601)\tqueue_depth=\(status.queueDepth)"
                        + "\toldest_held_s=\(status.oldestHeldSeconds)"
                        + "\tcaught_up_since=\(status.caughtUpSince?.iso8601 ?? "-")"
                )
            }
            switch currency {
            case .current: print("billing data: current (freezes run)")
            case .behind(let reason): print("billing data: not current (freezes are held): \(reason)")
            }
        }
    }

    /// Prints a message to stderr and exits with status 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(1)
    }
}
