import AMQP
import BileanAPI
import BileanCore
import BileanEngine
import BileanNotification
import BileanOpenStack
import BileanTestSupport
import Foundation
import Testing

@testable import BileanServer

@Suite struct BileanConfigurationTests {
    static let environment = ["HOME": "/home/op"]

    static func configuration(_ text: String) throws -> BileanConfiguration {
        try BileanConfiguration(ini: try INIFile.parse(text, path: "bilean.conf"), environment: Self.environment)
    }

    @Test func everyOptionHasADefault() {
        let configuration = BileanConfiguration(environment: Self.environment)
        #expect(configuration.api.authStrategy == .noauth)
        #expect(configuration.api.maximumBodySize == 1 << 20)
        #expect(configuration.bindHost == "127.0.0.1")
        #expect(configuration.bindPort == 8770)
        #expect(configuration.database == .sqlite(path: "/home/op/.local/share/bilean/bilean.sqlite"))
        #expect(configuration.priorNotifyHours == 3)
        #expect(configuration.freezeAction == .none)
        #expect(configuration.freezeActions.isEmpty)
        #expect(!configuration.freezeRestartOnThaw)
        #expect(configuration.freezeDeleteAfter == 0)
        #expect(configuration.freezeGracePeriod == 0)
        #expect(configuration.freezeHold.maxListenerLagSeconds == 60)
        #expect(configuration.freezeHold.maxQueueDepth == 1000)
        #expect(configuration.freezeHold.settleSeconds == 5)
        #expect(configuration.freezeHold.maxHoldSeconds == 3600)
        #expect(configuration.definitionsFile == nil)
        #expect(configuration.transportURL == nil)
        #expect(!configuration.debug)
        #expect(configuration.processedMessageRetention == 604_800)
        #expect(configuration.rejectedNotificationRetention == 2_592_000)
        #expect(configuration.notification.batchMaxWaitMilliseconds == 10)
        let engine = BileanServer.engineConfiguration(configuration)
        #expect(engine.processedMessageRetentionSeconds == 604_800)
        #expect(engine.rejectedNotificationRetentionSeconds == 2_592_000)
    }

    @Test func theDefaultDatabaseFollowsXDG() {
        let configuration = BileanConfiguration(environment: ["HOME": "/root", "XDG_DATA_HOME": "/data"])
        #expect(configuration.database == .sqlite(path: "/data/bilean/bilean.sqlite"))
        #expect(BileanConfiguration(environment: [:]).database == .sqlite(path: "bilean.sqlite"))
    }

    @Test func readsEveryOption() throws {
        let configuration = try Self.configuration(
            """
            [DEFAULT]
            auth_strategy = noauth
            debug = True
            transport_url = rabbit://bilean:secret@mq1:5672,bilean:secret@mq2:5672/
            [database]
            connection = postgresql+psycopg2://bilean:pw@db.example:5432/bilean
            [bilean_api]
            bind_host = 0.0.0.0
            bind_port = 9000
            max_request_body_size = 4096
            [keystone_authtoken]
            www_authenticate_uri = http://keystone:5000
            [scheduler]
            prior_notify_time = 24
            [resource_definition]
            definitions_cfg_file = /etc/bilean/resource_definitions.yaml
            [freeze]
            action = stop
            """
        )
        #expect(configuration.debug)
        #expect(configuration.transportURL == "rabbit://bilean:secret@mq1:5672,bilean:secret@mq2:5672/")
        #expect(configuration.database == .postgres(url: "postgresql://bilean:pw@db.example:5432/bilean"))
        #expect(configuration.database.redacted == "postgresql://…@db.example:5432/bilean")
        #expect(configuration.bindHost == "0.0.0.0")
        #expect(configuration.bindPort == 9000)
        #expect(configuration.api.maximumBodySize == 4096)
        #expect(configuration.keystoneAuthtoken == ["www_authenticate_uri": "http://keystone:5000"])
        #expect(configuration.priorNotifyHours == 24)
        #expect(configuration.definitionsFile == "/etc/bilean/resource_definitions.yaml")
        #expect(configuration.freezeAction == .stop)
        #expect(configuration.warnings.isEmpty)
    }

    @Test(arguments: [
        ("sqlite:///relative/b.sqlite", DatabaseLocation.sqlite(path: "relative/b.sqlite")),
        ("sqlite:////var/lib/bilean/b.sqlite", .sqlite(path: "/var/lib/bilean/b.sqlite")),
        ("postgres://u:p@h/d", .postgres(url: "postgresql://u:p@h/d")),
        ("postgresql://u:p@h:5433/d", .postgres(url: "postgresql://u:p@h:5433/d")),
    ])
    func databaseURLs(url: String, expected: DatabaseLocation) throws {
        #expect(try DatabaseLocation(connection: url) == expected)
    }

