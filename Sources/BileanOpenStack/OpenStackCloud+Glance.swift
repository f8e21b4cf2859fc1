import BileanCore
import Logging

// Glance's deletions.
extension OpenStackCloud {
    /// `DELETE /v2/images/{id}`: 2xx (204) is done; 403 (a protected image) is not retried; 409 (in use) is.
    func deleteImage(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        try await self.delete(
            ["images", id],
            on: .glance,
            operation: "the deletion of the image",
            done: "image deleted",
            logger: logger
        )
    }
}
