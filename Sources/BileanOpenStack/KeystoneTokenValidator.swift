package import AsyncHTTPClient
package import BileanCore
package import Foundation
package import Logging
package import NIOCore
import NIOHTTP1
import Synchronization

/// Validates callers' tokens against Keystone, as keystonemiddleware's `auth_token` does: `GET /v3/auth/tokens`
/// with the service's own token in `X-Auth-Token` and the caller's in `X-Subject-Token`, through a
/// ``TokenCache``.
///
/// - 200: the identity (user, project or domain or system scope, roles, expiry).
/// - 404 (and 400): the token is invalid, expired or revoked.
/// - 401: the service token was refused: it is dropped and the request made once more with a new one.
/// - Anything else (403, 5xx, no answer): Keystone is unavailable. That is never cached, so that the API
///   recovers as soon as Keystone does.
///
/// Each failure is logged once, when Keystone answers it (cached answers are not logged again), with a
/// fingerprint of the token and never the token.
package final class KeystoneTokenValidator: TokenValidator {
    /// The validator's settings (`[keystone_authtoken]`).
    package struct Configuration: Sendable {
        /// `token_cache_time`, seconds.
        package var cacheTime: TimeInterval = 300
        /// How long an invalid token is refused from the cache.
        package var invalidCacheTime: TimeInterval = 10
        /// The most tokens cached.
        package var cacheCapacity = 10_000
        /// The time one validation request may take.
        package var timeout: TimeAmount = .seconds(30)
        /// The longest token accepted (longer ones are refused without asking Keystone).
        package var maximumTokenLength = 8192

        /// The defaults.
        package init() {}
    }

    private struct State: Sendable {
        var cache: TokenCache
        var tasks: [String: Task<Result<TokenIdentity, TokenValidationError>, Never>] = [:]
    }

    /// The service's own Keystone session (its token validates the others).
    package let session: KeystoneSession
    private let httpClient: HTTPClient
    private let configuration: Configuration
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let state: Mutex<State>
    private let requests = Atomic<Int>(0)

    /// Creates a validator; nothing is sent before the first token.
    /// - Parameters:
    ///   - session: The service's Keystone session.
    ///   - httpClient: The HTTP client (owned by the caller).
    ///   - configuration: The settings.
    ///   - logger: The logger.
    ///   - now: The current time (tests move it).
    package init(
        session: KeystoneSession,
        httpClient: HTTPClient,
        configuration: Configuration = Configuration(),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.session = session
        self.httpClient = httpClient
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.state = Mutex(
            State(
                cache: TokenCache(
                    capacity: configuration.cacheCapacity,
                    cacheTime: configuration.cacheTime,
                    invalidCacheTime: configuration.invalidCacheTime
                )
            )
        )
    }

    /// How many validation requests were sent to Keystone so far.
    package var keystoneRequests: Int { self.requests.load(ordering: .relaxed) }

    package func validate(_ token: String) async throws(TokenValidationError) -> TokenIdentity {
        guard token.utf8.count <= self.configuration.maximumTokenLength else {
            throw TokenValidationError(.invalid, "the token is longer than \(self.configuration.maximumTokenLength)")
        }
        let step = self.state.withLock { state -> Step in
            switch state.cache.lookup(token, now: self.now()) {
            case .answer(let result):
                return .answer(result)
            case .wait:
                guard let task = state.tasks[token] else {
                    return .answer(.failure(TokenValidationError(.unavailable, "a validation went missing")))
                }
                return .wait(task)
            case .validate:
                let task = Task { await self.validateAndRemember(token) }
                state.tasks[token] = task
                return .wait(task)
            }
        }
        switch step {
        case .answer(let result): return try result.get()
        case .wait(let task): return try await task.value.get()
        }
    }

    private enum Step {
        case answer(Result<TokenIdentity, TokenValidationError>)
        case wait(Task<Result<TokenIdentity, TokenValidationError>, Never>)
    }

    private func validateAndRemember(_ token: String) async -> Result<TokenIdentity, TokenValidationError> {
        let result: Result<TokenIdentity, TokenValidationError>
        do throws(TokenValidationError) {
            result = .success(try await self.askKeystone(token))
        } catch {
            self.logger.warning(
                "token validation failed",
                metadata: [
                    "token.fingerprint": "\(Self.fingerprint(token))",
                    "reason": "\(error.message)",
                    "code": "\(error.code)",
                ]
            )
            result = .failure(error)
        }
        self.state.withLock { state in
            state.cache.completed(token, result: result, now: self.now())
            state.tasks[token] = nil
        }
        return result
    }

    /// One validation, retried once with a new service token after a 401.
    private func askKeystone(_ token: String) async throws(TokenValidationError) -> TokenIdentity {
        for attempt in 0..<2 {
            let service: KeystoneToken
            do {
                service = try await self.session.token()
            } catch {
                throw TokenValidationError(.unavailable, "Bilean cannot get its own token: \(error.message)")
            }
            let (status, body) = try await self.get(token, serviceToken: service.value)
            switch status {
            case 200, 203:
                return try self.identity(from: body)
            case 400, 404:
                throw TokenValidationError(
                    .invalid,
                    "Keystone does not accept the token (\(status)): invalid, expired or revoked"
                )
            case 401 where attempt == 0:
                await self.session.invalidate(service)
                continue
            case 401:
                throw TokenValidationError(.unavailable, "Keystone refused Bilean's service token twice (401)")
            case 403:
                throw TokenValidationError(
                    .unavailable,
                    "Keystone does not let Bilean's service user validate tokens (403): give it the admin or "
                        + "service role"
                )
            default:
                throw TokenValidationError(.unavailable, "Keystone answered \(status) to a token validation")
            }
        }
        throw TokenValidationError(.unavailable, "Keystone refused Bilean's service token (401)")
    }

    private func get(_ token: String, serviceToken: String) async throws(TokenValidationError) -> (Int, ByteBuffer) {
        var request = HTTPClientRequest(url: self.session.credentials.tokensURL + "?nocatalog")
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "bilean")
        request.headers.add(name: "X-Auth-Token", value: serviceToken)
        request.headers.add(name: "X-Subject-Token", value: token)
        self.requests.add(1, ordering: .relaxed)
        do {
            let response = try await self.httpClient.execute(request, timeout: self.configuration.timeout)
            let body = try await response.body.collect(upTo: KeystoneSession.maximumBodyBytes)
            return (Int(response.status.code), body)
        } catch {
            let failure = CloudActionError.transport(error, service: "Keystone", timeout: self.configuration.timeout)
            throw TokenValidationError(.unavailable, failure.message)
        }
    }

    private func identity(from body: ByteBuffer) throws(TokenValidationError) -> TokenIdentity {
        let answer: ValidationAnswer
        do {
            answer = try JSONDecoder().decode(ValidationAnswer.self, from: Data(body.readableBytesView))
        } catch {
            throw TokenValidationError(.unavailable, "Keystone's validation answer is not a token")
        }
        let token = answer.token
        let expiresAt: BillingTime
        do {
            expiresAt = try BillingTime(parsing: token.expiresAt, field: "token.expires_at")
        } catch {
            throw TokenValidationError(.unavailable, "Keystone's token.expires_at is not a timestamp")
        }
        guard expiresAt.date > self.now() else {
            throw TokenValidationError(.invalid, "the token expired at \(expiresAt.iso8601)")
        }
        return TokenIdentity(
            userID: token.user.id,
            userDomainID: token.user.domain?.id,
            projectID: token.project?.id,
            projectDomainID: token.project?.domain?.id,
            domainID: token.domain?.id,
            systemScope: token.system?.all == true ? "all" : nil,
            roles: (token.roles ?? []).map(\.name),
            expiresAt: expiresAt
        )
    }

    /// A short, stable tag of a token for the log (FNV-1a, 32 bits): it tells two failures of the same token
    /// apart from others without showing the token.
    static func fingerprint(_ token: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in token.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

/// The part of Keystone's `GET /v3/auth/tokens` answer that Bilean reads.
private struct ValidationAnswer: Decodable {
    struct Reference: Decodable {
        var id: String
        var domain: DomainReference?
    }

    struct DomainReference: Decodable {
        var id: String?
    }

    struct Role: Decodable {
        var name: String
    }

    struct System: Decodable {
        var all: Bool?
    }

    struct Token: Decodable {
        var expiresAt: String
        var user: Reference
        var project: Reference?
        var domain: DomainReference?
        var system: System?
        var roles: [Role]?

        enum CodingKeys: String, CodingKey {
            case expiresAt = "expires_at"
            case user
            case project
            case domain
            case system
            case roles
        }
    }

    var token: Token
}
