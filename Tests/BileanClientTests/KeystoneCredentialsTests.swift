import Testing

@testable import BileanClient

@Suite("KeystoneCredentials")
struct KeystoneCredentialsTests {
    static let environment = [
        "OS_AUTH_URL": "http://env-keystone:5000/v3/", "OS_USERNAME": "env-user", "OS_PASSWORD": "env-password",
        "OS_PROJECT_NAME": "env-project", "OS_USER_DOMAIN_NAME": "EnvUsers", "OS_PROJECT_DOMAIN_NAME": "EnvProjects",
        "OS_REGION_NAME": "EnvRegion", "OS_INTERFACE": "internal",
    ]

    @Test func fromTheEnvironment() throws {
        let credentials = try KeystoneCredentials(
            options: ConnectionOptions(),
            environment: Self.environment,
            cloud: nil
        )
        #expect(credentials.authURL == "http://env-keystone:5000")
        #expect(credentials.tokensURL == "http://env-keystone:5000/v3/auth/tokens")
        #expect(
            credentials.method
                == .password(username: "env-user", userDomain: .name("EnvUsers"), password: Secret("env-password"))
        )
        #expect(credentials.scope == .projectName("env-project", domain: .name("EnvProjects")))
        #expect(credentials.regionName == "EnvRegion")
        #expect(credentials.interface == "internal")
    }

    @Test func optionsWinOverTheEnvironmentAndEmptyCountsAsAbsent() throws {
        let options = ConnectionOptions(
            authURL: "http://opt-keystone:5000",
            username: "opt-user",
            password: Secret(""),
            projectName: "opt-project",
            userDomainName: "",
            projectDomainID: "opt-domain-id",
            regionName: "OptRegion",
            interface: "publicURL"
        )
        let credentials = try KeystoneCredentials(options: options, environment: Self.environment, cloud: nil)
        #expect(credentials.authURL == "http://opt-keystone:5000")
        #expect(
            credentials.method
                == .password(username: "opt-user", userDomain: .name("EnvUsers"), password: Secret("env-password"))
        )
        #expect(credentials.scope == .projectName("opt-project", domain: .id("opt-domain-id")))
        #expect(credentials.regionName == "OptRegion")
        #expect(credentials.interface == "public")
    }

    @Test func domainsDefaultToTheDefaultDomainByName() throws {
        let credentials = try KeystoneCredentials(
            options: ConnectionOptions(),
            environment: [
                "OS_AUTH_URL": "http://k:5000", "OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_PROJECT_NAME": "x",
            ],
            cloud: nil
        )
        #expect(credentials.method == .password(username: "u", userDomain: .name("Default"), password: Secret("p")))
        #expect(credentials.scope == .projectName("x", domain: .name("Default")))
        #expect(credentials.interface == "public")
        #expect(credentials.regionName == nil)
    }

    @Test func domainIDsFromTheEnvironment() throws {
        let credentials = try KeystoneCredentials(
            options: ConnectionOptions(),
            environment: [
                "OS_AUTH_URL": "http://k:5000", "OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_PROJECT_NAME": "x",
                "OS_USER_DOMAIN_ID": "ud", "OS_PROJECT_DOMAIN_ID": "pd",
            ],
            cloud: nil
        )
        #expect(credentials.method == .password(username: "u", userDomain: .id("ud"), password: Secret("p")))
        #expect(credentials.scope == .projectName("x", domain: .id("pd")))
    }

    @Test func aProjectIDWinsOverANameFromTheSameSourceButNotFromAnEarlierOne() throws {
        var environment = Self.environment
        environment["OS_PROJECT_ID"] = "env-project-id"
        let fromEnvironment = try KeystoneCredentials(
            options: ConnectionOptions(),
            environment: environment,
            cloud: nil
        )
        #expect(fromEnvironment.scope == .projectID("env-project-id"))

        let nameOption = try KeystoneCredentials(
            options: ConnectionOptions(projectName: "opt-project"),
            environment: environment,
            cloud: nil
        )
        #expect(nameOption.scope == .projectName("opt-project", domain: .name("EnvProjects")))

        let idOption = try KeystoneCredentials(
            options: ConnectionOptions(projectID: "opt-id"),
            environment: environment,
            cloud: nil
        )
        #expect(idOption.scope == .projectID("opt-id"))
    }

    @Test func aTokenWithoutUserNameLogsInWithTheTokenMethod() throws {
        let credentials = try KeystoneCredentials(
            options: ConnectionOptions(token: Secret("tok")),
            environment: ["OS_AUTH_URL": "http://k:5000", "OS_PROJECT_ID": "p"],
            cloud: nil
        )
        #expect(credentials.method == .token(Secret("tok")))
        let withUser = try KeystoneCredentials(
            options: ConnectionOptions(token: Secret("tok")),
            environment: [
                "OS_AUTH_URL": "http://k:5000", "OS_PROJECT_ID": "p", "OS_USERNAME": "u", "OS_PASSWORD": "pw",
            ],
            cloud: nil
        )
        #expect(withUser.method == .password(username: "u", userDomain: .name("Default"), password: Secret("pw")))
    }

    @Test(arguments: [
        ["OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_PROJECT_NAME": "x"],  // no auth URL
        ["OS_AUTH_URL": "http://k:5000", "OS_PASSWORD": "p", "OS_PROJECT_NAME": "x"],  // no user
        ["OS_AUTH_URL": "http://k:5000", "OS_USERNAME": "u", "OS_PROJECT_NAME": "x"],  // no password
        ["OS_AUTH_URL": "http://k:5000", "OS_USERNAME": "u", "OS_PASSWORD": "p"],  // no project
        [
            "OS_AUTH_URL": "http://k:5000", "OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_PROJECT_ID": "x",
            "OS_INTERFACE": "private",
        ],
    ])
    func missingOrInvalidSettingsAreInvalidInput(environment: [String: String]) throws {
        let error = try #require(throws: BileanClientError.self) {
            try KeystoneCredentials(options: ConnectionOptions(), environment: environment, cloud: nil)
        }
        #expect(error.code == .invalidInput)
        #expect(!error.message.contains("\n"))
        #expect(!error.message.contains("\"p\""))
    }

    @Test(arguments: ["keystone:5000", "ftp://k", "http://", "http://u:p@k:5000", "http://k:5000/v3?x=1"])
    func invalidAuthURLs(url: String) throws {
        let error = try #require(throws: BileanClientError.self) {
            try KeystoneCredentials(
                options: ConnectionOptions(authURL: url),
                environment: ["OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_PROJECT_ID": "x"],
                cloud: nil
            )
        }
        #expect(error.code == .invalidURL)
    }

    @Test func theEnvironmentAndOptionsOverrideTheCloud() throws {
        var cloud = CloudConfig(name: "mine")
        cloud.authURL = "http://cloud-keystone:5000/v3"
        cloud.username = "cloud-user"
        cloud.password = Secret("cloud-password")
        cloud.projectID = "cloud-project-id"
        cloud.userDomainName = "CloudUsers"
        cloud.regionName = "CloudRegion"
        cloud.interface = "admin"

        let fromCloud = try KeystoneCredentials(options: ConnectionOptions(), environment: [:], cloud: cloud)
        #expect(fromCloud.authURL == "http://cloud-keystone:5000")
        #expect(
            fromCloud.method
                == .password(
                    username: "cloud-user",
                    userDomain: .name("CloudUsers"),
                    password: Secret("cloud-password")
                )
        )
        #expect(fromCloud.scope == .projectID("cloud-project-id"))
        #expect(fromCloud.regionName == "CloudRegion")
        #expect(fromCloud.interface == "admin")
        #expect(fromCloud.cloud == "mine")

        let overridden = try KeystoneCredentials(
            options: ConnectionOptions(projectName: "opt-project", regionName: "OptRegion"),
            environment: ["OS_PASSWORD": "env-password", "OS_INTERFACE": "public", "OS_USERNAME": ""],
            cloud: cloud
        )
        #expect(overridden.authURL == "http://cloud-keystone:5000")
        #expect(
            overridden.method
                == .password(username: "cloud-user", userDomain: .name("CloudUsers"), password: Secret("env-password"))
        )
        #expect(overridden.scope == .projectName("opt-project", domain: .name("Default")))
        #expect(overridden.regionName == "OptRegion")
        #expect(overridden.interface == "public")
    }

    @Test func theCloudsAuthTypeDecidesTheMethod() throws {
        var cloud = CloudConfig(name: "t")
        cloud.authType = .token
        cloud.authURL = "http://k:5000"
        cloud.token = Secret("cloud-token")
        cloud.projectName = "demo"
        let credentials = try KeystoneCredentials(
            options: ConnectionOptions(),
            environment: ["OS_USERNAME": "ignored-user"],
            cloud: cloud
        )
        #expect(credentials.method == .token(Secret("cloud-token")))
        #expect(credentials.scope == .projectName("demo", domain: .name("Default")))

        cloud.token = nil
        let error = try #require(throws: BileanClientError.self) {
            try KeystoneCredentials(options: ConnectionOptions(), environment: [:], cloud: cloud)
        }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("token"))
    }

    @Test func descriptionsRedactSecrets() throws {
        let options = ConnectionOptions(
            token: Secret("opt-token-value"),
            username: "u",
            password: Secret("opt-password")
        )
        var cloud = CloudConfig(name: "c")
        cloud.password = Secret("cloud-password")
        cloud.token = Secret("cloud-token-value")
        let credentials = try KeystoneCredentials(
            authURL: "http://k:5000",
            method: .token(Secret("method-token-value")),
            scope: .projectID("p")
        )
        var dumped = ""
        dump(options, to: &dumped)
        dump(cloud, to: &dumped)
        dump(credentials, to: &dumped)
        let texts = [
            String(describing: options), String(reflecting: options), String(describing: cloud),
            String(reflecting: cloud), String(describing: credentials), String(reflecting: credentials),
            "\(Secret("opt-password"))", dumped,
        ]
        for text in texts {
            for secret in [
                "opt-token-value", "opt-password", "cloud-password", "cloud-token-value", "method-token-value",
            ] {
                #expect(!text.contains(secret), "\(secret) shown in \(text)")
            }
        }
        #expect(String(describing: options).contains(Secret.redacted))
    }
}
