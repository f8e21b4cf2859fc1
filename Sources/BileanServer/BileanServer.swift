package import AMQP
import AsyncHTTPClient
package import BileanAPI
package import BileanCore
package import BileanEngine
package import BileanMessaging
package import BileanNotification
package import BileanOpenStack
import BileanRPC
package import BileanScheduler
import BileanStore
package import CoreMetrics
import Foundation
import Hummingbird
package import Logging
package import ServiceLifecycle
import UnixSignals

/// Wires the components of each role and runs them.
package enum BileanServer {
    /// A configuration that cannot start: the definitions file, the transport URL.
    package struct StartupError: Error, CustomStringConvertible {
        /// What is wrong, with the file and line when there is one.
        package var description: String
    }

    /// What the notification listener needs: its configuration and the definitions, loaded and checked.
    package struct ListenerSetup: Sendable {
        /// The broker, exchanges, queue.
        package var configuration: ListenerConfiguration
        /// The definitions file.
        package var definitions: ResourceDefinitions
        /// Where the listener counts.
        package var statistics = ListenerStatistics()
    }

    /// Runs a role until SIGTERM or SIGINT, then drains in-flight requests and closes the database.
    /// - Parameters:
    ///   - role: What to run.
    ///   - configuration: bilean.conf.
    ///   - logger: The background logger.
    /// - Throws: ``StartupError``, a database error at start, or what a service failed with.
    package static func run(role: ServerRole, configuration: BileanConfiguration, logger: Logger) async throws {
        for warning in configuration.warnings { logger.warning("\(warning)") }
        var configuration = configuration
        configuration.api = try Self.apiConfiguration(role: role, configuration: configuration)
        if configuration.api.authStrategy == .noauth && role.servesAPI && !Self.isLoopback(configuration.bindHost) {
            logger.warning(
                "auth_strategy = noauth on a non-loopback address (allow_insecure_noauth): anyone who reaches it is admin",
                metadata: ["bind_host": "\(configuration.bindHost)"]
            )
        }
        let listener = try Self.listenerSetup(role: role, configuration: configuration, logger: logger)
        let scheduler = try Self.schedulerSetup(role: role, configuration: configuration, logger: logger)
        let keystone = try Self.keystoneSetup(role: role, configuration: configuration)
        let remoteEngine = configuration.engineMode == .rpc && role != .all && role != .engine
        logger.info(
            "starting bilean-server",
            metadata: [
                "role": "\(role.rawValue)",
                "database": "\(remoteEngine ? "none (the engine over RPC)" : configuration.database.redacted)",
                "auth_strategy": "\(configuration.api.authStrategy.rawValue)",
            ]
        )
        let httpClient = keystone.map {
            KeystoneHTTPClient.make(connectTimeout: $0.connectTimeout, caFile: $0.caFile, insecure: $0.insecure)
        }
        var session: KeystoneSession?
        if let keystone, let httpClient {
            session = KeystoneSession(credentials: keystone.credentials, httpClient: httpClient, logger: logger)
        }
        var validator: KeystoneTokenValidator?
        if let keystone, let httpClient, let session, configuration.api.authStrategy == .keystone {
            configuration.api.wwwAuthenticateURI = keystone.wwwAuthenticateURI
            validator = KeystoneTokenValidator(
                session: session,
                httpClient: httpClient,
                configuration: keystone.validator,
                logger: logger
            )
        }
        var directory: KeystoneProjects?
        if let session, let httpClient {
            directory = KeystoneProjects(session: session, httpClient: httpClient)
        }
        let rpc = try Self.rpcSetup(role: role, configuration: configuration)
        let metrics = ServerMetrics()
        do {
            if let rpc, role != .engine {
                // The engine runs elsewhere: no database here, every call goes over RPC.
                let client = OsloRPCClient(
                    connection: AMQPConnectionConfiguration(url: rpc.url, connectionName: "bilean-\(role.rawValue)"),
                    exchange: configuration.controlExchange,
                    topic: Self.engineTopic,
                    defaultTimeout: .seconds(configuration.rpcResponseTimeout),
                    durable: configuration.notification.durableExchanges,
                    quorum: configuration.notification.quorumQueue,
                    logger: logger
                )
                let engines = Engines(
                    accounts: RPCAccountsService(client: client),
                    ingest: RPCIngestService(client: client),
                    jobs: RPCJobsService(client: client)
                )
                do {
                    try await Self.runGroup(
                        try Self.buildServices(
                            role: role,
                            configuration: configuration,
                            engines: engines,
                            listener: listener,
                            scheduler: scheduler,
                            tokenValidator: validator,
                            projectDirectory: directory,
                            readiness: [
                                ReadinessCheck("engine") {
                                    // Over RPC: the broker answers and an engine (with its database) replies.
                                    try await engines.ingest.probe()
                                }
                            ],
                            metrics: metrics,
                            logger: logger
                        ),
                        logger: logger
                    )
                } catch {
                    await client.close()
                    throw error
                }
                await client.close()
            } else {
                try await Self.withEngine(configuration: configuration, logger: logger, metrics: metrics.factory) {
                    engine in
                    var services = try Self.buildServices(
                        role: role,
                        configuration: configuration,
                        engines: Engines(engine),
                        listener: listener,
                        scheduler: scheduler,
                        tokenValidator: validator,
                        projectDirectory: directory,
                        readiness: Self.databaseReadiness(engine),
                        metrics: metrics,
                        logger: logger
                    )
                    if let rpc, role == .engine {
                        services.append(
                            OsloRPCServer(
                                connection: AMQPConnectionConfiguration(url: rpc.url, connectionName: "bilean-engine"),
                                exchange: configuration.controlExchange,
                                topic: Self.engineTopic,
                                host: configuration.host,
                                endpoints: [
                                    AccountsEndpoint(
                                        service: engine,
                                        results: engine,
                                        retention: .seconds(configuration.rpcIdempotencyRetention)
                                    ),
                                    IngestEndpoint(service: engine),
                                    JobsEndpoint(service: engine),
                                ],
                                concurrency: Self.engineConcurrency,
                                durable: configuration.notification.durableExchanges,
                                quorum: configuration.notification.quorumQueue,
                                logger: logger
                            )
                        )
                    }
                    try await Self.runGroup(services, logger: logger)
                }
            }
        } catch {
            await Self.shutdown(httpClient, logger: logger)
            throw error
        }
        await Self.shutdown(httpClient, logger: logger)
        logger.info("bilean-server stopped")
    }

    /// The RPC topic the engines serve (oslo's `topic`, on the `control_exchange`).
    package static let engineTopic = "bilean-engine"
    /// How many RPC requests one engine handles at once (its prefetch): each is one database transaction.
    static let engineConcurrency = 16

    /// Runs services until SIGTERM or SIGINT, each stop or failure shutting the others down gracefully.
    static func runGroup(_ services: [any Service], logger: Logger) async throws {
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map {
                .init(
                    service: $0,
                    successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup
                )
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // Requests in flight get this long to finish after SIGTERM; a client that stalls mid-request does not keep
        // the server up for longer.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(Self.gracefulShutdownSeconds)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }

    /// The engine's parts each role calls: one in-process engine, or its namespaces over RPC.
    package struct Engines: Sendable {
        /// The API's operations (`accounts`).
        package var accounts: any AccountsService
        /// The listener's (`ingest`).
        package var ingest: any IngestService
        /// The scheduler's (`jobs`).
        package var jobs: any JobsService

        /// Parts from their implementations.
        package init(accounts: any AccountsService, ingest: any IngestService, jobs: any JobsService) {
            self.accounts = accounts
            self.ingest = ingest
            self.jobs = jobs
        }

        /// Every part from one in-process engine.
        package init(_ engine: any BillingEngine) {
            self.init(accounts: engine, ingest: engine, jobs: engine)
        }
    }

    /// Where the RPC goes, when the role serves it (`engine`) or calls it (`[DEFAULT] engine = rpc`).
    package struct RPCSetup: Sendable {
        /// The broker.
        package var url: AMQPURL
    }

    /// Checks the RPC settings of a role.
    /// - Returns: The setup, or `nil` when the role neither serves nor calls the engine over RPC.
    /// - Throws: ``StartupError`` without `transport_url`, or with a bad one.
    package static func rpcSetup(
        role: ServerRole,
        configuration: BileanConfiguration
    ) throws(StartupError)
        -> RPCSetup?
    {
        let remote = configuration.engineMode == .rpc && role != .all && role != .engine
        guard role == .engine || remote else { return nil }
        guard let transportURL = configuration.transportURL else {
            throw StartupError(
                description: role == .engine
                    ? "bilean-server engine: [DEFAULT] transport_url is not set (the engine serves RPC on it)"
                    : "[DEFAULT] engine = rpc needs [DEFAULT] transport_url (the engines are reached through it)"
            )
        }
        do {
            return RPCSetup(url: try AMQPURL(transportURL))
        } catch {
            throw StartupError(description: "[DEFAULT] transport_url: \(error.message)")
        }
    }

    /// The services of a role, dependencies first (a `ServiceGroup` shuts them down in reverse order).
    /// - Parameters:
    ///   - role: The role.
    ///   - configuration: bilean.conf.
    ///   - engine: The billing engine the API and the listener call.
    ///   - listener: The notification listener's setup, when the role listens.
    ///   - scheduler: The scheduler's setup, when the role schedules.
    ///   - tokenValidator: Validates tokens, with `auth_strategy = keystone`.
    ///   - projectDirectory: Keystone's projects, for `[keystone_sync] interval`.
    ///   - readiness: What `/readyz` checks besides the listener's broker (the database, or the engines over RPC).
    ///   - metrics: The process's metrics.
    ///   - logger: The background logger.
    /// - Returns: The services.
    /// - Throws: ``StartupError`` when `keystone` authentication has no token validator.
    package static func buildServices(
        role: ServerRole,
        configuration: BileanConfiguration,
        engines: Engines,
        listener: ListenerSetup? = nil,
        scheduler: SchedulerSetup? = nil,
        tokenValidator: (any TokenValidator)? = nil,
        projectDirectory: (any ProjectDirectory)? = nil,
        readiness: [ReadinessCheck] = [],
        metrics: ServerMetrics = ServerMetrics(),
        logger: Logger
    ) throws -> [any Service] {
        var services: [any Service] = []
        var readiness = readiness
        if let scheduler {
            services += scheduler.services(
                engine: engines.jobs,
                logger: logger,
                metrics: SchedulerMetrics(factory: metrics.factory)
            )
        }
        if role.schedules, configuration.keystoneSyncInterval > 0, let projectDirectory {
            services.append(
                ProjectSync(
                    engine: engines.accounts,
                    directory: projectDirectory,
                    interval: .seconds(configuration.keystoneSyncInterval),
                    logger: logger
                )
            )
        }
        if let listener {
            let service = NotificationListener(
                configuration: listener.configuration,
                definitions: listener.definitions,
                engine: engines.ingest,
                statistics: listener.statistics,
                logger: logger,
                metrics: metrics.factory
            )
            services.append(service)
            readiness.append(
                ReadinessCheck("broker") {
                    guard await service.lag.brokerAnswers() else {
                        throw NotReady("the notification queue cannot be read: no connection to the broker")
                    }
                }
            )
        }
        let operations = OperationsEndpoints(
            readiness: readiness,
            metricsText: { metrics.text() },
            metricsFactory: metrics.factory
        )
        guard role.servesAPI else {
            if configuration.metricsPort > 0 {
                services.append(
                    Self.operationsApplication(operations, configuration: configuration, role: role, logger: logger)
                )
            }
            return services
        }
        // A startup error, not an HTTP one: the router would refuse it as a 500 (APIError).
        guard configuration.api.authStrategy != .keystone || tokenValidator != nil else {
            throw StartupError(description: "auth_strategy = keystone needs a token validator ([keystone_authtoken])")
        }
        let router = try APIRouter.make(
            engine: engines.accounts,
            configuration: configuration.api,
            tokenValidator: tokenValidator,
            operations: operations
        )
        let application = Self.httpApplication(
            router,
            host: configuration.bindHost,
            port: configuration.bindPort,
            serverName: "bilean",
            logger: logger
        ) { host, port in "Bilean API listening on http://\(host):\(port)" }
        services.append(application)
        return services
    }

    /// The HTTP server of a role without the API: `/metrics`, `/healthz` and `/readyz` on `bind_host` and
    /// `[DEFAULT] metrics_port`.
    static func operationsApplication(
        _ operations: OperationsEndpoints,
        configuration: BileanConfiguration,
        role: ServerRole,
        logger: Logger
    ) -> some Service {
        Self.httpApplication(
            APIRouter.makeOperations(operations),
            host: configuration.bindHost,
            port: configuration.metricsPort,
            serverName: "bilean-\(role.rawValue)",
            logger: logger
        ) { host, port in "metrics and health on http://\(host):\(port)/metrics" }
    }

    /// An HTTP/1.1 server of a router: an idle or stalled connection is closed after a minute, so that they cannot
    /// pile up; `running` says where it listens once it does (the port it got, for port 0).
    static func httpApplication(
        _ router: Router<APIRequestContext>,
        host: String,
        port: Int,
        serverName: String,
        logger: Logger,
        running: @escaping @Sendable (String, Int) -> String
    ) -> some Service {
        Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: serverName),
            onServerRunning: { channel in
                logger.info("\(running(host, channel.localAddress?.port ?? port))")
            },
            logger: logger
        )
    }

    /// Loads the definitions and builds the listener's configuration, when the role listens.
    /// - Parameters:
    ///   - role: The role.
    ///   - configuration: bilean.conf.
    ///   - logger: The logger (`all` without `transport_url` says that it does not listen).
    /// - Returns: The setup, or `nil` when the role does not listen.
    /// - Throws: ``StartupError`` for a bad definitions file or transport URL, or `notification` without one.
    package static func listenerSetup(
        role: ServerRole,
        configuration: BileanConfiguration,
        logger: Logger
    ) throws(StartupError) -> ListenerSetup? {
        guard role.listens else { return nil }
        guard let transportURL = configuration.transportURL else {
            if role == .notification {
                throw StartupError(
                    description: "bilean-server notification: [DEFAULT] transport_url is not set (e.g. "
                        + "rabbit://user:password@host:5672/)"
                )
            }
            logger.notice(
                "no [DEFAULT] transport_url: the notification listener is off (the REST API bills what it is told)"
            )
            return nil
        }
        let url: AMQPURL
        do {
            url = try AMQPURL(transportURL)
        } catch {
            throw StartupError(description: "[DEFAULT] transport_url: \(error.message)")
        }
        let definitions: ResourceDefinitions
        do throws(DefinitionsError) {
            if let path = configuration.definitionsFile {
                definitions = try ResourceDefinitions.load(path: path)
            } else {
                definitions = try ResourceDefinitions.shipped()
            }
        } catch {
            throw StartupError(description: "[resource_definition] definitions_cfg_file: \(error)")
        }
        let options = configuration.notification
        var listener = ListenerConfiguration(
            connection: AMQPConnectionConfiguration(url: url, connectionName: "bilean-notification")
        )
        listener.exchanges = options.exchanges
        listener.topics = options.topics
        listener.versionedTopics = options.versionedTopics
        listener.versionedExchanges = options.versionedExchanges
        listener.queue = options.queue
        listener.batchSize = options.batchSize
        listener.batchMaxWait = .milliseconds(options.batchMaxWaitMilliseconds)
        // Over RPC, several engines bill batches in parallel; with a local engine, two batches committing at once
        // share one commit on SQLite (its group commit) and run on two connections on PostgreSQL. Either way they
        // are acknowledged in order.
        listener.batchesInFlight = options.batchesInFlight ?? (configuration.engineMode == .rpc ? 4 : 2)
        listener.configuredPrefetch = options.prefetch.map { UInt16(clamping: $0) }
        listener.maximumBodySize = options.maximumBodySize
        // oslo declares its exchanges durable with amqp_durable_queues or rabbit_quorum_queue: declared the same way.
        listener.durableExchanges = options.durableExchanges || options.quorumQueue
        listener.quorumQueue = options.quorumQueue
        listener.reporterName = "\(configuration.host)/\(options.queue)"
        // An idle listener reports well within max_listener_lag (after which its silence holds every freeze).
        listener.reportInterval = .seconds(min(5, max(1, configuration.freezeHold.maxListenerLagSeconds / 3)))
        return ListenerSetup(configuration: listener, definitions: definitions)
    }

    /// What the scheduler needs: its loop settings, where `billing.notify` goes, and how a freeze reaches the cloud.
    package struct SchedulerSetup: Sendable {
        /// The job loop's settings.
        package var configuration: SchedulerConfiguration
        /// The broker and the notifier's settings; `nil`: notices are only logged.
        package var notifier: (url: AMQPURL, configuration: OsloNotifierConfiguration)?
        /// The service credentials for freeze actions and thaw restarts; `nil` when no resource type has a freeze
        /// action and `[freeze] restart_on_thaw` is off.
        package var cloud: OpenStackCredentials?
        /// `[reconciliation]`: the interval, whether to repair, and the service credentials the listings use; `nil`
        /// when off.
        package var reconciliation: (interval: Int, repair: Bool, credentials: OpenStackCredentials)?

        /// The scheduler's services: the job loop, the notice dispatcher, the freeze action runner and the gauges.
        func services(
            engine: any JobsService,
            logger: Logger,
            metrics: SchedulerMetrics = SchedulerMetrics()
        ) -> [any Service] {
            let sender: any BillingNoticeSender
            if let notifier {
                let publisher = AMQPReconnectingPublisher(
                    configuration: AMQPConnectionConfiguration(url: notifier.url, connectionName: "bilean-scheduler"),
                    topology: notifier.configuration.topology,
                    logger: logger
                )
                sender = OsloNotifier(publisher: publisher, configuration: notifier.configuration)
            } else {
                sender = LoggingNoticeSender(logger: logger)
            }
            var services: [any Service] = [
                JobScheduler(
                    engine: engine,
                    configuration: self.configuration,
                    now: { BillingTime(date: Date()) },
                    logger: logger,
                    metrics: metrics
                ),
                NoticeDispatcher(engine: engine, sender: sender, configuration: self.configuration, logger: logger),
                OperationalGauges(engine: engine, metrics: metrics, logger: logger),
            ]
            if let reconciliation {
                services.append(
                    ReconciliationService(
                        reconciler: Reconciler(
                            inventory: OpenStackInventory(credentials: reconciliation.credentials, logger: logger),
                            engine: engine,
                            repair: reconciliation.repair,
                            logger: logger,
                            factory: metrics.factory,
                            now: { BillingTime(date: Date()) },
                            newID: { RandomID.timeOrdered() }
                        ),
                        engine: engine,
                        owner: self.configuration.owner,
                        interval: reconciliation.interval,
                        logger: logger
                    )
                )
            }
            if let cloud {
                services.append(
                    FreezeActionRunner(
                        engine: engine,
                        executor: OpenStackCloud(credentials: cloud, logger: logger),
                        configuration: self.configuration,
                        logger: logger,
                        metrics: metrics
                    )
                )
            }
            return services
        }
    }

    /// Builds the scheduler's setup, when the role schedules.
    /// - Throws: ``StartupError`` for a bad transport URL, or freeze actions (or thaw restarts) without service
    ///   credentials.
    package static func schedulerSetup(
        role: ServerRole,
        configuration: BileanConfiguration,
        logger: Logger
    ) throws(StartupError) -> SchedulerSetup? {
        guard role.schedules else { return nil }
        let options = configuration.scheduler
        guard options.leaseTime > 2 * options.pollInterval else {
            throw StartupError(
                description: "[scheduler] lease_time (\(options.leaseTime) s) must be more than twice poll_interval "
                    + "(\(options.pollInterval) s): leases are renewed at every poll"
            )
        }
        var loop = SchedulerConfiguration(
            owner: "\(configuration.host):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        )
        loop.pollInterval = .seconds(options.pollInterval)
        loop.lookAheadSeconds = Int64(options.lookAhead)
        loop.leaseSeconds = Int64(options.leaseTime)
        loop.batchSize = options.batchSize
        var setup = SchedulerSetup(configuration: loop)
        if ["messagingv2", "messaging"].contains(configuration.notificationDriver) {
            if let transportURL = configuration.transportURL {
                do {
                    var notifier = OsloNotifierConfiguration(publisherID: "billing.\(configuration.host)")
                    notifier.exchange = configuration.controlExchange
                    notifier.topics = configuration.notificationTopics
                    notifier.durable =
                        configuration.notification.durableExchanges || configuration.notification.quorumQueue
                    setup.notifier = (try AMQPURL(transportURL), notifier)
                } catch {
                    throw StartupError(description: "[DEFAULT] transport_url: \(error.message)")
                }
            } else {
                logger.notice("no [DEFAULT] transport_url: billing.notify notifications are logged, not published")
            }
        }
        if configuration.reconciliationInterval > 0 {
            setup.reconciliation = (
                configuration.reconciliationInterval,
                configuration.reconciliationRepair,
                try Self.serviceCredentials(
                    configuration,
                    interface: configuration.reconciliationInterface,
                    neededBy: "[reconciliation] interval"
                )
            )
        }
        if let neededBy = Self.cloudCallers(configuration) {
            setup.cloud = try Self.serviceCredentials(
                configuration,
                interface: configuration.freezeInterface,
                neededBy: neededBy
            )
        }
        return setup
    }

    /// The `[freeze]` options that make the scheduler call the cloud, as a message names them (`[freeze] action =
    /// stop and restart_on_thaw = true`); `nil` when none does.
    static func cloudCallers(_ configuration: BileanConfiguration) -> String? {
        guard !configuration.freezeActions.isEmpty || configuration.freezeRestartOnThaw else { return nil }
        var options: [String] = []
        if configuration.freezeAction != .none {
            options.append("action = \(configuration.freezeAction.rawValue)")
        }
        let pairs = configuration.freezeActionsByType.compactMap { type, kind in kind.map { "\(type):\($0.rawValue)" } }
        if !pairs.isEmpty {
            options.append("actions = \(pairs.sorted().joined(separator: ", "))")
        }
        if configuration.freezeRestartOnThaw {
            options.append("restart_on_thaw = true")
        }
        return "[freeze] " + options.joined(separator: " and ")
    }

    /// Opens the database (migrating it), runs `body` with an engine over it, then closes it.
    /// - Parameters:
    ///   - configuration: bilean.conf.
    ///   - logger: The logger.
    ///   - body: The work.
    /// - Returns: What `body` returned.
    /// - Throws: A store error at opening, or what `body` threw.
    package static func withEngine<Result: Sendable>(
        configuration: BileanConfiguration,
        logger: Logger,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance,
        _ body: (Engine) async throws -> Result
    ) async throws -> Result {
        let engineConfiguration = Self.engineConfiguration(configuration)
        switch configuration.database {
        case .sqlite(let path):
            let driver = try await SQLiteDriver.open(path: path, logger: logger)
            let result: Result
            do {
                let store = try await SQLBillingStore.open(driver: driver, logger: logger)
                result = try await body(
                    Engine(store: store, configuration: engineConfiguration, logger: logger, metrics: metrics)
                )
            } catch {
                await Self.close(driver, logger: logger)
                throw error
            }
            try await driver.close()
            return result
        case .postgres(let url):
            return try await PostgresDriver.withDriver(url: url, logger: logger) { driver in
                let store = try await SQLBillingStore.open(driver: driver, logger: logger)
                return try await body(
                    Engine(store: store, configuration: engineConfiguration, logger: logger, metrics: metrics)
                )
            }
        }
    }

    /// What `/readyz` checks in a role that opened the database: that it answers, and that its schema is this
    /// release's (the migrations ran).
    static func databaseReadiness(_ engine: Engine) -> [ReadinessCheck] {
        [
            ReadinessCheck("database") { try await engine.probe() },
            ReadinessCheck("migrations") { try await engine.checkSchema() },
        ]
    }

    /// The engine's settings from bilean.conf.
    /// - Parameter configuration: bilean.conf.
    /// - Returns: The engine's settings.
    static func engineConfiguration(_ configuration: BileanConfiguration) -> Engine.Configuration {
        var engine = Engine.Configuration()
        engine.priorNotifySeconds = Int64(configuration.priorNotifyHours) * 3600
        engine.defaultCredit = configuration.defaultCredit
        engine.dailySettlement = configuration.scheduler.dailySettlementTime
        engine.freezeActions = configuration.freezeActions
        engine.freezeDeleteAfterSeconds = Int64(configuration.freezeDeleteAfter)
        engine.restartOnThaw = configuration.freezeRestartOnThaw
        engine.freezeGraceSeconds = Int64(configuration.freezeGracePeriod)
        engine.freezeHold = configuration.freezeHold
        engine.reconciliationMinAgeSeconds = Int64(configuration.reconciliationMinAge)
        engine.freezeHold.expectsListeners = configuration.transportURL != nil
        engine.cloudActionMaxAttempts = configuration.freezeMaxAttempts
        engine.cloudActionRetrySeconds = Int64(configuration.freezeRetryInterval)
        engine.processedMessageRetentionSeconds = Int64(configuration.processedMessageRetention)
        engine.rejectedNotificationRetentionSeconds = Int64(configuration.rejectedNotificationRetention)
        return engine
    }

    /// How long SIGTERM waits for requests in flight.
    static let gracefulShutdownSeconds: Int64 = 30

    /// Whether a bind address only accepts local connections.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    private static func shutdown(_ client: HTTPClient?, logger: Logger) async {
        do {
            try await client?.shutdown()
        } catch {
            logger.warning("closing the Keystone HTTP client failed", metadata: ["error": "\(error)"])
        }
    }

    private static func close(_ driver: any SQLDriver, logger: Logger) async {
        do {
            try await driver.close()
        } catch {
            logger.error("closing the database failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
