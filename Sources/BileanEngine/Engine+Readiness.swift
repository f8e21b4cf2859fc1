package import BileanCore
import BileanStore

extension Engine {
    /// Whether the database's schema is the one this release migrates to (`GET /readyz`'s `migrations` check).
    /// - Throws: ``BileanError`` (`unavailable`) naming both versions when it is not; a database error when the
    ///   database does not answer.
    package func checkSchema() async throws {
        let version = try await self.transaction("check the schema version", readOnly: true) { transaction in
            try await transaction.schemaVersion()
        }
        guard version == Migrations.latestVersion else {
            throw BileanError(
                .unavailable,
                "the database schema is at version \(version.map(String.init) ?? "none"), this release needs "
                    + "\(Migrations.latestVersion)"
            )
        }
    }
}
