import BileanCore
import BileanTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real `bilean` CLI against a real `bilean-server` (all-in-one, SQLite) on a free port.
@Suite("bilean CLI against bilean-server")
struct CLITests {
    static let novaSpec = """
        # the original client's format: version 1.0 is a YAML float
        type: os.nova.server
        version: 1.0
        properties:
          unit: per_hour
          price_mapping:
            - flavor: m1.small
              price: 1.5
            - flavor: m1.large
              price: 7
        """

    /// Runs `body` with a fresh server; stops it afterwards and expects a clean exit.
    static func withServer(_ body: (ServerProcess, URL) async throws -> Void) async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(in: directory)
        do {
            try await body(server, directory)
        } catch {
            try await server.stop()
            throw error
        }
        #expect(try await server.stop() == 0)
    }

    /// The JSON a `-f json` command printed.
    static func json(_ output: BileanProcesses.Output) throws -> JSONValue {
        #expect(output.status == 0, "stderr: \(output.stderr)")
        return try JSONValue(jsonText: output.stdout)
    }

    @Test func theOperatorTour() async throws {
        try await Self.withServer { server, directory in
            let specPath = directory.appendingPathComponent("nova.yaml").path
            try Self.novaSpec.write(toFile: specPath, atomically: true, encoding: .utf8)

            let rule = try Self.json(try await server.cli("rule-create", "nova", "--spec-file", specPath, "-f", "json"))
            #expect(rule["type"] == .string("os.nova.server-1.0"))
            #expect(rule["name"] == .string("nova"))
            let ruleID = try #require(rule["id"]?.stringValue)

            let policy = try Self.json(
                try await server.cli("policy-create", "standard", "--rule", ruleID, "-f", "json")
            )
            #expect(policy["is_default"] == .bool(true))  // the first policy becomes the default
            let policyID = try #require(policy["id"]?.stringValue)

            let recharged = try Self.json(try await server.cli("user-recharge", "p1", "--value", "100.5", "-f", "json"))
            #expect(recharged["balance"] == .string("100.5"))
            #expect(recharged["status"] == .string("FREE"))

            let credited = try Self.json(try await server.cli("user-set-credit", "p1", "--value", "25", "-f", "json"))
            #expect(credited["credit"] == .string("25"))
            #expect(credited["run_out_at"] == .null)
            let refused = try await server.cli("user-set-credit", "p1", "--value", "-1")
            #expect(refused.status != 0)
            let reset = try Self.json(try await server.cli("user-set-credit", "p1", "--value", "0", "-f", "json"))
            #expect(reset["credit"] == .string("0"))
            let projected = try Self.json(
                try await server.cli("user-projection", "p1", "--at", "2099-01-01T00:00:00Z", "-f", "json")
            )
            #expect(projected["balance"] == .string("100.5"))
            #expect(projected["status"] == .string("FREE"))
            #expect(try await server.cli("user-projection", "p1", "--at", "2001-01-01T00:00:00Z").status != 0)
            let recharges = try Self.json(try await server.cli("recharge-list", "--user-id", "p1", "-f", "json"))
            #expect(recharges.arrayValue?.count == 1)
            #expect(recharges.arrayValue?.first?["value"] == .string("100.5"))

            let attached = try Self.json(
                try await server.cli("user-attach-policy", "p1", policyID, "-f", "json")
            )
            #expect(attached["policy_id"] == .string(policyID))

            let table = try await server.cli("user-list")
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("| id"))
            #expect(table.stdout.contains("| p1"))
            #expect(table.stdout.contains("100.5"))

            let users = try Self.json(try await server.cli("user-list", "-f", "json"))
            #expect(users.arrayValue?.count == 1)

            let show = try await server.cli("user-show", "p1")
            #expect(show.status == 0)
            #expect(show.stdout.contains("balance"))
            #expect(show.stdout.contains("Property"))

            let valid = try await server.cli(
                "resource-validate",
                "--user-id",
                "p1",
                "--resource-type",
                "os.nova.server",
                "--property",
                "flavor=m1.large",
                "--count",
                "2",
                "-f",
                "value"
            )
            #expect(valid.status == 0, "\(valid.stderr)")
            #expect(valid.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "true")
            let tooMany = try await server.cli(
                "resource-validate",
                "--user-id",
                "p1",
                "--resource-type",
                "os.nova.server",
                "--property",
                "flavor=m1.large",
                "--count",
                "15",
                "-f",
                "value"
            )
            #expect(tooMany.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "false")

            let renamed = try Self.json(
                try await server.cli("rule-update", ruleID, "--name", "nova-2026", "-f", "json")
            )
            #expect(renamed["name"] == .string("nova-2026"))

            let events = try Self.json(try await server.cli("event-list", "--user-id", "p1", "-f", "json"))
            #expect(events.arrayValue?.contains { $0["action"] == .string("recharge") } == true)
            let consumptions = try Self.json(try await server.cli("consumption-list", "--user-id", "p1", "-f", "json"))
            #expect(consumptions == .array([]))
            let statistics = try await server.cli(
                "consumption-statistics",
                "--user-id",
                "p1",
                "--summary",
                "-f",
                "json"
            )
            #expect(statistics.status == 0, "\(statistics.stderr)")

            let removed = try Self.json(
                try await server.cli("policy-remove-rules", policyID, "--rule", ruleID, "-f", "json")
            )
            #expect(removed["rules"] == .array([]))
            let added = try Self.json(
                try await server.cli("policy-add-rules", policyID, "--rule", ruleID, "-f", "json")
            )
            #expect(added["rules"]?.arrayValue?.count == 1)

            // The policy's rule cannot go while the policy uses it; the server's message is shown.
            let inUse = try await server.cli("rule-delete", ruleID)
            #expect(inUse.status == 1)
            #expect(inUse.stderr.hasPrefix("ERROR: "), "\(inUse.stderr)")
        }
    }

    @Test func errorsAreTheServersMessageWithANonZeroExit() async throws {
        try await Self.withServer { server, _ in
            let missing = try await server.cli("user-show", "nobody")
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("ERROR: User not found: nobody"), "\(missing.stderr)")

            let ruleMissing = try await server.cli("rule-show", "no-such-rule")
            #expect(ruleMissing.status == 1)
            #expect(ruleMissing.stderr.contains("Rule not found: no-such-rule"), "\(ruleMissing.stderr)")

            for bad in ["0", "-5", "abc", "100000001"] {
                let output = try await server.cli("user-recharge", "p1", "--value=\(bad)")
                #expect(output.status != 0, "recharge \(bad) succeeded")
                #expect(output.stderr.contains("ERROR") || output.stderr.contains("Error"), "\(output.stderr)")
            }
            // Nothing was recharged by the refused attempts.
            let none = try await server.cli("user-show", "p1")
            #expect(none.status == 1)
        }
    }

    @Test func aMemberSeesOnlyItsOwnProject() async throws {
        try await Self.withServer { server, _ in
            #expect(try await server.cli("user-recharge", "p1", "--value", "5").status == 0)
            #expect(try await server.cli("user-recharge", "p2", "--value", "7").status == 0)
            let member = ["OS_PROJECT_ID": "p2", "OS_ROLES": "member"]

            let own = try Self.json(try await server.cli(["user-show", "p2", "-f", "json"], environment: member))
            #expect(own["balance"] == .string("7"))

            let other = try await server.cli(["user-show", "p1"], environment: member)
            #expect(other.status == 1)
            #expect(other.stderr.contains("Policy doesn't allow users:get"), "\(other.stderr)")

            let list = try await server.cli(["user-list"], environment: member)
            #expect(list.status == 1)

            let recharge = try await server.cli(["user-recharge", "p2", "--value", "1000"], environment: member)
            #expect(recharge.status == 1)
            let after = try Self.json(try await server.cli("user-show", "p2", "-f", "json"))
            #expect(after["balance"] == .string("7"))

            let flags = try await server.cli("user-show", "p1", "--os-project-id", "p2", "--os-roles", "reader")
            #expect(flags.status == 1)
        }
    }

    @Test func listsFollowMarkersAndHonourLimits() async throws {
        try await Self.withServer { server, _ in
            for index in 0..<7 {
                #expect(try await server.cli("user-recharge", "p\(index)", "--value", "1").status == 0)
            }
            let all = try Self.json(try await server.cli("user-list", "-f", "json", "--sort-key", "id"))
            #expect(all.arrayValue?.compactMap { $0["id"]?.stringValue } == (0..<7).map { "p\($0)" })
            let limited = try Self.json(
                try await server.cli("user-list", "-f", "json", "--limit", "3", "--sort-key", "id")
            )
            #expect(limited.arrayValue?.compactMap { $0["id"]?.stringValue } == ["p0", "p1", "p2"])
            let next = try Self.json(
                try await server.cli("user-list", "-f", "json", "--limit", "3", "--marker", "p2", "--sort-key", "id")
            )
            #expect(next.arrayValue?.compactMap { $0["id"]?.stringValue } == ["p3", "p4", "p5"])
            let descending = try await server.cli("user-list", "-f", "value", "--sort-key", "id", "--sort-dir", "desc")
            #expect(descending.stdout.split(separator: "\n").first?.hasPrefix("p6") == true, "\(descending.stdout)")
            let badKey = try await server.cli("user-list", "--sort-key", "password")
            #expect(badKey.status == 1)
            #expect(badKey.stderr.contains("Unsupported sort key 'password'"), "\(badKey.stderr)")
        }
    }

    /// `bilean user-list -f json | head -c 1`: the reader goes away while the CLI writes. It stops quietly with
    /// status 141 (what a shell reports for a command killed by SIGPIPE), not a crash and a backtrace; a write that
    /// fails otherwise (a full disk: /dev/full) is an `ERROR:` line and status 1.
    @Test func aClosedPipeOrAFullDiskEndsTheCommandCleanly() async throws {
        try await Self.withServer { server, directory in
            // 400 projects: about 140 KB of JSON, more than a pipe holds (64 KiB), so the CLI is still writing when
            // the reader closes its end.
            for index in 0..<400 {
                var request = URLRequest(
                    url: try #require(URL(string: "\(server.url)/v1/users/project-\(index)/action"))
                )
                request.httpMethod = "POST"
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(#"{"recharge": {"value": "1"}}"#.utf8)
                let (_, response) = try await URLSession.shared.data(for: request)
                #expect((response as? HTTPURLResponse)?.statusCode == 200)
            }
            let arguments = ["user-list", "-f", "json", "--limit", "500"]
            var environment = ProcessInfo.processInfo.environment
            environment["BILEAN_URL"] = server.url

            let fifo = directory.appendingPathComponent("stdout.fifo").path
            #expect(mkfifo(fifo, 0o600) == 0)
            // The read end first (non-blocking, so that opening it does not wait for a writer): the CLI's open of
            // the write end then succeeds at once.
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            #expect(reader >= 0)
            let stderrPath = directory.appendingPathComponent("pipe.err").path
            let piped = ChildProcess(
                executable: BileanProcesses.binaryDirectory.appendingPathComponent("bilean").path,
                arguments: arguments,
                environment: environment,
                standardOutput: .file(fifo),
                standardError: .file(stderrPath)
            )
            try piped.run()
            // Read one byte once the CLI starts writing, then close: its write of the rest fails with EPIPE.
            var byte: UInt8 = 0
            let deadline = ContinuousClock.now + .seconds(60)
            while read(reader, &byte, 1) != 1 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(byte == UInt8(ascii: "["))
            close(reader)
            while piped.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            piped.waitUntilExit()
            #expect(piped.terminationReason == .exit)
            #expect(piped.terminationStatus == 141)
            #expect(try String(contentsOfFile: stderrPath, encoding: .utf8) == "")

            let fullStderr = directory.appendingPathComponent("full.err").path
            let full = ChildProcess(
                executable: BileanProcesses.binaryDirectory.appendingPathComponent("bilean").path,
                arguments: arguments,
                environment: environment,
                standardOutput: .file("/dev/full"),
                standardError: .file(fullStderr)
            )
            try full.run()
            while full.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            full.waitUntilExit()
            #expect(full.terminationReason == .exit)
            #expect(full.terminationStatus == 1)
            let message = try String(contentsOfFile: fullStderr, encoding: .utf8)
            #expect(message == "ERROR: cannot write to standard output: No space left on device\n")
        }
    }

    @Test func unreachableServerIsAClearError() async throws {
        let output = try await BileanProcesses.run(
            "bilean",
            ["user-list"],
            environment: ["BILEAN_URL": "http://127.0.0.1:9"]
        )
        #expect(output.status == 1)
        #expect(output.stderr.contains("ERROR"), "\(output.stderr)")
        #expect(output.stderr.contains("127.0.0.1:9"), "\(output.stderr)")
    }

    static let commands = [
        "user-list", "user-show", "user-recharge", "user-attach-policy",
        "rule-list", "rule-show", "rule-create", "rule-update", "rule-delete",
        "policy-list", "policy-show", "policy-create", "policy-update", "policy-delete", "policy-add-rules",
        "policy-remove-rules",
        "resource-list", "resource-show", "resource-validate",
        "event-list", "consumption-list", "consumption-statistics",
        "rejected-notification-list", "rejected-notification-show",
        "rerating-preview", "rerating-apply",
        "reconciliation-list",
    ]

    @Test(arguments: Self.commands)
    func everyCommandHasHelp(command: String) async throws {
        let output = try await BileanProcesses.run("bilean", [command, "--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("USAGE: bilean \(command)"), "\(output.stdout)")
    }
}
