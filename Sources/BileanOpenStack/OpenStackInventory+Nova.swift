import BileanCore

// Nova's servers, live and deleted.
extension OpenStackInventory {
    /// Nova with compute microversion 2.47, whose server details give the flavor as an object with its
    /// `original_name`.
    static let novaListing = OpenStackCloud.Service(
        name: "Nova",
        types: OpenStackCloud.Service.nova.types,
        headers: [
            (name: "OpenStack-API-Version", value: "compute 2.47"),
            (name: "X-OpenStack-Nova-API-Version", value: "2.47"),
        ]
    )

    /// `GET /servers/detail?all_tenants=1`, then the deleted ones with `deleted=true`.
    func listServers(into collector: inout InventoryCollector) async throws(InventoryError) {
        for deleted in [false, true] {
            let list = PagedList(
                service: Self.novaListing,
                path: ["servers", "detail"],
                query: [(name: "all_tenants", value: "1")] + (deleted ? [(name: "deleted", value: "true")] : []),
                items: "servers",
                next: .links("servers_links"),
                noun: deleted ? "deleted servers" : "servers"
            )
            try await self.read(list, into: &collector) { (object) throws(ListedObject.Problem) in
                try Self.server(object, deleted: deleted)
            }
        }
    }

    /// A server of Nova's details: `flavor.original_name`; billed from `OS-SRV-USG:launched_at` (a server that never
    /// launched, in ERROR say, has no creation instant: its notification, `create.end`, never bills it either, so a
    /// reconciliation reports it and repairs nothing); ended at `OS-SRV-USG:terminated_at`.
    /// - Parameters:
    ///   - object: The listed server.
    ///   - deleted: Whether it comes from the `deleted=true` listing (its flavor may then be missing).
    /// - Returns: The item.
    /// - Throws: A problem for a server without an id, a `tenant_id` or (live) a flavor name, or with a bad time.
    static func server(_ object: ListedObject, deleted: Bool) throws(ListedObject.Problem) -> InventoryItem {
        let id = try object.id()
        let owner = try object.owner("tenant_id")
        var properties: [String: JSONValue] = [:]
        if let flavor = try object.string("flavor", "original_name") {
            properties["flavor"] = flavor
        } else if !deleted {
            throw ListedObject.Problem("has no 'flavor.original_name' (Nova must support compute microversion 2.47)")
        }
        let launchedAt = try object.time("OS-SRV-USG:launched_at")
        return InventoryItem(
            resourceID: id,
            resourceType: OpenStackCloud.novaServerType,
            userID: owner,
            properties: properties,
            createdAt: launchedAt,
            updatedAt: try object.time("updated"),
            deletedAt: try object.time("OS-SRV-USG:terminated_at"),
            isDeleted: deleted
        )
    }
}
