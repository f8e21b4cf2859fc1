import BileanCore
import BileanEngine
import BileanTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import BileanAPI

/// Defects a review found after the first version of the API, each reproduced here as it was found.
@Suite("Review regressions")
struct ReviewRegressionTests {
    /// A member may not use another project's ids as markers: a foreign id is "not an id of this list", exactly
    /// like an unknown one, so that it cannot tell whether the id exists (nor where it sorts).
    @Test(arguments: TestDatabase.available)
    func aMarkerFromAnotherProjectIsLikeAnUnknownOne(_ database: TestDatabase) async throws {
        try await APITestHarness.withAPI(database) { context in
            let api = context.api
            for project in ["p1", "p2"] {
                let response = try await api.post("/v1/users/\(project)/action", #"{"recharge": {"value": 5}}"#)
                #expect(response.status == .ok)
            }
            let foreign = try #require(try await api.ids("/v1/events?user_id=p2", "events").first)
            let own = try #require(try await api.ids("/v1/events?user_id=p1", "events").first)
            let member = Caller.member("p1")
            for list in ["events", "consumptions", "resources"] {
                let probed = try await api.get("/v1/\(list)?marker=\(foreign)", as: member)
                let unknown = try await api.get("/v1/\(list)?marker=no-such-id", as: member)
                let probedError = expectOpenStackError(probed, .badRequest)
                let unknownError = expectOpenStackError(unknown, .badRequest)
                #expect(
                    probedError.message.replacingOccurrences(of: foreign, with: "X")
                        == unknownError.message.replacingOccurrences(of: "no-such-id", with: "X")
                )
            }
            // The member's own marker still pages.
            #expect(try await api.get("/v1/events?marker=\(own)", as: member).status == .ok)
            // Admin listing one project is scoped the same way.
            expectOpenStackError(try await api.get("/v1/events?user_id=p1&marker=\(foreign)"), .badRequest)
        }
    }

    /// Only a request with neither noauth header is the admin: present but empty headers grant nothing.
    @Test(arguments: [
        Caller.headers(project: nil, roles: ""), Caller.headers(project: nil, roles: ","),
        Caller.headers(project: nil, roles: "member"),
    ])
    func emptyOrProjectlessHeadersAreNotAdmin(_ caller: Caller) async throws {
        try await APITestHarness.withAPI { context in
            expectOpenStackError(try await context.api.get("/v1/users", as: caller), .forbidden)
            expectOpenStackError(try await context.api.get("/v1/rules", as: caller), .forbidden)
        }
    }

    /// A NUL in a path id once recharged (and overwrote) the account whose id is the part before it.
    @Test(arguments: [
        "/v1/users/p2%00zzz/action", "/v1/users/%20/action", "/v1/users/p2%0A/action", "/v1/users/p2%1B%5B31m/action",
    ])
    func idsWithControlCharactersOrBlankAreRefused(_ path: String) async throws {
        try await APITestHarness.withAPI { context in
            let api = context.api
            #expect(try await api.post("/v1/users/p2/action", #"{"recharge": {"value": 5}}"#).status == .ok)
            expectOpenStackError(try await api.post(path, #"{"recharge": {"value": 1}}"#), .badRequest)
            #expect(try await api.object("/v1/users/p2", "user").text("balance") == "5")
            #expect(try await api.ids("/v1/users", "users") == ["p2"])
        }
    }

    @Test(arguments: [
        (#"{"rule": {"name": "nova\nrule", "spec": {}}}"#, "/v1/rules"),
        (#"{"policy": {"name": "a\u0000b"}}"#, "/v1/policies"),
        (#"{"policy": {"name": "   "}}"#, "/v1/policies"),
        (#"{"policy": {"name": "p", "rules": ["r\u0007"]}}"#, "/v1/policies"),
    ])
    func namesAndIdsInBodiesWithControlCharactersAreRefused(_ body: String, _ path: String) async throws {
        try await APITestHarness.withAPI { context in
            expectOpenStackError(try await context.api.post(path, body), .badRequest, type: "InvalidInput")
        }
    }

    @Test(arguments: ["user_id=p%00", "marker=a%01b"])
    func queryIdsWithControlCharactersAreRefused(_ query: String) async throws {
        try await APITestHarness.withAPI { context in
            expectOpenStackError(try await context.api.get("/v1/events?\(query)"), .badRequest)
        }
    }

    /// An amount with more than 12 decimal places would be rounded: it is refused, and the bound is checked on
    /// the amount as sent.
    @Test(arguments: ["0.0000000000015", "100000000.0000000000001", "\"1.1234567890123\""])
    func rechargesThatWouldBeRoundedAreRefused(_ value: String) async throws {
        try await APITestHarness.withAPI { context in
            let api = context.api
            #expect(try await api.post("/v1/users/p1/action", #"{"recharge": {"value": 1}}"#).status == .ok)
            let error = expectOpenStackError(
                try await api.post("/v1/users/p1/action", #"{"recharge": {"value": \#(value)}}"#),
                .badRequest
            )
            #expect(error.message.contains("recharge.value"))
            #expect(try await api.object("/v1/users/p1", "user").text("balance") == "1")
        }
    }

    @Test func twelveDecimalPlacesAndTrailingZerosAreFine() async throws {
        try await APITestHarness.withAPI { context in
            let api = context.api
            let response = try await api.post("/v1/users/p1/action", #"{"recharge": {"value": 0.123456789012000}}"#)
            #expect(response.status == .ok)
            #expect(try await api.object("/v1/users/p1", "user").text("balance") == "0.123456789012")
        }
    }
}
