import BileanCore

// Glance's images, visible and hidden.
extension OpenStackInventory {
    /// The statuses of the images that are billed: their data is stored.
    static let billedImageStatuses: Set<String> = ["active", "deactivated"]

    /// `GET /v2/images?visibility=all`, then the hidden ones with `os_hidden=true`.
    func listImages(into collector: inout InventoryCollector) async throws(InventoryError) {
        for hidden in [false, true] {
            let list = PagedList(
                service: .glance,
                path: ["images"],
                query: [(name: "visibility", value: "all")] + (hidden ? [(name: "os_hidden", value: "true")] : []),
                items: "images",
                next: .field("next"),
                noun: hidden ? "hidden images" : "images"
            )
            try await self.read(list, into: &collector) { (object) throws(ListedObject.Problem) in
                try Self.image(object)
            }
        }
    }

    /// An image of Glance's list: `size` (bytes), owned by `owner`; `nil` for an image that is not billed (a status
    /// outside ``billedImageStatuses``, or no owner).
    /// - Parameter object: The listed image.
    /// - Returns: The item, or `nil`.
    /// - Throws: A problem for an image without an id or a status, or with a bad size or time.
    static func image(_ object: ListedObject) throws(ListedObject.Problem) -> InventoryItem? {
        _ = try object.id()
        guard let status = object.value(at: ["status"])?.stringValue else {
            throw ListedObject.Problem("has no status")
        }
        guard Self.billedImageStatuses.contains(status), let owner = object.value(at: ["owner"])?.stringValue else {
            return nil
        }
        return try Self.item(object, type: OpenStackCloud.glanceImageType, owner: owner, sized: true)
    }
}
