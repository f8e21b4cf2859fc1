import AMQP
import BileanAPI
import BileanEngine
import BileanNotification
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
        #expect(configuration.definitionsFile == nil)
        #expect(configuration.transportURL == nil)
        #expect(!configuration.debug)
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
        ("[scheduler]\ndaily_settlement_time = 25:00\n", 2, "[scheduler] daily_settlement_time"),
        ("[scheduler]\nlease_time = 1\n", 2, "[scheduler] lease_time"),
        ("[oslo_messaging_notifications]\ndriver = kafka\n", 2, "[oslo_messaging_notifications] driver"),
        ("[DEFAULT]\ncontrol_exchange = a b\n", 2, "[DEFAULT] control_exchange"),
        ("[notification]\nexchanges = ,\n", 2, "[notification] exchanges"),
        ("[notification]\nqueue = a, b\n", 2, "[notification] queue"),
        ("[notification]\ntopics = no spaces allowed\n", 2, "[notification] topics"),
        ("[notification]\nprefetch = 0\n", 2, "[notification] prefetch"),
        ("[notification]\nbatch_size = 100000\n", 2, "[notification] batch_size"),
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

    @Test func keystoneIsRefusedAtStartUntilItIsBuilt() async throws {
        let configuration = try Self.configuration("[DEFAULT]\nauth_strategy = keystone\n")
        #expect(configuration.api.authStrategy == .keystone)
        try await TestDatabase.sqlite.withStore { store in
            let engine = Engine(store: store, logger: TestDatabase.logger)
            #expect(throws: APIError.self) { try APIRouter.make(engine: engine, configuration: configuration.api) }
        }
    }

    @Test func readsTheListenerOptions() throws {
        let defaults = BileanConfiguration(environment: Self.environment).notification
        #expect(defaults.exchanges == ["nova", "cinder", "neutron", "glance", "keystone", "openstack"])
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
        #expect(topology.bindings.count == 7)
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

    @Test func unbuiltRolesSayWhy() {
        #expect(ServerRole.all.unavailableReason == nil)
        #expect(ServerRole.api.unavailableReason == nil)
        #expect(ServerRole.notification.unavailableReason == nil)
        #expect(ServerRole.scheduler.unavailableReason == nil)
        #expect(ServerRole.engine.unavailableReason?.contains("not available in this build yet") == true)
    }
}
