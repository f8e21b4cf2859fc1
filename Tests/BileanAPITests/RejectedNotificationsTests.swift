import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `/v1/rejected-notifications`: what the listener set aside, for the admin only.
@Suite("Rejected notifications API")
struct RejectedNotificationsTests {
    static func seed(_ engine: Engine) async throws {
        let rejections = ["invalid_json", "missing_trait", "invalid_json"].enumerated().map { index, code in
            RejectedNotification(
                id: "rej-\(index)",
                receivedAt: APITestHarness.t0.adding(seconds: Int64(index)),
                messageID: index == 0 ? nil : "msg-\(index)",
                eventType: index == 0 ? nil : "compute.instance.create.end",
                publisherID: nil,
                code: code,
                reason: "reason \(index)",
                exchange: "nova",
                routingKey: "notifications.info",
                bodySize: 10 + index,
                bodyExcerpt: "body \(index)"
            )
        }
        _ = try await engine.ingest(NotificationBatch(rejections: rejections))
    }

    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func theAdminListsFiltersAndShows(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await Self.seed(context.engine)
            let api = context.api
            let all = try await api.list("\(prefix)/rejected-notifications", "rejected_notifications")
            #expect(all.map { $0.text("id") } == ["rej-0", "rej-1", "rej-2"])
            let newest = try await api.list(
                "\(prefix)/rejected-notifications?sort_dir=desc&limit=2",
                "rejected_notifications"
            )
            #expect(newest.map { $0.text("id") } == ["rej-2", "rej-1"])
            let json = try await api.list(
                "\(prefix)/rejected-notifications?code=invalid_json",
                "rejected_notifications"
            )
            #expect(json.map { $0.text("id") } == ["rej-0", "rej-2"])
            let one = try await api.object("\(prefix)/rejected-notifications/rej-1", "rejected_notification")
            #expect(one.text("code") == "missing_trait")
            #expect(one.text("message_id") == "msg-1")
            #expect(one.text("exchange") == "nova")
            #expect(one.text("routing_key") == "notifications.info")
            #expect(one.text("body_excerpt") == "body 1")
            #expect(one["body_size"] == .number("11"))
            #expect(one.text("received_at") == APITestHarness.time(1))
            #expect(one["publisher_id"] == .null)
            // Paging by event type sees every row once, the one without an event type included.
            var seen: [String] = []
            var marker = ""
            for _ in 0..<5 {
                let page = try await api.list(
                    "\(prefix)/rejected-notifications?sort_keys=event_type&limit=1\(marker)",
                    "rejected_notifications"
                )
                guard let id = page.first?.text("id") else { break }
                seen.append(id)
                marker = "&marker=\(id)"
            }
            #expect(seen.sorted() == ["rej-0", "rej-1", "rej-2"])
            expectOpenStackError(try await api.get("\(prefix)/rejected-notifications/nope"), .notFound)
            expectOpenStackError(try await api.get("\(prefix)/rejected-notifications?sort_keys=reason"), .badRequest)
            expectOpenStackError(try await api.get("\(prefix)/rejected-notifications?user_id=p1"), .badRequest)
        }
    }

    @Test(arguments: TestDatabase.available)
    func projectsMayNotSeeThem(_ database: TestDatabase) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await Self.seed(context.engine)
            let api = context.api
            for caller in [Caller.member("p1"), .reader("p1")] {
                expectOpenStackError(try await api.get("/v1/rejected-notifications", as: caller), .forbidden)
                expectOpenStackError(try await api.get("/v1/rejected-notifications/rej-0", as: caller), .forbidden)
            }
        }
    }
}