    @Test(arguments: [
        ("[DEFAULT]\nauth_strategy = ldap\n", 2, "[DEFAULT] auth_strategy"),
        ("[DEFAULT]\ndebug = maybe\n", 2, "[DEFAULT] debug"),
        ("[DEFAULT]\ntransport_url = http://mq/\n", 2, "[DEFAULT] transport_url"),
        ("[database]\nconnection = mysql://u:p@h/d\n", 2, "[database] connection"),
        ("[database]\nconnection = sqlite://\n", 2, "[database] connection"),
        ("[bilean_api]\n\nbind_port = 70000\n", 3, "[bilean_api] bind_port"),
        ("[bilean_api]\nbind_port = eighty\n", 2, "[bilean_api] bind_port"),
        ("[bilean_api]\nmax_request_body_size = 10\n", 2, "[bilean_api] max_request_body_size"),
        ("[scheduler]\nprior_notify_time = -1\n", 2, "[scheduler] prior_notify_time"),
        ("[freeze]\naction = explode\n", 2, "[freeze] action"),
        ("[freeze]\nmax_attempts = 0\n", 2, "[freeze] max_attempts"),
        ("[freeze]\ninterface = private\n", 2, "[freeze] interface"),
        ("[freeze]\nactions = os.nova.server\n", 2, "[freeze] actions"),
        ("[freeze]\nactions = :stop\n", 2, "[freeze] actions"),
        ("[freeze]\nactions = os.trove.instance:delete\n", 2, "[freeze] actions"),
        ("[freeze]\nactions = os.cinder.volume:stop\n", 2, "[freeze] actions"),
        ("[freeze]\nactions = os.neutron.floatingip:delete\n", 2, "[freeze] actions"),
        ("[freeze]\nactions = os.nova.server:start\n", 2, "[freeze] actions"),
        ("[freeze]\nactions = os.nova.server:explode\n", 2, "[freeze] actions"),
        ("[freeze]\nactions = os.nova.server:stop, os.nova.server:none\n", 2, "[freeze] actions"),
        ("[freeze]\nrestart_on_thaw = sometimes\n", 2, "[freeze] restart_on_thaw"),
        ("[freeze]\ndelete_after = -1\n", 2, "[freeze] delete_after"),
        ("[freeze]\naction = stop\ndelete_after = 31536001\n", 3, "[freeze] delete_after"),
        ("[freeze]\ndelete_after = 600\n", 2, "[freeze] delete_after"),
        ("[freeze]\naction = delete\n\ndelete_after = 600\n", 4, "[freeze] delete_after"),
        ("[freeze]\naction = stop\nactions = os.nova.server:delete\ndelete_after = 60\n", 4, "[freeze] delete_after"),
        ("[freeze]\ngrace_period = 2592001\n", 2, "[freeze] grace_period"),
        ("[freeze]\ngrace_period = a week\n", 2, "[freeze] grace_period"),
        ("[freeze]\nmax_listener_lag = 0\n", 2, "[freeze] max_listener_lag"),
        ("[freeze]\nmax_listener_lag = 86401\n", 2, "[freeze] max_listener_lag"),
        ("[freeze]\nmax_queue_depth = -1\n", 2, "[freeze] max_queue_depth"),
        ("[freeze]\nmax_queue_depth = 1000000001\n", 2, "[freeze] max_queue_depth"),
        ("[freeze]\nsettle_time = 3601\n", 2, "[freeze] settle_time"),
        ("[freeze]\nmax_hold = 604801\n", 2, "[freeze] max_hold"),
        ("[freeze]\nmax_hold = -5\n", 2, "[freeze] max_hold"),
        ("[scheduler]\ndaily_settlement_time = 25:00\n", 2, "[scheduler] daily_settlement_time"),
        ("[scheduler]\nlease_time = 1\n", 2, "[scheduler] lease_time"),
        ("[oslo_messaging_notifications]\ndriver = kafka\n", 2, "[oslo_messaging_notifications] driver"),
        ("[DEFAULT]\ncontrol_exchange = a b\n", 2, "[DEFAULT] control_exchange"),
        ("[notification]\nexchanges = ,\n", 2, "[notification] exchanges"),
        ("[notification]\nqueue = a, b\n", 2, "[notification] queue"),
        ("[notification]\ntopics = no spaces allowed\n", 2, "[notification] topics"),
        ("[notification]\nprefetch = 0\n", 2, "[notification] prefetch"),
        ("[notification]\nbatch_size = 100000\n", 2, "[notification] batch_size"),
        ("[notification]\nbatch_max_wait = 10001\n", 2, "[notification] batch_max_wait"),
        ("[notification]\nbatch_max_wait = -1\n", 2, "[notification] batch_max_wait"),
        ("[notification]\nbatch_max_wait = 0.5\n", 2, "[notification] batch_max_wait"),
        ("[database]\nprocessed_message_retention = 3599\n", 2, "[database] processed_message_retention"),
        ("[database]\nprocessed_message_retention = 7d\n", 2, "[database] processed_message_retention"),
        ("[database]\nprocessed_message_retention = 315360001\n", 2, "[database] processed_message_retention"),
        ("[database]\nrejected_notification_retention = 0\n", 2, "[database] rejected_notification_retention"),
        (
            "[database]\nrejected_notification_retention = 315360001\n", 2,
            "[database] rejected_notification_retention"
        ),
        ("[oslo_messaging_rabbit]\namqp_durable_queues = perhaps\n", 2, "[oslo_messaging_rabbit] amqp_durable_queues"),
    ])
    func invalidValuesNameFileLineAndOption(text: String, line: Int, option: String) {
        #expect {
            try Self.configuration(text)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.file == "bilean.conf" && error.line == line && error.option == option
                && error.description.hasPrefix("bilean.conf:\(line): \(option): ")
        }
    }

    @Test func aDatabaseErrorNeverShowsThePassword() {
        #expect {
            try Self.configuration("[database]\nconnection = oracle://u:topsecret@h/d\n")
        } throws: { error in
            !"\(error)".contains("topsecret")
        }
    }

    @Test func unknownOptionsAndSectionsAreWarnings() throws {
        let configuration = try Self.configuration("[DEFAULT]\nverbose = true\n[nova]\nregion = one\n")
        #expect(
            configuration.warnings == [
                "bilean.conf:2: unknown option [DEFAULT] verbose (ignored)",
                "bilean.conf:3: unknown section [nova] (ignored)",
            ]
        )
    }

    @Test func keystoneNeedsTheServiceCredentials() throws {
        let bare = try Self.configuration("[DEFAULT]\nauth_strategy = keystone\n")
        #expect(bare.api.authStrategy == .keystone)
        #expect(throws: BileanServer.StartupError.self) {
            try BileanServer.keystoneSetup(role: .api, configuration: bare)
        }
        // The scheduler alone does not validate tokens.
        #expect(try BileanServer.keystoneSetup(role: .scheduler, configuration: bare) == nil)

        let configuration = try Self.configuration(
            """
            [DEFAULT]
            auth_strategy = keystone
            [keystone_authtoken]
            auth_url = http://127.0.0.1:5000/v3
            auth_type = password
            username = bilean
            password = s3cret
            project_name = service
            token_cache_time = 120
            http_connect_timeout = 3
            interface = Public
            [keystone_sync]
            interval = 600
            """
        )
        let setup = try #require(try BileanServer.keystoneSetup(role: .all, configuration: configuration))
        #expect(setup.wwwAuthenticateURI == "http://127.0.0.1:5000/v3")
        #expect(setup.validator.cacheTime == 120)
        #expect(setup.connectTimeout == 3)
        #expect(setup.credentials.interface == "public")
        #expect(!String(describing: setup.credentials).contains("s3cret"))
        #expect(configuration.keystoneSyncInterval == 600)
        // The scheduler syncs projects with the same credentials.
        #expect(try BileanServer.keystoneSetup(role: .scheduler, configuration: configuration) != nil)
    }

    @Test(arguments: [
        ("[keystone_authtoken]\ntoken_cache_time = forever\n", "[keystone_authtoken] token_cache_time"),
        ("[keystone_authtoken]\nauth_type = v3token\n", "[keystone_authtoken] auth_type"),
        ("[keystone_authtoken]\nauth_url = keystone:5000\n", "[keystone_authtoken] auth_url"),
        ("[keystone_authtoken]\ninsecure = maybe\n", "[keystone_authtoken] insecure"),
        ("[keystone_sync]\ninterval = -1\n", "[keystone_sync] interval"),
        ("[DEFAULT]\nallow_insecure_noauth = perhaps\n", "[DEFAULT] allow_insecure_noauth"),
        ("[DEFAULT]\ndefault_credit = -3\n", "[DEFAULT] default_credit"),
        ("[DEFAULT]\ndefault_credit = 1.0000000000001\n", "[DEFAULT] default_credit"),
        ("[DEFAULT]\ndefault_credit = lots\n", "[DEFAULT] default_credit"),
    ])
    func badKeystoneOptionsNameTheirLine(_ text: String, _ option: String) throws {
        do {
            _ = try Self.configuration(text)
            Issue.record("\(text) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.option == option)
            #expect(error.line == 2)
        }
    }

    @Test func defaultCreditIsReadExactly() throws {
        #expect(BileanConfiguration(environment: Self.environment).defaultCredit == .zero)
        let configuration = try Self.configuration("[DEFAULT]\ndefault_credit = 12.500000000001\n")
        #expect(configuration.defaultCredit == (try Money(parsing: "12.500000000001")))
    }

    @Test func noauthRefusesANonLoopbackAddressUnlessAllowed() throws {
        let open = try Self.configuration("[bilean_api]\nbind_host = 0.0.0.0\n")
        #expect(throws: BileanServer.StartupError.self) {
            try BileanServer.apiConfiguration(role: .all, configuration: open)
        }
        // A role without the API does not care.
        _ = try BileanServer.apiConfiguration(role: .scheduler, configuration: open)
        let allowed = try Self.configuration(
            "[DEFAULT]\nallow_insecure_noauth = true\n[bilean_api]\nbind_host = 0.0.0.0\n"
        )
        _ = try BileanServer.apiConfiguration(role: .all, configuration: allowed)
        let loopback = try Self.configuration("[bilean_api]\nbind_host = 127.0.0.2\n")
        _ = try BileanServer.apiConfiguration(role: .api, configuration: loopback)
    }

    @Test func thePolicyFileIsReadFromBesideTheConfiguration() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bilean-policy-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let conf = directory.appendingPathComponent("bilean.conf")
        try "[DEFAULT]\n".write(to: conf, atomically: true, encoding: .utf8)

        // No policy.yaml: the defaults.
        let plain = try BileanConfiguration.load(path: conf.path)
        #expect(try BileanServer.apiConfiguration(role: .api, configuration: plain).policy == .defaults)

        // policy.yaml next to bilean.conf is read.
        try "\"users:get\": \"role:admin\"\n".write(
            to: directory.appendingPathComponent("policy.yaml"),
            atomically: true,
            encoding: .utf8
        )
        let overridden = try BileanServer.apiConfiguration(role: .api, configuration: plain).policy
        #expect(overridden != .defaults)
        #expect(
            !overridden.enforce(.usersGet, Credentials(projectID: "p", roles: ["member"]), target: ["project_id": "p"])
        )

        // A configured policy_file that is missing stops the start; so does a bad rule, with file and line.
        try "[oslo_policy]\npolicy_file = missing.yaml\n".write(to: conf, atomically: true, encoding: .utf8)
        let missing = try BileanConfiguration.load(path: conf.path)
        #expect(throws: BileanServer.StartupError.self) {
            try BileanServer.apiConfiguration(role: .api, configuration: missing)
        }
        try "users:get: \"role:admin\"\nusers:index: \"rule:nope\"\n".write(
            to: directory.appendingPathComponent("bad.yaml"),
            atomically: true,
            encoding: .utf8
        )
        try "[oslo_policy]\npolicy_file = bad.yaml\n".write(to: conf, atomically: true, encoding: .utf8)
        let bad = try BileanConfiguration.load(path: conf.path)
        do {
            _ = try BileanServer.apiConfiguration(role: .api, configuration: bad)
            Issue.record("a bad policy file was accepted")
        } catch {
            #expect(error.description.contains("bad.yaml:2: rule 'users:index'"))
        }
    }

    @Test func readsTheListenerOptions() throws {
        let defaults = BileanConfiguration(environment: Self.environment).notification
        #expect(
            defaults.exchanges == ["nova", "cinder", "neutron", "glance", "keystone", "octavia", "manila", "openstack"]
        )
        #expect(defaults.queue == "bilean-notifications")
        #expect(!defaults.durableExchanges)
        let configuration = try Self.configuration(
            """
            [DEFAULT]
            transport_url = rabbit://bilean:secret@mq1:5672/
            [notification]
            exchanges = nova, cinder , mycloud
            topics = notifications,billing_notifications
            versioned_topics =
            queue = bilean-billing
            prefetch = 200
            batch_size = 50
            max_body_size = 4096
            [oslo_messaging_rabbit]
            amqp_durable_queues = true
            """
        )
        let options = configuration.notification
        #expect(options.exchanges == ["nova", "cinder", "mycloud"])
        #expect(options.topics == ["notifications", "billing_notifications"])
        #expect(options.versionedTopics.isEmpty)
        #expect(options.queue == "bilean-billing")
        #expect(options.prefetch == 200)
        #expect(options.batchSize == 50)
        #expect(options.maximumBodySize == 4096)
        #expect(options.durableExchanges)
        #expect(configuration.warnings.isEmpty)

        let setup = try #require(
            try BileanServer.listenerSetup(
                role: .notification,
                configuration: configuration,
                logger: TestDatabase.logger
            )
        )
        let topology = setup.configuration.topology
        #expect(topology.exchanges.map(\.name) == ["nova", "cinder", "mycloud"])
        #expect(topology.exchanges.allSatisfy { $0.type == "topic" && $0.durable && !$0.autoDelete })
        #expect(topology.queues.map(\.name) == ["bilean-billing"])
        #expect(topology.queues.allSatisfy { $0.durable && !$0.autoDelete && !$0.exclusive })
        #expect(
            topology.bindings.map { "\($0.exchange) \($0.routingKey)" } == [
                "nova notifications.info", "nova billing_notifications.info",
                "cinder notifications.info", "cinder billing_notifications.info",
                "mycloud notifications.info", "mycloud billing_notifications.info",
            ]
        )
    }

    @Test func theListenerCommitsTwoBatchesAtOnceWithTwoMoreBehindThemUnlessToldOtherwise() throws {
        func setup(_ text: String) throws -> ListenerConfiguration {
            let configuration = try Self.configuration("[DEFAULT]\ntransport_url = rabbit://u:p@mq:5672/\n" + text)
            return try #require(
                try BileanServer.listenerSetup(role: .all, configuration: configuration, logger: TestDatabase.logger)
            ).configuration
        }
        // A local engine: two batches committing (one SQLite commit), a full batch for each and two behind them.
        let local = try setup("")
        #expect(local.batchesInFlight == 2)
        #expect(local.batchSize == 500)
        #expect(local.prefetch == 2000)
        // Over RPC: four engines at once.
        let rpc = try setup("engine = rpc\n")
        #expect(rpc.batchesInFlight == 4)
        #expect(rpc.prefetch == 3000)
        // The prefetch follows the batch size and the slots, up to AMQP's 65,535; a set value is kept as it is.
        let sized = try setup("[notification]\nbatch_size = 100\nbatches_in_flight = 3\n")
        #expect(sized.prefetch == 500)
        #expect(try setup("[notification]\nbatch_size = 10000\nbatches_in_flight = 16\n").prefetch == 65_535)
        let set = try setup("[notification]\nprefetch = 700\nbatches_in_flight = 1\n")
        #expect(set.prefetch == 700)
        #expect(set.batchesInFlight == 1)
    }

    @Test func theDefaultTopologyBindsNovasVersionedNotificationsAndDeclaresExchangesAsOsloDoes() throws {
        let configuration = try Self.configuration("[DEFAULT]\ntransport_url = rabbit://u:p@mq:5672/\n")
        let setup = try #require(
            try BileanServer.listenerSetup(role: .all, configuration: configuration, logger: TestDatabase.logger)
        )
        let topology = setup.configuration.topology
        #expect(topology.exchanges.allSatisfy { $0.type == "topic" && !$0.durable && !$0.autoDelete })
        #expect(topology.queues.map(\.name) == ["bilean-notifications"])
        let nova = topology.bindings.filter { $0.exchange == "nova" }.map(\.routingKey)
        #expect(nova == ["notifications.info", "versioned_notifications.info"])
        #expect(topology.bindings.filter { $0.exchange == "cinder" }.map(\.routingKey) == ["notifications.info"])
        for exchange in ["octavia", "manila"] {
            #expect(topology.bindings.filter { $0.exchange == exchange }.map(\.routingKey) == ["notifications.info"])
        }
        #expect(topology.bindings.count == 9)
    }

    @Test func theListenerNeedsATransportURLAndGoodDefinitions() throws {
        let bare = BileanConfiguration(environment: Self.environment)
        // `all` without a broker runs without a listener; `notification` cannot.
        #expect(try BileanServer.listenerSetup(role: .all, configuration: bare, logger: TestDatabase.logger) == nil)
        #expect(try BileanServer.listenerSetup(role: .api, configuration: bare, logger: TestDatabase.logger) == nil)
        #expect(throws: BileanServer.StartupError.self) {
            try BileanServer.listenerSetup(role: .notification, configuration: bare, logger: TestDatabase.logger)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bilean-defs-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("definitions.yaml")
        try
            "- event_type: compute.instance.create.end\n  resources:\n    - resource_type: os.nova.server\n      bogus: 1\n"
            .write(to: file, atomically: true, encoding: .utf8)
        var configuration = try Self.configuration("[DEFAULT]\ntransport_url = rabbit://u:p@mq:5672/\n")
        configuration.definitionsFile = file.path
        #expect {
            try BileanServer.listenerSetup(role: .all, configuration: configuration, logger: TestDatabase.logger)
        } throws: { error in
            let text = "\(error)"
            return text.contains("\(file.path):4") && text.contains("bogus")
        }
        configuration.definitionsFile = directory.appendingPathComponent("missing.yaml").path
        #expect {
            try BileanServer.listenerSetup(role: .all, configuration: configuration, logger: TestDatabase.logger)
        } throws: { error in
            "\(error)".contains("missing.yaml") && "\(error)".contains("cannot read")
        }
    }

    @Test func theRPCRolesNeedABroker() throws {
        var configuration = BileanConfiguration()
        #expect(throws: BileanServer.StartupError.self) {
            try BileanServer.rpcSetup(role: .engine, configuration: configuration)
        }
        // A local engine (the default) needs no RPC; `all` never does.
        #expect(try BileanServer.rpcSetup(role: .api, configuration: configuration) == nil)
        configuration.engineMode = .rpc
        for role in [ServerRole.api, .notification, .scheduler] {
            #expect(throws: BileanServer.StartupError.self) {
                try BileanServer.rpcSetup(role: role, configuration: configuration)
            }
        }
        configuration.transportURL = "rabbit://guest:guest@127.0.0.1:5672/"
        #expect(try BileanServer.rpcSetup(role: .all, configuration: configuration) == nil)
        for role in [ServerRole.api, .notification, .scheduler, .engine] {
            #expect(try BileanServer.rpcSetup(role: role, configuration: configuration) != nil)
        }
    }

    @Test func readsTheRetentionsAndTheBatchWait() throws {
        let configuration = try Self.configuration(
            """
            [DEFAULT]
            transport_url = rabbit://bilean:secret@mq1:5672/
            [database]
            processed_message_retention = 3600
            rejected_notification_retention = 315360000
            [notification]
            batch_max_wait = 250
            """
        )
        #expect(configuration.processedMessageRetention == 3600)
        #expect(configuration.rejectedNotificationRetention == 315_360_000)
        #expect(configuration.notification.batchMaxWaitMilliseconds == 250)
        #expect(configuration.warnings.isEmpty)
        let engine = BileanServer.engineConfiguration(configuration)
        #expect(engine.processedMessageRetentionSeconds == 3600)
        #expect(engine.rejectedNotificationRetentionSeconds == 315_360_000)
        let setup = try #require(
            try BileanServer.listenerSetup(
                role: .notification,
                configuration: configuration,
                logger: TestDatabase.logger
            )
        )
        #expect(setup.configuration.batchMaxWait == .milliseconds(250))
        // The lower bound is accepted.
        let none = try Self.configuration("[notification]\nbatch_max_wait = 0\n")
        #expect(none.notification.batchMaxWaitMilliseconds == 0)
    }

    @Test func engineModeAndTimeoutAreRead() throws {
        let configuration = try Self.configuration(
            "[DEFAULT]\nengine = RPC\nrpc_response_timeout = 5\n[notification]\nbatches_in_flight = 3\n"
                + "[oslo_messaging_rabbit]\nrabbit_quorum_queue = true\n"
        )
        #expect(configuration.engineMode == .rpc)
        #expect(configuration.rpcResponseTimeout == 5)
        #expect(configuration.notification.batchesInFlight == 3)
        #expect(configuration.notification.quorumQueue)
        #expect(throws: ConfigurationError.self) {
            try Self.configuration("[DEFAULT]\nengine = remote\n")
        }
        #expect(throws: ConfigurationError.self) {
            try Self.configuration("[DEFAULT]\nrpc_response_timeout = 0\n")
        }
    }

    // MARK: [freeze]

    @Test func readsTheFreezeOptions() throws {
        let configuration = try Self.configuration(
            """
            [freeze]
            action = delete
            actions = os.nova.server:STOP, os.cinder.volume:none,
              os.neutron.floatingip : release
            restart_on_thaw = true
            delete_after = 604800
            grace_period = 86400
            max_listener_lag = 120
            max_queue_depth = 0
            settle_time = 0
            max_hold = 7200
            """
        )
        #expect(configuration.warnings.isEmpty)
        let actions = configuration.freezeActions
        #expect(actions.defaultKind == .delete)
        #expect(
            actions.byType == ["os.nova.server": .stop, "os.cinder.volume": nil, "os.neutron.floatingip": .release]
        )
        #expect(actions.kind(for: "os.nova.server") == .stop)
        #expect(actions.kind(for: "os.cinder.volume") == nil)
        #expect(actions.kind(for: "os.cinder.snapshot") == .delete)
        #expect(actions.kind(for: "os.neutron.floatingip") == .release)
        #expect(configuration.freezeRestartOnThaw)
        #expect(configuration.freezeDeleteAfter == 604_800)
        #expect(configuration.freezeGracePeriod == 86_400)
        #expect(configuration.freezeHold.maxListenerLagSeconds == 120)
        #expect(configuration.freezeHold.maxQueueDepth == 0)
        #expect(configuration.freezeHold.settleSeconds == 0)
        #expect(configuration.freezeHold.maxHoldSeconds == 7200)

        let engine = BileanServer.engineConfiguration(configuration)
        #expect(engine.freezeActions == actions)
        #expect(engine.restartOnThaw)
        #expect(engine.freezeDeleteAfterSeconds == 604_800)
        #expect(engine.freezeGraceSeconds == 86_400)
        #expect(engine.freezeHold == configuration.freezeHold)
        #expect(engine.cloudActionMaxAttempts == configuration.freezeMaxAttempts)
        #expect(engine.cloudActionRetrySeconds == Int64(configuration.freezeRetryInterval))
    }

    @Test(arguments: [
        ("a", "os.nova.server:stop", ["os.nova.server": .stop] as [String: CloudAction.Kind?]),
        (
            "b", "os.glance.image:delete,os.neutron.router:delete",
            ["os.glance.image": .delete, "os.neutron.router": .delete]
        ),
        ("c", "os.cinder.snapshot:None", ["os.cinder.snapshot": nil]),
        ("d", "", [:]),
    ])
    func freezeActionsPerType(_ name: String, _ value: String, _ expected: [String: CloudAction.Kind?]) throws {
        let configuration = try Self.configuration("[freeze]\nactions = \(value)\n")
        #expect(configuration.freezeActionsByType == expected, "\(name)")
    }

    @Test func eachFreezeActionTypeAcceptsExactlyWhatItSupports() throws {
        for (type, supported) in FreezeActions.supported {
            for kind in CloudAction.Kind.allCases {
                let text = "[freeze]\nactions = \(type):\(kind.rawValue)\n"
                if supported.contains(kind) {
                    #expect(try Self.configuration(text).freezeActionsByType == [type: kind])
                    continue
                }
                do {
                    _ = try Self.configuration(text)
                    Issue.record("\(type):\(kind) was accepted")
                } catch let error as ConfigurationError {
                    // The message names what the type supports.
                    let choices = (["none"] + supported.map(\.rawValue)).joined(separator: ", ")
                    #expect(error.message.hasSuffix("its actions are \(choices)"), "\(error)")
                }
            }
        }
    }

    @Test func deleteAfterNeedsAStop() throws {
        // The order of the options does not matter: the check runs once all are read.
        let stopped = try Self.configuration("[freeze]\ndelete_after = 60\nactions = os.nova.server:stop\n")
        #expect(stopped.freezeDeleteAfter == 60)
        let byDefault = try Self.configuration("[freeze]\naction = stop\ndelete_after = 60\n")
        #expect(byDefault.freezeDeleteAfter == 60)
        #expect(try Self.configuration("[freeze]\ndelete_after = 0\n").freezeDeleteAfter == 0)
    }

    @Test func freezeActionsAndRestartsNeedTheServiceCredentials() throws {
        let credentials = """
            [keystone_authtoken]
            auth_url = http://127.0.0.1:5000/v3
            username = bilean
            password = s3cret
            project_name = service

            """
        for text in [
            "[freeze]\nactions = os.neutron.floatingip:release\n",
            "[freeze]\nrestart_on_thaw = true\n",
            "[freeze]\naction = stop\n",
        ] {
            let bare = try Self.configuration(text)
            #expect(throws: BileanServer.StartupError.self, "\(text)") {
                try BileanServer.schedulerSetup(role: .scheduler, configuration: bare, logger: TestDatabase.logger)
            }
            let configured = try Self.configuration(credentials + text)
            let setup = try #require(
                try BileanServer.schedulerSetup(
                    role: .scheduler,
                    configuration: configured,
                    logger: TestDatabase.logger
                )
            )
            #expect(setup.cloud?.username == "bilean", "\(text)")
        }
        // Every type left alone, no restart: the cloud is never called, no credentials needed.
        let alone = try Self.configuration("[freeze]\nactions = os.nova.server:none, os.cinder.volume:none\n")
        let setup = try #require(
            try BileanServer.schedulerSetup(role: .scheduler, configuration: alone, logger: TestDatabase.logger)
        )
        #expect(setup.cloud == nil)
        #expect(
            BileanServer.cloudCallers(try Self.configuration("[freeze]\nactions = os.glance.image:delete\n"))
                == "[freeze] actions = os.glance.image:delete"
        )
    }

    @Test func theSampleNamesEveryOptionAndTheDefaultsParse() throws {
        var documented: Set<String> = []
        for option in SampleConfiguration.options {
            #expect(documented.insert("\(option.section).\(option.name)").inserted, "twice: \(option.name)")
        }
        var defined: Set<String> = []
        for (section, options) in BileanConfiguration.options {
            for name in options.keys { defined.insert("\(section).\(name)") }
        }
        #expect(
            documented == defined,
            "undocumented: \(defined.subtracting(documented)); unknown: \(documented.subtracting(defined))"
        )
        // Uncommented, the sample's non-empty defaults are a valid configuration equal to no file at all.
        var text = ""
        for line in SampleConfiguration.text().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[") {
                text += line + "\n"
            } else if line.hasPrefix("#"), !line.hasPrefix("# "), !line.hasSuffix("=") {
                text += line.dropFirst() + "\n"
            }
        }
        let sample = try Self.configuration(text)
        let none = BileanConfiguration(environment: Self.environment)
        #expect(sample.bindPort == none.bindPort && sample.freezeHold == none.freezeHold)
        #expect(sample.notification.exchanges == none.notification.exchanges)
        #expect(sample.api.authStrategy == none.api.authStrategy && sample.engineMode == none.engineMode)
    }

    @Test func logFormatIsTextOrJSON() throws {
        #expect(try Self.configuration("").logFormat == .text)
        #expect(try Self.configuration("[DEFAULT]\nlog_format = json\n").logFormat == .json)
        #expect(try Self.configuration("[DEFAULT]\nlog_format = TEXT\n").logFormat == .text)
        let error = try #require(throws: ConfigurationError.self) {
            try Self.configuration("[DEFAULT]\ndebug = true\nlog_format = yaml\n")
        }
        #expect(error.file == "bilean.conf" && error.line == 3 && error.option == "[DEFAULT] log_format")
    }

    @Test func thePublicEndpointIsAnHTTPURL() throws {
        #expect(try Self.configuration("").api.publicEndpoint == nil)
        let accepted = [
            "https://billing.example.com:8770": "https://billing.example.com:8770",
            "http://10.0.0.5:8770/": "http://10.0.0.5:8770",
            "HTTPS://cloud.example.com/billing//": "HTTPS://cloud.example.com/billing",
            "http://[fd00::1]:8770": "http://[fd00::1]:8770",
            "": nil,
        ]
        for (value, endpoint) in accepted {
            let configuration = try Self.configuration("[bilean_api]\npublic_endpoint = \(value)\n")
            #expect(configuration.api.publicEndpoint == endpoint, "\(value)")
        }
        for value in [
            "billing.example.com:8770", "ftp://billing.example.com", "https://", "https:///v1",
            "https://user:pass@billing.example.com", "https://billing.example.com/?a=1", "https://b.example.com/#x",
            "https://billing example.com",
        ] {
            let error = try #require(throws: ConfigurationError.self, "\(value)") {
                try Self.configuration("[bilean_api]\npublic_endpoint = \(value)\n")
            }
            #expect(error.line == 2 && error.option == "[bilean_api] public_endpoint", "\(value)")
        }
    }

    @Test func keystoneWithoutAValidatorIsAStartupErrorNotAnHTTPOne() async throws {
        let configuration = try Self.configuration("[DEFAULT]\nauth_strategy = keystone\n")
        try await TestDatabase.sqlite.withStore { store in
            let engine = Engine(store: store, logger: TestDatabase.logger)
            let error = try #require(throws: BileanServer.StartupError.self) {
                try BileanServer.buildServices(
                    role: .api,
                    configuration: configuration,
                    engines: BileanServer.Engines(engine),
                    logger: TestDatabase.logger
                )
            }
            // No HTTP status: the command prints it as a configuration error.
            #expect(error.description.first?.isNumber == false)
        }
    }

    @Test func theShippedSamplesAreCurrent() throws {
        let etc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../etc")
        let sample = try String(contentsOf: etc.appendingPathComponent("bilean.conf.sample"), encoding: .utf8)
        #expect(
            sample == SampleConfiguration.text(),
            "run: bilean-server --print-sample-config > etc/bilean.conf.sample"
        )
        let policy = try String(contentsOf: etc.appendingPathComponent("policy.yaml.sample"), encoding: .utf8)
        #expect(policy == BileanServer.samplePolicy(), "run: bilean-server --print-policy > etc/policy.yaml.sample")
    }
}
