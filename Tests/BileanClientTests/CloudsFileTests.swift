import Foundation
import Testing

@testable import BileanClient

@Suite("CloudsFile")
struct CloudsFileTests {
    @Test func searchOrderIsOpenstacksdks() {
        let paths = CloudsFile.candidatePaths(
            environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "/xdg/home", "XDG_CONFIG_DIRS": "/xdg/a:/xdg/b"],
            currentDirectory: "/work"
        )
        let directories = [
            "/work", "/xdg/home/openstack", "/home/u/.config/openstack", "/xdg/a/openstack", "/xdg/b/openstack",
            "/etc/openstack",
        ]
        #expect(paths == directories.flatMap { ["\($0)/clouds.yaml", "\($0)/clouds.yml", "\($0)/clouds.json"] })

        let defaults = CloudsFile.searchDirectories(environment: ["HOME": "/home/u"], currentDirectory: "/work")
        #expect(defaults == ["/work", "/home/u/.config/openstack", "/etc/xdg/openstack", "/etc/openstack"])
    }

    @Test func theFirstExistingFileWins() throws {
        let root = try KeystoneFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = [
            "HOME": root + "/home", "XDG_CONFIG_HOME": root + "/config", "XDG_CONFIG_DIRS": root + "/xdg",
        ]
        let work = root + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        func located() throws -> String {
            try CloudsFile.locate(environment: environment, currentDirectory: work) { path in
                path.hasPrefix(root) && CloudsFile.regularFileExists(path)
            }
        }

        try KeystoneFixtures.write("clouds: {}", to: root + "/xdg/openstack/clouds.yaml")
        #expect(try located() == root + "/xdg/openstack/clouds.yaml")
        try KeystoneFixtures.write("clouds: {}", to: root + "/home/.config/openstack/clouds.yml")
        #expect(try located() == root + "/home/.config/openstack/clouds.yml")
        try KeystoneFixtures.write("clouds: {}", to: root + "/config/openstack/clouds.json")
        #expect(try located() == root + "/config/openstack/clouds.json")
        try KeystoneFixtures.write("clouds: {}", to: work + "/clouds.yaml")
        #expect(try located() == work + "/clouds.yaml")

        let override = root + "/elsewhere.yaml"
        try KeystoneFixtures.write("clouds: {}", to: override)
        #expect(
            try CloudsFile.locate(
                environment: environment.merging(["OS_CLIENT_CONFIG_FILE": override]) { $1 },
                currentDirectory: work
            ) == override
        )
    }

    @Test func aMissingFileIsAnError() throws {
        let none = try #require(throws: BileanClientError.self) {
            try CloudsFile.locate(environment: ["HOME": "/home/u"], currentDirectory: "/work") { _ in false }
        }
        #expect(none.code == .invalidInput)
        #expect(none.message.contains("/home/u/.config/openstack"))
        #expect(!none.message.contains("\n"))

        let missingOverride = try #require(throws: BileanClientError.self) {
            try CloudsFile.locate(
                environment: ["OS_CLIENT_CONFIG_FILE": "/nonexistent/clouds.yaml"],
                currentDirectory: "/work"
            ) { $0 != "/nonexistent/clouds.yaml" }
        }
        #expect(missingOverride.code == .invalidInput)
        #expect(missingOverride.message.contains("OS_CLIENT_CONFIG_FILE"))
    }

    @Test func passwordAndTokenClouds() throws {
        let file = try CloudsFile.parse(
            """
            clouds:
              devstack:
                auth:
                  auth_url: http://keystone:5000/v3
                  username: admin
                  password: "secretpw"
                  project_name: admin
                  domain_name: Users
                  project_domain_id: default
                region_name: RegionOne
                interface: internal
              scoped-token:
                auth_type: v3token
                auth:
                  auth_url: https://keystone.example
                  token: abc123
                  project_id: 4f2e
                regions:
                  - name: West
                  - East
                endpoint_type: adminURL
              legacy:
                auth:
                  tenant_name: old
                  domain_id: d1
            cache:
              expiration_time: 3600
            """,
            path: "/x/clouds.yaml"
        )
        #expect(file.clouds.keys.sorted() == ["devstack", "legacy", "scoped-token"])

        let devstack = try file.cloud(named: "devstack")
        #expect(devstack.authType == nil)
        #expect(devstack.authURL == "http://keystone:5000/v3")
        #expect(devstack.username == "admin")
        #expect(devstack.password == Secret("secretpw"))
        #expect(devstack.projectName == "admin")
        #expect(devstack.userDomainName == "Users")
        #expect(devstack.userDomainID == nil)
        #expect(devstack.projectDomainID == "default")
        #expect(devstack.projectDomainName == nil)
        #expect(devstack.regionName == "RegionOne")
        #expect(devstack.interface == "internal")

        let token = try file.cloud(named: "scoped-token")
        #expect(token.authType == .token)
        #expect(token.token == Secret("abc123"))
        #expect(token.projectID == "4f2e")
        #expect(token.regionName == "West")
        #expect(token.interface == "adminURL")
        let credentials = try KeystoneCredentials(options: ConnectionOptions(), environment: [:], cloud: token)
        #expect(credentials.method == .token(Secret("abc123")))
        #expect(credentials.scope == .projectID("4f2e"))
        #expect(credentials.interface == "admin")
        #expect(credentials.authURL == "https://keystone.example")

        let legacy = try file.cloud(named: "legacy")
        #expect(legacy.projectName == "old")
        #expect(legacy.userDomainID == "d1")
        #expect(legacy.projectDomainID == "d1")
    }

    @Test func jsonFilesAreReadAsJSON() throws {
        let file = try CloudsFile.parse(
            #"{"clouds": {"j": {"auth": {"auth_url": "http://k:5000", "project_id": 12345}}}}"#,
            path: "/x/clouds.json"
        )
        #expect(try file.cloud(named: "j").projectID == "12345")
    }

    @Test func anUnknownCloudNamesTheFileAndItsClouds() throws {
        let file = try CloudsFile.parse("clouds:\n  a: {}\n  b: {}\n", path: "/x/clouds.yaml")
        let error = try #require(throws: BileanClientError.self) { try file.cloud(named: "c") }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("'c'"))
        #expect(error.message.contains("/x/clouds.yaml"))
        #expect(error.message.contains("a, b"))
        #expect(!error.message.contains("\n"))
    }

    @Test(arguments: [
        "clouds: [",  // not YAML
        "- a\n- b\n",  // not a mapping
        "clouds: [a]\n",  // clouds not a mapping
        "clouds:\n  a: 1\n",  // a cloud not a mapping
        "clouds:\n  a:\n    auth: x\n",  // auth not a mapping
        "clouds:\n  a:\n    auth_type: v3oidcpassword\n",  // unsupported
        "clouds:\n  a:\n    auth:\n      password: [1, 2]\n",  // not a string
    ])
    func invalidFiles(text: String) throws {
        let error = try #require(throws: BileanClientError.self) {
            try CloudsFile.parse(text, path: "/x/clouds.yaml")
        }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("/x/clouds.yaml"))
    }

    @Test func aPasswordIsNeverQuotedInErrors() throws {
        let error = try #require(throws: BileanClientError.self) {
            try CloudsFile.parse("clouds:\n  a:\n    auth:\n      password: {hunter2: 1}\n", path: "/x/clouds.yaml")
        }
        #expect(!error.message.contains("hunter2"))
    }

    @Test func loadReadsFromDisk() throws {
        let root = try KeystoneFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try KeystoneFixtures.write("clouds:\n  d:\n    auth:\n      username: u\n", to: root + "/clouds.yaml")
        let cloud = try CloudsFile.cloud(named: "d", environment: ["HOME": root], currentDirectory: root)
        #expect(cloud.username == "u")
        let unreadable = try #require(throws: BileanClientError.self) {
            try CloudsFile.load(path: root + "/missing.yaml")
        }
        #expect(unreadable.code == .invalidInput)
    }
}
