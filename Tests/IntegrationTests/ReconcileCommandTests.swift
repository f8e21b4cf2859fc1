import BileanCore
import BileanTestSupport
import Foundation
import Testing

/// `bilean-server reconcile --config-file F`: one pass against the fake OpenStack, then its exit status.
@Suite("bilean-server reconcile")
struct ReconcileCommandTests {
    @Test func onePassRepairsThenExitsOneWhenAListingFails() async throws {
        let fake = try await FakeOpenStack.start()
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let launched = BillingTime(seconds: 1_700_000_000)
            fake.addServer("vm-1", project: "p1", flavor: "m1.small", created: launched, launchedAt: launched)
            let config = directory.appendingPathComponent("bilean.conf")
            try """
            [database]
            connection = sqlite:///\(directory.path)/bilean.sqlite
            [keystone_authtoken]
            auth_url = \(fake.authURL)
            username = \(fake.username)
            password = \(fake.password)
            project_name = \(fake.projectName)
            [reconciliation]
            repair = true
            min_age = 0
            """.write(to: config, atomically: true, encoding: .utf8)

            let first = try await BileanProcesses.run("bilean-server", ["reconcile", "--config-file", config.path])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("repair=true\tcomplete=true"), "\(first.stdout)")
            #expect(first.stdout.contains("listed\tos.nova.server\t1"), "\(first.stdout)")
            #expect(
                first.stdout.contains("missing\trepaired\tos.nova.server\tvm-1\tp1\t\(launched.iso8601)"),
                "\(first.stdout)"
            )

            // The server is billed now; the volume listing fails on its first page: exit 1, nothing else found.
            fake.failNext(1, status: 500, onPathContaining: "/volumes/detail")
            let second = try await BileanProcesses.run("bilean-server", ["reconcile", "--config-file", config.path])
            #expect(second.status == 1, "\(second.stderr)")
            #expect(second.stdout.contains("complete=false"), "\(second.stdout)")
            #expect(second.stdout.contains("failed\tos.cinder.volume\t"), "\(second.stdout)")
            #expect(!second.stdout.contains("vm-1"), "\(second.stdout)")
        } catch {
            await fake.shutdown()
            throw error
        }
        await fake.shutdown()
    }
}
