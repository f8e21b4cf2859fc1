import BileanCore
import BileanOpenStack
import BileanTestSupport
import Foundation
import Testing

/// ``OpenStackCloud`` against ``FakeOpenStack``: Keystone, Nova and Cinder are fakes because the real services
/// cannot run on this machine. The fakes answer like the real APIs (statuses, `X-Subject-Token`, the catalog, the
/// OpenStack error bodies), so these tests check the requests Bilean sends and how it reads the answers.
@Suite("OpenStackCloud")
struct OpenStackCloudTests {
    // MARK: Nova

    @Test func stoppingAnActiveServerShutsItOff() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1")
            let result = try await cloud.perform(Self.action(.server, "vm-1", .stop))
            #expect(result == .done("server stopped"))
            #expect(fake.serverState("vm-1") == "SHUTOFF")
            let request = try #require(fake.requests.last)
            #expect(request.method == "POST")
            #expect(request.path == "/compute/v2.1/servers/vm-1/action")
            #expect(request.hadValidToken)
            #expect(request.status == 202)
        }
    }

    @Test func stoppingAStoppedServerLeavesItUnchanged() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1", state: "SHUTOFF")
            let result = try await cloud.perform(Self.action(.server, "vm-1", .stop))
            guard case .unchanged(let text) = result else {
                Issue.record("expected unchanged, got \(result)")
                return
            }
            #expect(text.hasPrefix("server already stopped (409): "))
            #expect(text.contains("vm_state stopped"))
            #expect(fake.serverState("vm-1") == "SHUTOFF")
            // The 409, then the status that tells "already stopped" from "busy".
            #expect(fake.requests.suffix(2).map(\.status) == [409, 200])
            #expect(fake.requests.last?.method == "GET")
        }
    }

    @Test func aServerBusyWithAnotherTaskIsRetried() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1", state: "RESIZE")
            do throws(CloudActionError) {
                _ = try await cloud.perform(Self.action(.server, "vm-1", .stop))
                Issue.record("a busy server counted as stopped")
            } catch {
                #expect(error.isRetryable)
                #expect(error.message.contains("RESIZE"))
            }
            #expect(fake.serverState("vm-1") == "RESIZE")
        }
    }

    @Test func stoppingTwiceLeavesItUnchangedTheSecondTime() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1")
            let answer1 = try await cloud.perform(Self.action(.server, "vm-1", .stop))
            #expect(answer1 == .done("server stopped"))
            let second = try await cloud.perform(Self.action(.server, "vm-1", .stop))
            guard case .unchanged(let text) = second else {
                Issue.record("expected unchanged, got \(second)")
                return
            }
            #expect(text.contains("(409)"))
        }
    }

    @Test func deletingAServerRemovesIt() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1")
            let result = try await cloud.perform(Self.action(.server, "vm-1", .delete))
            #expect(result == .done("server deleted"))
            #expect(fake.serverState("vm-1") == nil)
            let request = try #require(fake.requests.last)
            #expect(request.method == "DELETE")
            #expect(request.path == "/compute/v2.1/servers/vm-1")
            #expect(request.status == 204)
        }
    }

    @Test func anUnknownServerIsAlreadyGone() async throws {
        try await Self.withFake { fake, cloud in
            let answer2 = try await cloud.perform(Self.action(.server, "nope", .delete))
            #expect(answer2 == .alreadyGone)
            let answer3 = try await cloud.perform(Self.action(.server, "nope", .stop))
            #expect(answer3 == .alreadyGone)
            #expect(fake.requests.last?.status == 404)
        }
    }

    // MARK: Cinder

    @Test func deletingAVolumeRemovesIt() async throws {
        try await Self.withFake { fake, cloud in
            fake.addVolume("vol-1")
            let result = try await cloud.perform(Self.action(.volume, "vol-1", .delete))
            #expect(result == .done("volume deleted"))
            #expect(!fake.volumeExists("vol-1"))
            let request = try #require(fake.requests.last)
            #expect(request.method == "DELETE")
            #expect(request.path == "/volume/v3/\(fake.projectID)/volumes/vol-1")
            #expect(request.status == 202)
            let answer4 = try await cloud.perform(Self.action(.volume, "vol-1", .delete))
            #expect(answer4 == .alreadyGone)
        }
    }

    @Test func aVolumeCannotBeStopped() async throws {
        try await Self.withFake { fake, cloud in
            fake.addVolume("vol-1")
            let result = try await cloud.perform(Self.action(.volume, "vol-1", .stop))
            #expect(result == .notApplicable("a volume cannot be stopped; it is left as it is"))
            #expect(fake.volumeExists("vol-1"))
            #expect(fake.requests.isEmpty)
        }
    }

    @Test func aVolumeThatCannotBeDeletedYetIsRetried() async throws {
        try await Self.withFake { fake, cloud in
            fake.addVolume("vol-1")
            fake.failNext(1, status: 400, onPathContaining: "/volumes/")
            let error = await #expect(throws: CloudActionError.self) {
                try await cloud.perform(Self.action(.volume, "vol-1", .delete))
            }
            #expect(error?.isRetryable == true)
            #expect(error?.message.contains("400") == true)
            #expect(error?.message.contains("Injected failure") == true)
            let answer5 = try await cloud.perform(Self.action(.volume, "vol-1", .delete))
            #expect(answer5 == .done("volume deleted"))
        }
    }

    // MARK: Other types

    @Test func anUnknownResourceTypeIsNotApplicable() async throws {
        try await Self.withFake { fake, cloud in
            let action = Self.action("os.octavia.loadbalancer", "lb-1", .delete)
            let answer6 = try await cloud.perform(action)
            #expect(answer6 == .notApplicable("no freeze action for os.octavia.loadbalancer"))
            #expect(fake.requests.isEmpty)
            #expect(fake.authenticationCount == 0)
        }
    }

    // MARK: Errors

    @Test func aServiceUnavailableIsRetryableAndTheNextCallSucceeds() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1")
            fake.failNext(1, status: 503, onPathContaining: "/servers/")
            let error = await #expect(throws: CloudActionError.self) {
                try await cloud.perform(Self.action(.server, "vm-1", .delete))
            }
            #expect(error?.isRetryable == true)
            #expect(error?.message.contains("503") == true)
            #expect(fake.serverState("vm-1") == "ACTIVE")
            let answer7 = try await cloud.perform(Self.action(.server, "vm-1", .delete))
            #expect(answer7 == .done("server deleted"))
            #expect(fake.serverState("vm-1") == nil)
        }
    }

    @Test func aBadRequestIsNotRetryable() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1")
            fake.failNext(1, status: 400, onPathContaining: "/servers/")
            let error = await #expect(throws: CloudActionError.self) {
                try await cloud.perform(Self.action(.server, "vm-1", .stop))
            }
            #expect(error?.isRetryable == false)
            #expect(error?.message.contains("Nova answered 400") == true)
            #expect(error?.message.contains("Injected failure (HTTP 400)") == true)
            #expect(fake.serverState("vm-1") == "ACTIVE")
        }
    }

    @Test func anExpiredTokenIsRenewedOnceAndTheCallSucceeds() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1")
            fake.addServer("vm-2")
            let answer8 = try await cloud.perform(Self.action(.server, "vm-1", .stop))
            #expect(answer8 == .done("server stopped"))
            #expect(fake.authenticationCount == 1)
            fake.expireTokens()
            let answer9 = try await cloud.perform(Self.action(.server, "vm-2", .stop))
            #expect(answer9 == .done("server stopped"))
            #expect(fake.authenticationCount == 2)
            let novaCalls = fake.requests.filter { $0.path.hasPrefix("/compute/") }
            #expect(novaCalls.map(\.status) == [202, 401, 202])
            #expect(novaCalls.map(\.hadValidToken) == [true, false, true])
        }
    }

    @Test func aWrongPasswordIsRetryableAndNeverQuoted() async throws {
        let password = "wrong-horse-battery-staple"
        try await Self.withFake(password: password) { fake, cloud in
            fake.addServer("vm-1")
            let error = await #expect(throws: CloudActionError.self) {
                try await cloud.perform(Self.action(.server, "vm-1", .stop))
            }
            #expect(error?.isRetryable == true)
            #expect(error?.message == "Keystone refused the service credentials (401)")
            #expect(error?.message.contains(password) == false)
            #expect(error?.description.contains(password) == false)
            #expect(fake.authenticationCount == 0)
            #expect(fake.requests.map(\.status) == [401])
            #expect(fake.serverState("vm-1") == "ACTIVE")
        }
    }

    @Test func aKeystoneOutageIsRetryable() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1")
            fake.failNext(1, status: 503, onPathContaining: "auth/tokens")
            let error = await #expect(throws: CloudActionError.self) {
                try await cloud.perform(Self.action(.server, "vm-1", .stop))
            }
            #expect(error?.isRetryable == true)
            let answer10 = try await cloud.perform(Self.action(.server, "vm-1", .stop))
            #expect(answer10 == .done("server stopped"))
        }
    }

    // MARK: Tokens and paths

    @Test func aTokenIsReusedAcrossCalls() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1")
            fake.addServer("vm-2")
            fake.addVolume("vol-1")
            let answer11 = try await cloud.perform(Self.action(.server, "vm-1", .stop))
            #expect(answer11 == .done("server stopped"))
            let answer12 = try await cloud.perform(Self.action(.server, "vm-2", .delete))
            #expect(answer12 == .done("server deleted"))
            let answer13 = try await cloud.perform(Self.action(.volume, "vol-1", .delete))
            #expect(answer13 == .done("volume deleted"))
            #expect(fake.authenticationCount == 1)
            #expect(fake.requests.count == 4)
        }
    }

    @Test func concurrentCallsShareOneAuthentication() async throws {
        try await Self.withFake { fake, cloud in
            let ids = (1...8).map { "vm-\($0)" }
            for id in ids { fake.addServer(id) }
            try await withThrowingTaskGroup(of: CloudActionResult.self) { group in
                for id in ids {
                    group.addTask { try await cloud.perform(Self.action(.server, id, .delete)) }
                }
                for try await result in group {
                    #expect(result == .done("server deleted"))
                }
            }
            #expect(fake.authenticationCount == 1)
        }
    }

    @Test func aShortLivedTokenIsReusedUntilATenthOfItsLifetimeIsLeft() async throws {
        try await Self.withFake { fake, cloud in
            // A 30 s token is replaced 3 s before it expires (a tenth of its lifetime), not 60 s before: it is reused.
            fake.tokenLifetime = 30
            fake.addServer("vm-1")
            fake.addServer("vm-2")
            let answer14 = try await cloud.perform(Self.action(.server, "vm-1", .delete))
            #expect(answer14 == .done("server deleted"))
            let answer15 = try await cloud.perform(Self.action(.server, "vm-2", .delete))
            #expect(answer15 == .done("server deleted"))
            #expect(fake.authenticationCount == 1)
        }
    }

    @Test func theRefreshMarginIsATenthOfTheLifetimeAtMostAMinute() {
        let issued = Date(timeIntervalSince1970: 1_700_000_000)
        func margin(_ lifetime: TimeInterval?) -> TimeInterval {
            KeystoneToken(
                value: "t",
                expiresAt: issued.addingTimeInterval(lifetime ?? 3600),
                issuedAt: lifetime == nil ? nil : issued,
                catalog: []
            ).refreshMargin
        }
        #expect(margin(30) == 3)
        #expect(margin(300) == 30)
        #expect(margin(3600) == 60)
        #expect(margin(86_400) == 60)
        #expect(margin(nil) == 60)
    }

    @Test(arguments: [
        ("a/b c", "a%2Fb%20c"),
        ("../x?y#z", "..%2Fx%3Fy%23z"),
        ("été%", "%C3%A9t%C3%A9%25"),
    ])
    func idsArePercentEncoded(id: String, encoded: String) async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer(id)
            let answer16 = try await cloud.perform(Self.action(.server, id, .delete))
            #expect(answer16 == .done("server deleted"))
            #expect(fake.serverState(id) == nil)
            #expect(fake.requests.last?.path == "/compute/v2.1/servers/\(encoded)")
        }
    }

    @Test func theKeystoneURLMayOmitV3() async throws {
        let fake = try await FakeOpenStack.start()
        do {
            let withoutVersion = String(fake.authURL.dropLast("/v3".count)) + "/"
            let cloud = OpenStackCloud(
                credentials: OpenStackCredentials(
                    authURL: withoutVersion,
                    username: fake.username,
                    password: fake.password,
                    projectName: fake.projectName
                ),
                logger: TestDatabase.logger
            )
            fake.addServer("vm-1")
            let answer17 = try await cloud.perform(Self.action(.server, "vm-1", .delete))
            #expect(answer17 == .done("server deleted"))
            #expect(fake.requests.first?.path == "/identity/v3/auth/tokens")
        } catch {
            await fake.shutdown()
            throw error
        }
        await fake.shutdown()
    }

    @Test func aServiceMissingFromTheCatalogIsNotRetryable() async throws {
        let fake = try await FakeOpenStack.start()
        do {
            let cloud = OpenStackCloud(
                credentials: OpenStackCredentials(
                    authURL: fake.authURL,
                    username: fake.username,
                    password: fake.password,
                    projectName: fake.projectName,
                    regionName: "RegionTwo"
                ),
                logger: TestDatabase.logger
            )
            fake.addServer("vm-1")
            let error = await #expect(throws: CloudActionError.self) {
                try await cloud.perform(Self.action(.server, "vm-1", .delete))
            }
            #expect(error?.isRetryable == false)
            #expect(fake.serverState("vm-1") == "ACTIVE")
        } catch {
            await fake.shutdown()
            throw error
        }
        await fake.shutdown()
    }

    @Test func theCredentialsNeverPrintThePassword() {
        let credentials = OpenStackCredentials(
            authURL: "http://keystone:5000/v3",
            username: "bilean",
            password: "s3cr3t-p4ss",
            projectName: "service"
        )
        #expect(!"\(credentials)".contains("s3cr3t-p4ss"))
        #expect(!String(reflecting: credentials).contains("s3cr3t-p4ss"))
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains("s3cr3t-p4ss"))
    }

    // MARK: Helpers

    /// The resource types of the actions.
    enum ResourceType: String, CaseIterable {
        case server = "os.nova.server"
        case volume = "os.cinder.volume"
        case snapshot = "os.cinder.snapshot"
        case image = "os.glance.image"
        case router = "os.neutron.router"
        case floatingIP = "os.neutron.floatingip"
    }

    /// Runs `body` with a fresh fake and an executor logged in with `password` (the fake's by default); the fake is
    /// shut down afterwards, whether `body` threw or not.
    /// `perform` with an untyped `throws`, for `#expect` (its expansion does not handle typed throws).
    static func perform(_ cloud: OpenStackCloud, _ action: CloudAction) async throws -> CloudActionResult {
        try await cloud.perform(action)
    }

    static func withFake(
        password: String? = nil,
        _ body: (FakeOpenStack, OpenStackCloud) async throws -> Void
    ) async throws {
        let fake = try await FakeOpenStack.start()
        let cloud = OpenStackCloud(
            credentials: OpenStackCredentials(
                authURL: fake.authURL,
                username: fake.username,
                password: password ?? fake.password,
                projectName: fake.projectName
            ),
            logger: TestDatabase.logger
        )
        do {
            try await body(fake, cloud)
        } catch {
            await fake.shutdown()
            throw error
        }
        await fake.shutdown()
    }

    /// An action on a resource of a known type.
    static func action(_ type: ResourceType, _ id: String, _ kind: CloudAction.Kind) -> CloudAction {
        Self.action(type.rawValue, id, kind)
    }

    /// An action on a resource of any type.
    static func action(_ type: String, _ id: String, _ kind: CloudAction.Kind) -> CloudAction {
        CloudAction(
            id: "action-\(id)",
            userID: "user-1",
            resourceID: id,
            resourceType: type,
            kind: kind,
            nextAttemptAt: BillingTime(seconds: 1_700_000_000),
            createdAt: BillingTime(seconds: 1_700_000_000)
        )
    }
}
