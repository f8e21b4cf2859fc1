import BileanCore

// Neutron's floating IPs and routers (an admin's token lists every project's).
extension OpenStackInventory {
    /// `GET /v2.0/floatingips`.
    func listFloatingIPs(into collector: inout InventoryCollector) async throws(InventoryError) {
        try await self.listNeutron(
            "floatingips",
            noun: "floating IPs",
            type: OpenStackCloud.neutronFloatingIPType,
            into: &collector
        )
    }

    /// `GET /v2.0/routers`.
    func listRouters(into collector: inout InventoryCollector) async throws(InventoryError) {
        try await self.listNeutron("routers", noun: "routers", type: OpenStackCloud.neutronRouterType, into: &collector)
    }

    /// `GET /v2.0/<collection>`, paged by `<collection>_links`: items without properties, owned by `project_id`
    /// (else the older `tenant_id`).
    private func listNeutron(
        _ collection: String,
        noun: String,
        type: String,
        into collector: inout InventoryCollector
    ) async throws(InventoryError) {
        let list = PagedList(
            service: .neutron,
            path: [collection],
            query: [],
            items: collection,
            next: .links("\(collection)_links"),
            noun: noun
        )
        try await self.read(list, into: &collector) { (object) throws(ListedObject.Problem) in
            try Self.item(object, type: type, owner: object.owner("project_id", "tenant_id"))
        }
    }
}
