import BileanCore
import Foundation
import Testing

@testable import BileanOpenStack

/// The token cache's decisions, with a hand-moved clock.
@Suite("Token cache")
struct TokenCacheTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func identity(expiresIn seconds: TimeInterval) -> TokenIdentity {
        TokenIdentity(
            userID: "u",
            projectID: "p",
            roles: ["member"],
            expiresAt: BillingTime(date: Self.t0.addingTimeInterval(seconds))
        )
    }

    @Test func aValidTokenIsKeptUntilTheCacheTimeOrItsExpiry() {
        var cache = TokenCache(capacity: 10, cacheTime: 300, invalidCacheTime: 10)
        #expect(cache.lookup("a", now: Self.t0) == .validate)
        // A second lookup while the first is under way waits for it.
        #expect(cache.lookup("a", now: Self.t0) == .wait)
        let long = Self.identity(expiresIn: 3600)
        cache.completed("a", result: .success(long), now: Self.t0)
        #expect(cache.lookup("a", now: Self.t0.addingTimeInterval(299)) == .answer(.success(long)))
        #expect(cache.lookup("a", now: Self.t0.addingTimeInterval(300)) == .validate)

        // A token that expires before the cache time is kept only until it expires.
        #expect(cache.lookup("b", now: Self.t0) == .validate)
        let short = Self.identity(expiresIn: 60)
        cache.completed("b", result: .success(short), now: Self.t0)
        #expect(cache.lookup("b", now: Self.t0.addingTimeInterval(59)) == .answer(.success(short)))
        #expect(cache.lookup("b", now: Self.t0.addingTimeInterval(60)) == .validate)
    }

    @Test func anInvalidTokenIsRefusedForTenSecondsAndAnOutageIsNotRemembered() {
        var cache = TokenCache(capacity: 10, cacheTime: 300, invalidCacheTime: 10)
        let invalid = TokenValidationError(.invalid, "404")
        #expect(cache.lookup("bad", now: Self.t0) == .validate)
        cache.completed("bad", result: .failure(invalid), now: Self.t0)
        #expect(cache.lookup("bad", now: Self.t0.addingTimeInterval(9.9)) == .answer(.failure(invalid)))
        #expect(cache.lookup("bad", now: Self.t0.addingTimeInterval(10)) == .validate)

        let down = TokenValidationError(.unavailable, "503")
        cache.completed("bad", result: .failure(down), now: Self.t0.addingTimeInterval(10))
        #expect(cache.lookup("bad", now: Self.t0.addingTimeInterval(10)) == .validate)
    }

    @Test func theLeastRecentlyUsedTokenGoesFirst() {
        var cache = TokenCache(capacity: 3, cacheTime: 300, invalidCacheTime: 10)
        let identity = Self.identity(expiresIn: 3600)
        for token in ["a", "b", "c"] {
            #expect(cache.lookup(token, now: Self.t0) == .validate)
            cache.completed(token, result: .success(identity), now: Self.t0)
        }
        // "a" is used again, so "b" is now the least recently used.
        #expect(cache.lookup("a", now: Self.t0) == .answer(.success(identity)))
        #expect(cache.lookup("d", now: Self.t0) == .validate)
        cache.completed("d", result: .success(identity), now: Self.t0)
        #expect(cache.count == 3)
        #expect(cache.lookup("a", now: Self.t0) == .answer(.success(identity)))
        #expect(cache.lookup("c", now: Self.t0) == .answer(.success(identity)))
        #expect(cache.lookup("d", now: Self.t0) == .answer(.success(identity)))
        #expect(cache.lookup("b", now: Self.t0) == .validate)
    }

    @Test func theLRUStaysConsistentUnderRandomUse() {
        var lru = LRUCache<Int, Int>(capacity: 50)
        var model: [Int] = []  // most recent last
        var values: [Int: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        for step in 0..<20_000 {
            let key = Int.random(in: 0..<120, using: &generator)
            if Bool.random(using: &generator) {
                lru.set(step, for: key)
                values[key] = step
                model.removeAll { $0 == key }
                model.append(key)
                if model.count > 50 { values.removeValue(forKey: model.removeFirst()) }
            } else {
                let got = lru.value(for: key)
                #expect(got == values[key])
                if got != nil {
                    model.removeAll { $0 == key }
                    model.append(key)
                }
            }
            #expect(lru.count == model.count)
        }
    }
}
