package import BileanCore
package import Logging
package import ServiceLifecycle

/// `[keystone_sync] interval`: brings Bilean's users in line with Keystone's projects, for the projects whose
/// notifications nobody heard.
///
/// - A project Bilean does not know becomes an INIT user (once: a later deletion is never undone by a sync).
/// - A live user whose project is renamed is renamed.
/// - A live user whose project the list leaves out is deleted only when Keystone answers 404 for it by id: a list
///   that misses a project never deletes anything. A truncated or failed list skips the whole pass.
/// - A user Bilean has deleted stays deleted.
///
/// Idempotent with the `identity.project.*` notifications, whichever comes first.
package final class ProjectSync: Service {
    /// What one pass did.
    package struct Report: Sendable, Hashable {
        /// Users created.
        package var created = 0
        /// Users renamed.
        package var renamed = 0
        /// Users deleted (their project is gone).
        package var deleted = 0
        /// Projects or users that failed (logged).
        package var failed = 0

        /// An empty report.
        package init() {}
    }

    private let engine: any AccountsService
    private let directory: any ProjectDirectory
    private let interval: Duration
    private let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - engine: The billing engine.
    ///   - directory: Keystone's projects.
    ///   - interval: The time between two passes.
    ///   - logger: The logger.
    package init(engine: any AccountsService, directory: any ProjectDirectory, interval: Duration, logger: Logger) {
        self.engine = engine
        self.directory = directory
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await self.syncOnce()
                    self.logger.info(
                        "keystone project sync done",
                        metadata: [
                            "created": "\(report.created)", "renamed": "\(report.renamed)",
                            "deleted": "\(report.deleted)", "failed": "\(report.failed)",
                        ]
                    )
                } catch is CancellationError {
                    break
                } catch {
                    self.logger.warning("keystone project sync failed", metadata: ["error": "\(error)"])
                }
                do {
                    try await Task.sleep(for: self.interval)
                } catch {
                    break
                }
            }
        }
    }

    /// One pass.
    /// - Returns: What it did.
    /// - Throws: ``ProjectDirectoryError`` when Keystone's list cannot be read whole (nothing is changed), or an
    ///   engine error while reading the users.
    package func syncOnce() async throws -> Report {
        let projects = try await self.directory.projects()
        var known: [String: User] = [:]
        var marker: String?
        while true {
            let page = try await self.engine.listUsers(ListQuery(limit: 1000, marker: marker, showDeleted: true))
            for user in page { known[user.id] = user }
            guard page.count == 1000, let last = page.last else { break }
            marker = last.id
        }
        var report = Report()
        let listed = Set(projects.map(\.id))
        for project in projects {
            do {
                if let user = known[project.id] {
                    guard user.deletedAt == nil, let name = project.name, user.name != name else { continue }
                    _ = try await self.engine.createUser(id: project.id, name: name, messageID: nil)
                    report.renamed += 1
                } else {
                    _ = try await self.engine.createUser(
                        id: project.id,
                        name: project.name,
                        messageID: "keystone-sync-create-\(project.id)"
                    )
                    report.created += 1
                }
            } catch {
                report.failed += 1
                self.logger.warning(
                    "keystone project sync: cannot open the project's account",
                    metadata: ["user.id": "\(project.id)", "error": "\(error)"]
                )
            }
        }
        for user in known.values where user.deletedAt == nil && !listed.contains(user.id) {
            do {
                guard try await !self.directory.projectExists(user.id) else { continue }
                try await self.engine.deleteUser(id: user.id, messageID: nil)
                report.deleted += 1
                self.logger.notice(
                    "keystone project sync: the project is gone from Keystone, its account is deleted",
                    metadata: ["user.id": "\(user.id)"]
                )
            } catch let error as BileanError where error.code == .notFound {
                continue  // deleted meanwhile (a notification)
            } catch {
                report.failed += 1
                self.logger.warning(
                    "keystone project sync: cannot check or delete the project",
                    metadata: ["user.id": "\(user.id)", "error": "\(error)"]
                )
            }
        }
        return report
    }
}
