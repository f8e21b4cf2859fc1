import BileanCore
import Foundation
import Testing

/// `bilean rerating-preview` and `rerating-apply` against a real `bilean-server` (all-in-one, SQLite): the wiring
/// and the errors on an empty cloud always, and a re-rating of a real server's billing when a broker is there.
@Suite("bilean re-rating commands against bilean-server")
struct ReratingCLITests {
    /// The draft: the Nova price list of ``CLITests/novaSpec`` with every price doubled.
    static let doubledNovaSpec = """
        type: os.nova.server
        version: 1.0
        properties:
          unit: per_hour
          price_mapping:
            - flavor: m1.small
              price: 3
            - flavor: m1.large
              price: 14
        """

    /// Whole hours: `now` minus `hours`, on the hour.
    static func hoursAgo(_ hours: Int64) -> BillingTime {
        let now = BillingTime(date: Date())
        let hour: Int64 = 3_600_000_000
        return BillingTime(microseconds: now.microseconds / hour * hour - hours * hour)
    }

    @Test func previewAndApplyOnAnEmptyCloud() async throws {
        try await CLITests.withServer { server, directory in
            let specPath = directory.appendingPathComponent("nova.yaml").path
            try CLITests.novaSpec.write(toFile: specPath, atomically: true, encoding: .utf8)
            let draftPath = directory.appendingPathComponent("nova-draft.yaml").path
            try Self.doubledNovaSpec.write(toFile: draftPath, atomically: true, encoding: .utf8)
            let rule = try CLITests.json(
                try await server.cli("rule-create", "nova", "--spec-file", specPath, "-f", "json")
            )
            let ruleID = try #require(rule["id"]?.stringValue)
            let policy = try CLITests.json(
                try await server.cli("policy-create", "standard", "--rule", ruleID, "-f", "json")
            )
            let policyID = try #require(policy["id"]?.stringValue)
            #expect(try await server.cli("user-recharge", "p1", "--value", "10").status == 0)
            let window = ["--start-time", Self.hoursAgo(48).iso8601, "--end-time", Self.hoursAgo(24).iso8601]

            let preview = try CLITests.json(
                try await server.cli(
                    ["rerating-preview"] + window
                        + [
                            "--rule", "\(ruleID)=\(draftPath)", "--user-id", "p1", "--policy-id", policyID, "-f",
                            "json",
                        ]
                )
            )
            let previewID = try #require(preview["id"]?.stringValue)
            #expect(preview["current"] == .string("0"))
            #expect(preview["draft"] == .string("0"))
            #expect(preview["difference"] == .string("0"))
            #expect(preview["lines"] == .array([]))
            #expect(preview["user_ids"] == .array([.string("p1")]))
            #expect(preview["policy_id"] == .string(policyID))
            #expect(preview["rules"]?.arrayValue?.first?["id"] == .string(ruleID))
            #expect(preview["rules"]?.arrayValue?.first?["spec"]?["type"] == .string("os.nova.server"))

            // The table: the totals, then the lines' header.
            let table = try await server.cli(["rerating-preview"] + window + ["--rule", draftPath])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("| difference "), "\(table.stdout)")
            #expect(table.stdout.contains("| user_id | resource_type | resources | current | draft | difference |"))

            let applied = try CLITests.json(
                try await server.cli("rerating-apply", previewID, "--reason", "price list 2027", "-f", "json")
            )
            #expect(applied["id"] == .string(previewID))
            #expect(applied["reason"] == .string("price list 2027"))
            #expect(applied["consumptions"] == .number("0"))
            #expect(applied["difference"] == .string("0"))
            #expect(applied["previewed_at"] == preview["created_at"])
            let appliedAt = try #require(applied["applied_at"])
            // Idempotent by preview id: the first apply again, whatever the reason given now.
            let again = try CLITests.json(
                try await server.cli("rerating-apply", previewID, "--reason", "once more", "-f", "json")
            )
            #expect(again["applied_at"] == appliedAt)
            #expect(again["reason"] == .string("price list 2027"))

            let unknown = try await server.cli("rerating-apply", "no-such-preview", "--reason", "x")
            #expect(unknown.status == 1)
            #expect(unknown.stderr.hasPrefix("ERROR: "), "\(unknown.stderr)")
            let future = try await server.cli(
                "rerating-preview",
                "--start-time",
                Self.hoursAgo(1).iso8601,
                "--end-time",
                Self.hoursAgo(-48).iso8601,
                "--rule",
                draftPath
            )
            #expect(future.status == 1)
            #expect(future.stderr.hasPrefix("ERROR: "), "\(future.stderr)")
            let member = try await server.cli(
                ["rerating-preview"] + window + ["--rule", draftPath],
                environment: ["OS_PROJECT_ID": "p1", "OS_ROLES": "member"]
            )
            #expect(member.status == 1)
            let missingFile = try await server.cli(
                ["rerating-preview"] + window + ["--rule", "\(directory.path)/none.yaml"]
            )
            #expect(missingFile.status == 1)
            #expect(missingFile.stderr.hasPrefix("ERROR: "), "\(missingFile.stderr)")
        }
    }

    @Test func aWrongCommandLineExitsWith64() async throws {
        let window = ["--start-time", "2026-11-01T00:00:00Z", "--end-time", "2026-11-02T00:00:00Z"]
        for arguments in [
            ["rerating-preview"] + window,  // no --rule
            [
                "rerating-preview", "--start-time", "yesterday", "--end-time", "2026-11-02T00:00:00Z", "--rule",
                "a.yaml",
            ],
            ["rerating-preview"] + window + ["--rule", "r1="],
            ["rerating-apply", "pv1"],  // no --reason
            ["rerating-apply", "pv1", "--reason", "  "],
        ] {
            let output = try await BileanProcesses.run(
                "bilean",
                arguments,
                environment: ["BILEAN_URL": "http://127.0.0.1:9"]
            )
            #expect(output.status == 64, "\(arguments): \(output.stderr)")
        }
    }

    /// A real m1.small server (1.5 / h), announced by Nova through RabbitMQ three days ago and still running,
    /// re-rated over one whole day at the doubled price: 24 h × (3 − 1.5) = 36 more.
    @Test(.enabled(if: NotificationPeer.isEnabled, "needs BILEAN_TEST_RABBITMQ_URL and BILEAN_TEST_PYTHON"))
    func aRunningServerIsReratedOverADay() async throws {
        typealias Flow = NotificationFlowTests
        try await Flow.withSetup { setup in
            let server = try await setup.start()
            do {
                try await Self.rerateARunningServer(setup, server)
            } catch {
                try await server.stop()
                throw error
            }
            #expect(try await server.stop() == 0)
        }
    }

    static func rerateARunningServer(_ setup: NotificationFlowTests.Setup, _ server: ServerProcess) async throws {
        typealias Flow = NotificationFlowTests
        let specPath = setup.directory.appendingPathComponent("nova.yaml").path
        try CLITests.novaSpec.write(toFile: specPath, atomically: true, encoding: .utf8)
        let draftPath = setup.directory.appendingPathComponent("nova-draft.yaml").path
        try Self.doubledNovaSpec.write(toFile: draftPath, atomically: true, encoding: .utf8)
        let rule = try Flow.json(try await server.cli("rule-create", "nova", "--spec-file", specPath, "-f", "json"))
        _ = try Flow.json(
            try await server.cli(
                "policy-create",
                "standard",
                "--rule",
                try #require(rule["id"]?.stringValue),
                "-f",
                "json"
            )
        )
        try await Flow.waitForListener(setup)
        let project = "\(setup.prefix)-p"
        _ = try Flow.json(try await server.cli("user-recharge", project, "--value", "1000", "-f", "json"))
        let instance = "\(setup.prefix)-vm"
        let launched = Self.hoursAgo(72)
        try await NotificationPeer.publish(
            [Flow.nova(setup, "create", instance, project, "m1.small", ["launched_at": Flow.format(launched)])],
            in: setup.directory
        )
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let rows = try Flow.json(try await server.cli("resource-list", "--user-id", project, "-f", "json"))
            if rows.arrayValue?.count == 1 { break }
            try await Task.sleep(for: .milliseconds(300))
        }

        let window = [
            "--start-time", launched.adding(seconds: 86_400).iso8601,
            "--end-time", launched.adding(seconds: 2 * 86_400).iso8601,
        ]
        let preview = try Flow.json(
            try await server.cli(["rerating-preview"] + window + ["--rule", draftPath, "-f", "json"])
        )
        #expect(preview["current"] == .string("36"), "\(preview)")
        #expect(preview["draft"] == .string("72"))
        #expect(preview["difference"] == .string("36"))
        #expect(
            preview["lines"]
                == .array([
                    .object([
                        "user_id": .string(project), "resource_type": .string("os.nova.server"),
                        "resources": .number("1"), "current": .string("36"), "draft": .string("72"),
                        "difference": .string("36"),
                    ])
                ])
        )
        let previewID = try #require(preview["id"]?.stringValue)

        let applied = try Flow.json(
            try await server.cli("rerating-apply", previewID, "--reason", "doubled prices", "-f", "json")
        )
        #expect(applied["difference"] == .string("36"))
        let recorded = try #require(applied["consumptions"]?.scalarText.flatMap { Int($0) })
        #expect(recorded >= 1)
        let consumptions = try Flow.json(
            try await server.cli("consumption-list", "--user-id", project, "-f", "json")
        )
        let rerates = (consumptions.arrayValue ?? []).filter { $0["metadata"]?["cause"] == .string("rerate") }
        #expect(!rerates.isEmpty, "\(consumptions)")
        var total = Money.zero
        for row in rerates {
            #expect(row["metadata"]?["reason"] == .string("doubled prices"))
            #expect(row["metadata"]?["rerating_id"] == .string(previewID))
            total += try Money(parsing: try #require(row["cost"]?.scalarText), field: "cost")
        }
        #expect(total == Money(integer: 36))

        // Applied once: the same apply again records nothing more.
        let again = try Flow.json(try await server.cli("rerating-apply", previewID, "--reason", "again", "-f", "json"))
        #expect(again["applied_at"] == applied["applied_at"])
        let after = try Flow.json(try await server.cli("consumption-list", "--user-id", project, "-f", "json"))
        #expect(after.arrayValue?.count == consumptions.arrayValue?.count)

        // A late event inside the window (a resize to m1.large at +36 h, announced only now) replays at the re-rated
        // prices: the window as billed becomes the draft's, 12 h × 3 + 12 h × 14 = 204, and the same draft changes
        // nothing more.
        let before = try Flow.json(try await server.cli("resource-list", "--user-id", project, "-f", "json"))
        let resized = launched.adding(seconds: 36 * 3600)
        try await NotificationPeer.publish(
            [Flow.nova(setup, "finish_resize", instance, project, "m1.large", ["launched_at": Flow.format(resized)])],
            in: setup.directory
        )
        let resizeDeadline = Date().addingTimeInterval(60)
        while Date() < resizeDeadline {
            let rows = try Flow.json(try await server.cli("resource-list", "--user-id", project, "-f", "json"))
            if rows.arrayValue?.first?["rate"] != before.arrayValue?.first?["rate"] { break }
            try await Task.sleep(for: .milliseconds(300))
        }
        let replayed = try Flow.json(
            try await server.cli(["rerating-preview"] + window + ["--rule", draftPath, "-f", "json"])
        )
        #expect(replayed["current"] == .string("204"), "\(replayed)")
        #expect(replayed["difference"] == .string("0"))
    }
}
