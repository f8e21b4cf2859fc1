import BileanCore
import Logging

// Cinder's deletions.
extension OpenStackCloud {
    /// `DELETE /volumes/{id}`: 2xx (202, 204) is done; 400 and 409 (still attached, or busy while its server is
    /// being deleted) are retried.
    func deleteVolume(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        try await self.delete(
            ["volumes", id],
            on: .cinder,
            operation: "the deletion of the volume",
            done: "volume deleted",
            retrying: [400, 409],
            logger: logger
        )
    }

    /// `DELETE /snapshots/{id}`: 2xx (202) is done; 400 and 409 (a snapshot still being created, or busy) are
    /// retried.
    func deleteSnapshot(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        try await self.delete(
            ["snapshots", id],
            on: .cinder,
            operation: "the deletion of the snapshot",
            done: "snapshot deleted",
            retrying: [400, 409],
            logger: logger
        )
    }
}
