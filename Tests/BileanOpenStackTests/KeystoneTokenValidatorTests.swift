import AsyncHTTPClient
import BileanCore
import BileanTestSupport
import Foundation
import Testing

@testable import BileanOpenStack

/// The token validator against the fake Keystone (`FakeOpenStack`): statuses, the service token's renewal, the
/// cache and coalescing. The real Keystone is in IntegrationTests/KeystoneTests.
@Suite("Keystone token validator")
struct KeystoneTokenValidatorTests {
    static func withValidator(
        cacheTime: TimeInterval = 300,
        _ body: (FakeOpenStack, KeystoneTokenValidator) async throws -> Void
    ) async throws {
        let fake = try await FakeOpenStack.start()
        // Generous: on a loaded CI machine the fake may take a while to accept (a timeout here is no behaviour).
        let client = KeystoneHTTPClient.make(connectTimeout: 10, caFile: nil, insecure: false)
        let session = KeystoneSession(
            credentials: OpenStackCredentials(
                authURL: fake.authURL,
                username: fake.username,
                password: fake.password,
                projectName: fake.projectName
            ),
            httpClient: client,
            logger: TestDatabase.logger
        )
        var configuration = KeystoneTokenValidator.Configuration()
        configuration.cacheTime = cacheTime
        let validator = KeystoneTokenValidator(
            session: session,
            httpClient: client,
            configuration: configuration,
            logger: TestDatabase.logger
        )
        do {
            try await body(fake, validator)
        } catch {
            await fake.shutdown()
            try await client.shutdown()
            throw error
        }
        await fake.shutdown()
        try await client.shutdown()
    }

    /// The code of the error a validation throws (`nil`: it succeeded).
    static func code(_ validator: KeystoneTokenValidator, _ token: String) async -> TokenValidationError.Code? {
        do {
            _ = try await validator.validate(token)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func aValidTokenGivesItsIdentityOnceThenComesFromTheCache() async throws {
        try await Self.withValidator { fake, validator async throws in
            fake.addUserToken("alice", project: "alpha", roles: ["member", "reader"])
            let identity = try await validator.validate("alice")
            #expect(identity.projectID == "alpha")
            #expect(identity.roles == ["member", "reader"])
            #expect(identity.userID == "user-alpha")
            #expect(identity.projectDomainID == "default")
            for _ in 0..<50 { _ = try await validator.validate("alice") }
            #expect(fake.validationCount == 1)
            #expect(validator.keystoneRequests == 1)
        }
    }

    @Test func concurrentValidationsOfOneTokenShareOneRequest() async throws {
        try await Self.withValidator { fake, validator async throws in
            fake.addUserToken("bob", project: "beta", roles: ["member"])
            try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await validator.validate("bob").projectID }
                }
                for try await project in group { #expect(project == "beta") }
            }
            #expect(fake.validationCount == 1)
        }
    }

    @Test func anUnknownTokenIsInvalidAndCachedBriefly() async throws {
        try await Self.withValidator { fake, validator async throws in
            #expect(await Self.code(validator, "nope") == .invalid)
            #expect(await Self.code(validator, "nope") == .invalid)
            #expect(fake.validationCount == 1)
            // An expired one too (Keystone answers 404).
            fake.addUserToken("old", project: "alpha", roles: ["member"], expiresIn: -1)
            #expect(await Self.code(validator, "old") == .invalid)
            // A token too long is refused without asking.
            let long = String(repeating: "x", count: 10_000)
            #expect(await Self.code(validator, long) == .invalid)
            #expect(fake.validationCount == 2)
        }
    }

    @Test func aRefusedServiceTokenIsRenewedOnce() async throws {
        try await Self.withValidator { fake, validator async throws in
            fake.addUserToken("alice", project: "alpha", roles: ["member"])
            fake.addUserToken("rita", project: "alpha", roles: ["reader"])
            _ = try await validator.validate("alice")
            #expect(fake.authenticationCount == 1)
            // Keystone forgets the service token: one 401, a new service token, then the answer.
            fake.expireTokens()
            #expect(try await validator.validate("rita").roles == ["reader"])
            #expect(fake.authenticationCount == 2)
        }
    }

    @Test func keystoneFailuresAreUnavailableAndNotCached() async throws {
        try await Self.withValidator { fake, validator async throws in
            fake.addUserToken("alice", project: "alpha", roles: ["member"])
            fake.addUserToken("bob", project: "beta", roles: ["member"])
            // The service token's own authentication fails: unavailable, and not remembered.
            fake.failNext(1, status: 503, onPathContaining: "auth/tokens")
            #expect(await Self.code(validator, "alice") == .unavailable)
            #expect(try await validator.validate("alice").projectID == "alpha")
            // The validation itself fails: unavailable, and not remembered.
            fake.failNext(1, status: 500, onPathContaining: "auth/tokens")
            #expect(await Self.code(validator, "bob") == .unavailable)
            #expect(try await validator.validate("bob").projectID == "beta")
        }
    }

    @Test func anUnreachableKeystoneIsUnavailable() async throws {
        let client = KeystoneHTTPClient.make(connectTimeout: 2, caFile: nil, insecure: false)
        let session = KeystoneSession(
            credentials: OpenStackCredentials(
                authURL: "http://127.0.0.1:9/v3",
                username: "bilean",
                password: "secret",
                projectName: "service"
            ),
            httpClient: client,
            logger: TestDatabase.logger
        )
        let validator = KeystoneTokenValidator(session: session, httpClient: client, logger: TestDatabase.logger)
        let started = ContinuousClock.now
        #expect(await Self.code(validator, "alice") == .unavailable)
        // A refused connection fails at once; the bound leaves room for a loaded CI machine.
        #expect(ContinuousClock.now - started < .seconds(30))
        try await client.shutdown()
    }
}
