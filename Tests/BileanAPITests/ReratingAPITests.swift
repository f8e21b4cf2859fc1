import BileanAPIModels
import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `POST /v1/rerating/preview` and `POST /v1/rerating/apply`: the bodies' shape is checked before the engine is
/// asked, only the admin may re-rate, and a preview then an apply (twice) over a real engine gives exact
/// differences, recorded once as `rerate` consumptions that carry the reason and the preview id.
@Suite("Rerating API")
struct ReratingAPITests {
    typealias BadBody = RequestBodyTests.BadBody

    /// The window of the tests: the first hour after t0.
    static let start = APITestHarness.time(0)
    static let end = APITestHarness.time(3600)

    /// The Nova draft at twice the harness's price: m1.small 7.2/h (0.002/s).
    static let doubledNova = #"""
        {"type": "os.nova.server", "version": "1.0",
         "properties": {"unit": "per_hour", "price_mapping": [{"flavor": "m1.small", "price": "7.2"}]}}
        """#

    /// A preview body over the window, with `rules` and `userIDs` as given (JSON text) and `extra` members.
    static func previewBody(
        rules: String = "[{\"spec\": \(doubledNova)}]",
        userIDs: String = #"["proj-a"]"#,
        extra: String = ""
    ) -> String {
        #"{"preview": {"start_time": "\#(start)", "end_time": "\#(end)", "user_ids": \#(userIDs), "rules": \#(rules)\#(extra)}}"#
    }

    static let badPreviews: [BadBody] = [
        BadBody(previewBody(rules: "[]"), names: "preview.rules"),
        BadBody(previewBody(rules: "null"), names: "preview.rules"),
        BadBody(previewBody(rules: #""nova""#), names: "preview.rules"),
        BadBody(previewBody(rules: "{}"), names: "preview.rules"),
        BadBody(
            previewBody(
                rules: "[" + Array(repeating: "{\"spec\": \(doubledNova)}", count: 21).joined(separator: ",") + "]"
            ),
            names: "preview.rules"
        ),
        BadBody(#"{"preview": {"start_time": "\#(start)", "end_time": "\#(end)"}}"#, names: "preview.rules"),
        BadBody(previewBody(rules: "[{}]"), names: "preview.rules[0].spec"),
        BadBody(previewBody(rules: #"[{"spec": null}]"#), names: "preview.rules[0].spec"),
        BadBody(previewBody(rules: #"[{"spec": "os.nova.server"}]"#), names: "preview.rules[0].spec"),
        BadBody(previewBody(rules: "[{\"spec\": \(doubledNova), \"name\": \"x\"}]"), names: "preview.rules[0].name"),
        BadBody(previewBody(rules: "[{\"spec\": \(doubledNova), \"id\": 5}]"), names: "preview.rules[0].id"),
        BadBody(previewBody(rules: "[{\"spec\": \(doubledNova), \"id\": \"\"}]"), names: "preview.rules[0].id"),
        BadBody(previewBody(rules: "[5]"), names: "preview.rules[0]"),
        BadBody(previewBody(extra: #", "dry_run": true"#), names: "preview.dry_run"),
        BadBody(previewBody(userIDs: #""proj-a""#), names: "preview.user_ids"),
        BadBody(previewBody(userIDs: #"[""]"#), names: "preview.user_ids[0]"),
        BadBody(previewBody(userIDs: "[5]"), names: "preview.user_ids[0]"),
        BadBody(
            previewBody(userIDs: "[" + (0...1000).map { "\"p\($0)\"" }.joined(separator: ",") + "]"),
            names: "preview.user_ids"
        ),
        BadBody(previewBody(extra: #", "user_ids": ["proj-b"]"#), names: "user_ids"),
        BadBody(previewBody(extra: #", "policy_id": 5"#), names: "preview.policy_id"),
        BadBody(previewBody(extra: #", "policy_id": "a\u0007b""#), names: "preview.policy_id"),
        BadBody(
            #"{"preview": {"end_time": "\#(end)", "rules": [{"spec": \#(doubledNova)}]}}"#,
            names: "preview.start_time"
        ),
        BadBody(
            #"{"preview": {"start_time": "yesterday", "end_time": "\#(end)", "rules": [{"spec": \#(doubledNova)}]}}"#,
            names: "preview.start_time"
        ),
        BadBody(
            #"{"preview": {"start_time": 1700000000, "end_time": "\#(end)", "rules": [{"spec": \#(doubledNova)}]}}"#,
            names: "preview.start_time"
        ),
        BadBody(
            #"{"preview": {"start_time": "\#(start)", "end_time": "2023-13-01T00:00:00Z", "rules": [{"spec": \#(doubledNova)}]}}"#,
            names: "preview.end_time"
        ),
        BadBody(
            #"{"preview": {"start_time": "\#(start)", "end_time": null, "rules": [{"spec": \#(doubledNova)}]}}"#,
            names: "preview.end_time"
        ),
        BadBody("{}", names: "preview"),
        BadBody(#"{"preview": []}"#, names: "preview"),
        BadBody(#"{"preview": null}"#, names: "preview"),
        BadBody(#"{"preview": {"start_time": "\#(start)"}, "apply": {}}"#, names: "apply"),
        BadBody("[]", names: "array"),
        BadBody("", names: "body"),
    ]

    static let badApplies: [BadBody] = [
        BadBody("{}", names: "apply"),
        BadBody(#"{"apply": "p"}"#, names: "apply"),
        BadBody(#"{"apply": {"preview_id": "p"}}"#, names: "apply.reason"),
        BadBody(#"{"apply": {"preview_id": "p", "reason": null}}"#, names: "apply.reason"),
        BadBody(#"{"apply": {"preview_id": "p", "reason": ""}}"#, names: "apply.reason"),
        BadBody(#"{"apply": {"preview_id": "p", "reason": "   "}}"#, names: "apply.reason"),
        BadBody(#"{"apply": {"preview_id": "p", "reason": "two\nlines"}}"#, names: "apply.reason"),
        BadBody(#"{"apply": {"preview_id": "p", "reason": "bell\u0007"}}"#, names: "apply.reason"),
        BadBody(
            #"{"apply": {"preview_id": "p", "reason": "\#(String(repeating: "é", count: 256))"}}"#,
            names: "apply.reason"
        ),
        BadBody(#"{"apply": {"preview_id": "p", "reason": 5}}"#, names: "apply.reason"),
        BadBody(#"{"apply": {"reason": "fix"}}"#, names: "apply.preview_id"),
        BadBody(#"{"apply": {"preview_id": "", "reason": "fix"}}"#, names: "apply.preview_id"),
        BadBody(#"{"apply": {"preview_id": ["p"], "reason": "fix"}}"#, names: "apply.preview_id"),
        BadBody(#"{"apply": {"preview_id": "p", "reason": "fix", "force": true}}"#, names: "apply.force"),
        BadBody(#"{"apply": {"preview_id": "p", "reason": "fix"}, "preview": {}}"#, names: "preview"),
    ]

    /// The engine fails every call: a 400 proves the body was refused before it was asked.
    @Test(arguments: badPreviews)
    func aBadPreviewIsA400BeforeTheEngineIsAsked(_ bad: BadBody) async throws {
        try await APITestHarness.withAPI(engine: FailingEngine(error: Boom())) { api in
            let error = expectOpenStackError(
                try await api.post("/v1/rerating/preview", bad.body),
                .badRequest,
                type: "InvalidInput"
            )
            if let names = bad.names {
                #expect(error.message.contains(names), "message: \(error.message)")
            }
        }
    }

    @Test(arguments: badApplies)
    func aBadApplyIsA400BeforeTheEngineIsAsked(_ bad: BadBody) async throws {
        try await APITestHarness.withAPI(engine: FailingEngine(error: Boom())) { api in
            let error = expectOpenStackError(
                try await api.post("/v1/rerating/apply", bad.body),
                .badRequest,
                type: "InvalidInput"
            )
            if let names = bad.names {
                #expect(error.message.contains(names), "message: \(error.message)")
            }
        }
    }

    /// The longest reason is 255 characters (not bytes); the engine is asked.
    @Test func aReasonOf255CharactersIsAccepted() throws {
        let reason = String(repeating: "é", count: Rerating.maximumReasonLength)
        let body = try JSONValue(jsonText: #"{"apply": {"preview_id": "p", "reason": "\#(reason)"}}"#)
        let parsed = try ReratingApplyRequestBody(body: body)
        #expect(parsed.previewID == "p" && parsed.reason == reason)
    }

    @Test func aPreviewBodyIsReadExactly() throws {
        let body = try JSONValue(
            jsonText: #"""
                {"preview": {"start_time": "2023-11-14 22:13:20", "end_time": "2023-11-14T23:13:20.5+01:00",
                  "user_ids": ["proj-a", "proj-b"], "policy_id": "pol", "rules": [
                    {"id": "rule-1", "spec": {"type": "os.nova.server", "version": 1.0, "properties": {}}},
                    {"id": null, "spec": {"type": "os.cinder.volume", "version": "1.0", "properties": {}}}]}}
                """#
        )
        let request = try ReratingPreviewRequestBody(body: body).request
        #expect(request.startTime == APITestHarness.t0)
        #expect(request.endTime == APITestHarness.t0.adding(microseconds: 500_000))
        #expect(request.userIDs == ["proj-a", "proj-b"])
        #expect(request.policyID == "pol")
        #expect(request.rules.map(\.ruleID) == ["rule-1", nil])
        #expect(request.rules.first?.spec["version"] == .number("1"))
        // Optional members may be absent or null.
        let minimal = try ReratingPreviewRequestBody(
            body: try JSONValue(
                jsonText:
                    #"{"preview": {"start_time": "\#(Self.start)", "end_time": "\#(Self.end)", "user_ids": null, "policy_id": null, "rules": [{"spec": {}}]}}"#
            )
        ).request
        #expect(
            minimal.userIDs == nil && minimal.policyID == nil && minimal.rules == [ReratingDraft(spec: .object([:]))]
        )
    }

    static let nonAdmins: [Caller] = [.member("proj-a"), .reader("proj-a"), .headers(project: "proj-a", roles: nil)]

    /// Admin only, decided before the body is read: even a bad body is a 403.
    @Test(arguments: nonAdmins)
    func onlyTheAdminMayRerate(_ caller: Caller) async throws {
        try await APITestHarness.withAPI(engine: FailingEngine(error: Boom())) { api in
            for prefix in APITestHarness.prefixes {
                for (path, body) in [
                    ("/rerating/preview", Self.previewBody()), ("/rerating/preview", "{}"),
                    ("/rerating/apply", #"{"apply": {"preview_id": "p", "reason": "fix"}}"#),
                    ("/rerating/apply", "{}"),
                ] {
                    let response = try await api.send(.post, prefix + path, as: caller, body: body)
                    expectOpenStackError(response, .forbidden, type: "Forbidden")
                }
            }
            // The admin's request reaches the engine (which fails here).
            let response = try await api.post("/v1/rerating/preview", Self.previewBody())
            expectOpenStackError(response, .internalServerError)
        }
    }

    @Test func onlyPOSTIsAllowed() async throws {
        try await APITestHarness.withAPI(engine: FailingEngine(error: Boom())) { api in
            for path in ["/v1/rerating/preview", "/rerating/apply"] {
                let response = try await api.get(path)
                expectOpenStackError(response, .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    /// proj-a has vm-1 (m1.small, 3.6/h) from t0, still running at t0 + 7200 s; proj-b has vm-b from t0 too.
    static func seed(_ context: APITestContext) async throws -> Rule {
        let (_, nova, _) = try await APITestHarness.seedPricing(context.engine)
        try await APITestHarness.fund(context.engine, "proj-a", "100")
        try await APITestHarness.fund(context.engine, "proj-b", "100")
        context.clock.set(APITestHarness.t0.adding(seconds: 7200))
        _ = try await context.engine.apply([
            APITestHarness.server("a1", .create, "vm-1", user: "proj-a", at: 0),
            APITestHarness.server("b1", .create, "vm-b", user: "proj-b", at: 0),
        ])
        return nova
    }

    /// The members a schema of the OpenAPI document requires (all of its properties in these bodies).
    static func documented(_ schema: String) throws -> Set<String> {
        let document = try OpenAPIDocumentTests.document()
        let object = try #require(document["components"]?["schemas"]?[schema], "no schema \(schema)")
        let required = Set((object["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        #expect(Set(try #require(object["properties"]?.objectValue).keys) == required, "\(schema)")
        return required
    }

    /// A preview of the first hour at twice the price: the difference is what was billed. Applied, it records
    /// that difference once as a `rerate` consumption with the reason and the preview id; applied again, it
    /// answers the first apply and changes nothing.
    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func previewThenApplyTwice(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            let nova = try await Self.seed(context)
            let api = context.api
            let balance = try await api.object("\(prefix)/users/proj-a", "user").text("balance")
            #expect(balance == "92.8")

            let previewBody = Self.previewBody(rules: "[{\"id\": \"\(nova.id)\", \"spec\": \(Self.doubledNova)}]")
            let previewResponse = try await api.post("\(prefix)/rerating/preview", previewBody)
            let preview = try #require(try expectSuccess(previewResponse)["preview"], "\(previewResponse.text)")
            let id = try #require(preview.text("id"))
            #expect(!id.isEmpty)
            #expect(Set(try #require(preview.objectValue).keys) == (try Self.documented("ReratingPreview")))
            #expect(preview.text("start_time") == Self.start && preview.text("end_time") == Self.end)
            #expect(preview["user_ids"] == .array([.string("proj-a")]))
            #expect(preview["policy_id"] == .null)
            let rules = try #require(preview["rules"]?.arrayValue)
            #expect(rules.count == 1 && rules.first?.text("id") == nova.id)
            #expect(rules.first?["spec"]?.text("type") == "os.nova.server")
            #expect(preview.text("created_at") == APITestHarness.time(7200))
            // 3600 s at 0.001/s billed; 0.002/s in the draft.
            #expect(preview.text("current") == "3.6")
            #expect(preview.text("draft") == "7.2")
            #expect(preview.text("difference") == "3.6")
            #expect(preview.text("difference") == preview.text("current"))
            let lines = try #require(preview["lines"]?.arrayValue)
            #expect(lines.count == 1)
            let line = try #require(lines.first)
            #expect(Set(try #require(line.objectValue).keys) == (try Self.documented("ReratingLine")))
            #expect(line.text("user_id") == "proj-a" && line.text("resource_type") == "os.nova.server")
            #expect(line["resources"] == .number("1"))
            #expect(line.text("current") == "3.6" && line.text("draft") == "7.2" && line.text("difference") == "3.6")
            // Nothing billed.
            #expect(try await api.object("\(prefix)/users/proj-a", "user").text("balance") == balance)
            #expect(try await api.list("\(prefix)/consumptions?user_id=proj-a", "consumptions").isEmpty)

            context.clock.advance(seconds: 60)
            let reason = "November price fix (ticket 4711)"
            let applyBody = #"{"apply": {"preview_id": "\#(id)", "reason": "\#(reason)"}}"#
            let applyResponse = try await api.post("\(prefix)/rerating/apply", applyBody)
            let rerating = try #require(try expectSuccess(applyResponse)["rerating"], "\(applyResponse.text)")
            #expect(Set(try #require(rerating.objectValue).keys) == (try Self.documented("Rerating")))
            #expect(rerating.text("id") == id && rerating.text("reason") == reason)
            #expect(rerating.text("previewed_at") == APITestHarness.time(7200))
            #expect(rerating.text("applied_at") == APITestHarness.time(7260))
            #expect(rerating.text("start_time") == Self.start && rerating.text("end_time") == Self.end)
            #expect(rerating["user_ids"] == preview["user_ids"] && rerating["policy_id"] == .null)
            #expect(rerating["rules"] == preview["rules"])
            #expect(rerating.text("current") == "3.6" && rerating.text("draft") == "7.2")
            #expect(rerating.text("difference") == "3.6")
            #expect(rerating["lines"] == preview["lines"])
            let count = try #require(rerating["consumptions"]?.numberText.flatMap { Int($0) })
            #expect(count >= 1)

            // Recorded: rerate consumptions adding up to the difference, with the reason and the preview id.
            let consumptions = try await api.list("\(prefix)/consumptions?user_id=proj-a", "consumptions")
            let rerated = consumptions.filter { $0["metadata"]?.text("cause") == "rerate" }
            #expect(!rerated.isEmpty && rerated.count <= count)
            // The others (an open interval settled at the window's end first) have the body of before.
            let others = consumptions.filter { $0["metadata"]?.text("cause") != "rerate" }
            #expect(others.allSatisfy { $0["metadata"]?.objectValue?.keys.sorted() == ["cause"] })
            #expect(consumptions.count == count)
            #expect(rerated.allSatisfy { $0["metadata"]?.text("reason") == reason })
            #expect(rerated.allSatisfy { $0["metadata"]?.text("rerating_id") == id })
            #expect(rerated.allSatisfy { $0.text("resource_id") == "vm-1" })
            let total = try rerated.reduce(Money.zero) { $0 + (try Money(parsing: $1.text("cost") ?? "")) }
            #expect(total.description == "3.6")
            // The balance pays the difference: 100 − 7260 s of the live price − 3.6.
            #expect(try await api.object("\(prefix)/users/proj-a", "user").text("balance") == "89.14")
            // proj-b was not in the request.
            #expect(try await api.list("\(prefix)/consumptions?user_id=proj-b", "consumptions").isEmpty)

            // Applied again (later): the first apply's answer, nothing recorded twice.
            context.clock.advance(seconds: 600)
            let again = try await api.post("\(prefix)/rerating/apply", applyBody)
            #expect(try expectSuccess(again)["rerating"] == rerating)
            #expect(again.text == applyResponse.text)
            #expect(
                try await api.list("\(prefix)/consumptions?user_id=proj-a", "consumptions").count == consumptions.count
            )
        }
    }

    @Test(arguments: TestDatabase.available)
    func theEngineJudgesWhatTheShapeCannotSay(_ database: TestDatabase) async throws {
        try await APITestHarness.withAPI(database) { context in
            _ = try await Self.seed(context)
            let api = context.api
            // An unknown preview.
            expectOpenStackError(
                try await api.post("/v1/rerating/apply", #"{"apply": {"preview_id": "nope", "reason": "fix"}}"#),
                .notFound,
                type: "NotFound"
            )
            // A window that ends in the future, or before it starts.
            for (start, end) in [(0, 7201), (3600, 0), (3600, 3600)] {
                let body = #"""
                    {"preview": {"start_time": "\#(APITestHarness.time(Int64(start)))",
                      "end_time": "\#(APITestHarness.time(Int64(end)))", "rules": [{"spec": \#(Self.doubledNova)}]}}
                    """#
                expectOpenStackError(
                    try await api.post("/v1/rerating/preview", body),
                    .badRequest,
                    type: "InvalidInput"
                )
            }
            // A spec its plugin refuses, two drafts of one type.
            for rules in [
                #"[{"spec": {"type": "os.nova.server", "version": "1.0", "properties": {"unit": "per_year"}}}]"#,
                "[{\"spec\": \(Self.doubledNova)}, {\"spec\": \(Self.doubledNova)}]",
            ] {
                expectOpenStackError(
                    try await api.post("/v1/rerating/preview", Self.previewBody(rules: rules)),
                    .badRequest,
                    type: "InvalidInput"
                )
            }
            // Nothing was billed by any of it.
            #expect(try await api.list("/v1/consumptions", "consumptions").isEmpty)
        }
    }

    /// A consumption's body is as before unless a re-rating recorded it.
    @Test func aConsumptionShowsItsReasonAndReratingOnlyWhenSet() throws {
        var consumption = Consumption(
            id: "c",
            userID: "u",
            resourceID: "r",
            resourceType: "os.nova.server",
            startTime: APITestHarness.t0,
            endTime: APITestHarness.t0.adding(seconds: 10),
            rate: Rate(unitsPerHour: 0),
            cost: .zero,
            cause: .deletion,
            createdAt: APITestHarness.t0
        )
        let plain = try consumption.apiBody.jsonText()
        #expect(plain.contains(#""metadata":{"cause":"deletion"}"#), "\(plain)")
        #expect(!plain.contains("reason") && !plain.contains("rerating_id"))
        consumption.cause = .rerate
        consumption.reason = "fix"
        consumption.reratingID = "p1"
        #expect(
            consumption.apiBody["metadata"]
                == .object(["cause": .string("rerate"), "reason": .string("fix"), "rerating_id": .string("p1")])
        )
        let document = try OpenAPIDocumentTests.document()
        let metadata = document["components"]?["schemas"]?["Consumption"]?["properties"]?["metadata"]
        let documented = Set(try #require(metadata?["properties"]?.objectValue).keys)
        #expect(documented == ["cause", "reason", "rerating_id", "estimated"])
    }
}
