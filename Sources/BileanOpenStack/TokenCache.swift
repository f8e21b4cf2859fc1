package import BileanCore
package import Foundation

/// The validation cache of ``KeystoneTokenValidator``, a pure state machine: what to do for a token now, and what
/// to remember once Keystone answered. No I/O, no clock of its own.
///
/// A valid token is kept until `min(its expiry, now + cacheTime)`; an invalid one for `invalidCacheTime`, so that
/// one bad token cannot flood Keystone. At most `capacity` tokens are kept (least recently used go first).
/// Validations of one token that overlap share a single request to Keystone.
package struct TokenCache: Sendable {
    /// What the validator must do for a token.
    package enum LookupAction: Sendable, Equatable {
        /// The cache knows the token: answer with this.
        case answer(Result<TokenIdentity, TokenValidationError>)
        /// Another validation of the same token is under way: wait for it.
        case wait
        /// Ask Keystone (the caller is now the one validation under way for the token; report with
        /// ``completed(_:result:now:)``).
        case validate
    }

    private struct Entry: Sendable {
        var result: Result<TokenIdentity, TokenValidationError>
        var until: Date
    }

    /// How long a valid token is trusted without asking Keystone again.
    package let cacheTime: TimeInterval
    /// How long an invalid token is refused without asking Keystone again.
    package let invalidCacheTime: TimeInterval
    private var entries: LRUCache<String, Entry>
    private var inFlight: Set<String> = []

    /// Creates an empty cache.
    /// - Parameters:
    ///   - capacity: The most tokens kept.
    ///   - cacheTime: `[keystone_authtoken] token_cache_time`.
    ///   - invalidCacheTime: How long an invalid token is refused from the cache.
    package init(capacity: Int = 10_000, cacheTime: TimeInterval = 300, invalidCacheTime: TimeInterval = 10) {
        self.entries = LRUCache(capacity: capacity)
        self.cacheTime = cacheTime
        self.invalidCacheTime = invalidCacheTime
    }

    /// How many tokens are kept.
    package var count: Int { self.entries.count }

    /// What to do for a token.
    /// - Parameters:
    ///   - token: The token.
    ///   - now: The current time.
    /// - Returns: The action.
    package mutating func lookup(_ token: String, now: Date) -> LookupAction {
        if let entry = self.entries.value(for: token) {
            if entry.until > now { return .answer(entry.result) }
            self.entries.removeValue(for: token)
        }
        if self.inFlight.contains(token) { return .wait }
        self.inFlight.insert(token)
        return .validate
    }

    /// Records Keystone's answer for a token whose validation ``lookup(_:now:)`` handed out.
    /// - Parameters:
    ///   - token: The token.
    ///   - result: The identity, or why there is none. An unavailable Keystone is not remembered.
    ///   - now: The current time.
    package mutating func completed(
        _ token: String,
        result: Result<TokenIdentity, TokenValidationError>,
        now: Date
    ) {
        self.inFlight.remove(token)
        switch result {
        case .success(let identity):
            let until = min(identity.expiresAt.date, now.addingTimeInterval(self.cacheTime))
            if until > now { self.entries.set(Entry(result: result, until: until), for: token) }
        case .failure(let error):
            guard error.code == .invalid else { return }
            self.entries.set(Entry(result: result, until: now.addingTimeInterval(self.invalidCacheTime)), for: token)
        }
    }
}
