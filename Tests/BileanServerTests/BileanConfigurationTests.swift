import BileanAPI
import BileanEngine
import BileanTestSupport
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

    @Test func unbuiltRolesSayWhy() {
        #expect(ServerRole.all.unavailableReason == nil)
        #expect(ServerRole.api.unavailableReason == nil)
        for role in [ServerRole.engine, .scheduler, .notification] {
            #expect(role.unavailableReason?.contains("not available in this build yet") == true)
        }
    }
}
