/// The cloud's list of projects, read with the service credentials (Keystone in production, a fake in tests).
package protocol ProjectDirectory: Sendable {
    /// Every project that is not a domain.
    /// - Returns: The projects.
    /// - Throws: ``ProjectDirectoryError`` when the list cannot be read whole (a failure, or a truncated list).
    func projects() async throws(ProjectDirectoryError) -> [DirectoryProject]

    /// Whether a project exists, asked one by one (a list that leaves a project out never deletes it).
    /// - Parameter id: The project's id.
    /// - Returns: `false` only when the directory answers that there is no such project.
    /// - Throws: ``ProjectDirectoryError`` when it cannot tell.
    func projectExists(_ id: String) async throws(ProjectDirectoryError) -> Bool
}

/// One project of a ``ProjectDirectory``.
package struct DirectoryProject: Sendable, Hashable {
    /// The project's id (Bilean's user id).
    package var id: String
    /// Its name.
    package var name: String?

    /// Creates a project.
    package init(id: String, name: String?) {
        self.id = id
        self.name = name
    }
}

/// Why a ``ProjectDirectory`` could not answer.
package struct ProjectDirectoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong (no secrets).
    package var message: String

    /// Creates an error.
    package init(_ message: String) {
        self.message = message
    }

    package var description: String { self.message }
}
