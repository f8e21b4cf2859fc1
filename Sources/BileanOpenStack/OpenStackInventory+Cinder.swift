import BileanCore

// Cinder's volumes and snapshots.
extension OpenStackInventory {
    /// `GET /volumes/detail?all_tenants=1`.
    func listVolumes(into collector: inout InventoryCollector) async throws(InventoryError) {
        try await self.listCinder("volumes", into: &collector) { (object) throws(ListedObject.Problem) in
            try Self.volume(object)
        }
    }

    /// `GET /snapshots/detail?all_tenants=1`.
    func listSnapshots(into collector: inout InventoryCollector) async throws(InventoryError) {
        try await self.listCinder("snapshots", into: &collector) { (object) throws(ListedObject.Problem) in
            try Self.snapshot(object)
        }
    }

    /// `GET /<collection>/detail?all_tenants=1`, paged by `<collection>_links`.
    private func listCinder(
        _ collection: String,
        into collector: inout InventoryCollector,
        _ convert: (ListedObject) throws(ListedObject.Problem) -> InventoryItem
    ) async throws(InventoryError) {
        let list = PagedList(
            service: .cinder,
            path: [collection, "detail"],
            query: [(name: "all_tenants", value: "1")],
            items: collection,
            next: .links("\(collection)_links"),
            noun: collection
        )
        try await self.read(list, into: &collector, convert)
    }

    /// A volume of Cinder's details: `size` (GB) and `volume_type` (its name), owned by
    /// `os-vol-tenant-attr:tenant_id`.
    /// - Parameter object: The listed volume.
    /// - Returns: The item.
    /// - Throws: A problem for a volume without an id or an owner, or with a bad size or time.
    static func volume(_ object: ListedObject) throws(ListedObject.Problem) -> InventoryItem {
        let owner = try object.owner("os-vol-tenant-attr:tenant_id")
        var item = try Self.item(object, type: OpenStackCloud.cinderVolumeType, owner: owner, sized: true)
        item.properties["volume_type"] = try object.string("volume_type")
        return item
    }

    /// A snapshot of Cinder's details: `size` (GB, the volume's when it was taken, as `volume_size` in its
    /// notifications), owned by `os-extended-snapshot-attributes:project_id`.
    /// - Parameter object: The listed snapshot.
    /// - Returns: The item.
    /// - Throws: A problem for a snapshot without an id or an owner, or with a bad size or time.
    static func snapshot(_ object: ListedObject) throws(ListedObject.Problem) -> InventoryItem {
        let owner = try object.owner("os-extended-snapshot-attributes:project_id")
        return try Self.item(object, type: OpenStackCloud.cinderSnapshotType, owner: owner, sized: true)
    }

    /// The item of a listed object with an `id`, `created_at` and `updated_at` (Cinder, Neutron, Glance).
    /// - Parameters:
    ///   - object: The listed object.
    ///   - type: The resource type.
    ///   - owner: Its project.
    ///   - sized: Whether its `size` is billed (the property `size`, a whole number).
    /// - Returns: The item, live.
    /// - Throws: A problem for an object without an id, or with a bad size or time.
    static func item(
        _ object: ListedObject,
        type: String,
        owner: String,
        sized: Bool = false
    ) throws(ListedObject.Problem) -> InventoryItem {
        var properties: [String: JSONValue] = [:]
        if sized { properties["size"] = try object.wholeNumber("size") }
        return InventoryItem(
            resourceID: try object.id(),
            resourceType: type,
            userID: owner,
            properties: properties,
            createdAt: try object.time("created_at"),
            updatedAt: try object.time("updated_at")
        )
    }
}
