package import Foundation

/// The notification fixtures of `../shared/fixtures/notifications/`: where they are, and whether they are there.
package enum NotificationFixtures {
    /// Whether the tests run under CI, where missing fixtures are a failure rather than a skip.
    package static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The fixtures directory: `BILEAN_FIXTURES_DIR`, else `<repository>/../shared/fixtures/notifications`.
    package static let directory: URL = {
        if let configured = ProcessInfo.processInfo.environment["BILEAN_FIXTURES_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        // #filePath is <repository>/Sources/BileanTestSupport/NotificationFixtures.swift.
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repository.appendingPathComponent("../shared/fixtures/notifications", isDirectory: true)
            .standardizedFileURL
    }()

    /// Whether the fixtures directory exists.
    package static var isAvailable: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: self.directory.path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}
