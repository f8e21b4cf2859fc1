/// What the cloud really holds, listed with the service credentials: the input of inventory reconciliation.
package protocol CloudInventory: Sendable {
    /// The resource types this inventory lists.
    var resourceTypes: [String] { get }
    /// Every resource of one type, in every project, through every page; deleted ones too where the service still
    /// shows them (Nova's `deleted=true`).
    /// - Parameter resourceType: One of ``resourceTypes``.
    /// - Returns: The complete listing.
    /// - Throws: ``InventoryError`` when any page failed or the listing is not complete: a listing is used whole or
    ///   not at all.
    func list(_ resourceType: String) async throws(InventoryError) -> InventoryListing
}

/// A complete listing of one resource type.
package struct InventoryListing: Sendable, Hashable {
    /// The resource type.
    package var resourceType: String
    /// The resources, live and deleted.
    package var items: [InventoryItem]
    /// How many pages were read (for the report).
    package var pages: Int

    /// Creates a listing.
    package init(resourceType: String, items: [InventoryItem], pages: Int) {
        self.resourceType = resourceType
        self.items = items
        self.pages = pages
    }
}

/// One resource as a service's API lists it, in the terms billing uses.
package struct InventoryItem: Sendable, Hashable {
    /// The cloud's id.
    package var resourceID: String
    /// The resource type (`os.nova.server`, …).
    package var resourceType: String
    /// The owning project.
    package var userID: String
    /// The billed properties, named and typed as the notification definitions name them (`flavor` for a server,
    /// `size` and `volume_type` for a volume, `size` for a snapshot or an image; none for floating IPs and routers).
    package var properties: [String: JSONValue]
    /// When billing would have started: Nova's `OS-SRV-USG:launched_at` (else `created`), others' `created_at`.
    package var createdAt: BillingTime?
    /// When the resource last changed (`updated_at`, Nova's `updated`): a property drift is billed from here.
    package var updatedAt: BillingTime?
    /// When it was deleted, for a deleted resource the API still shows (Nova's `OS-SRV-USG:terminated_at`).
    package var deletedAt: BillingTime?
    /// Whether the API shows it as deleted.
    package var isDeleted: Bool

    /// Creates an item.
    package init(
        resourceID: String,
        resourceType: String,
        userID: String,
        properties: [String: JSONValue],
        createdAt: BillingTime?,
        updatedAt: BillingTime?,
        deletedAt: BillingTime? = nil,
        isDeleted: Bool = false
    ) {
        self.resourceID = resourceID
        self.resourceType = resourceType
        self.userID = userID
        self.properties = properties
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.isDeleted = isDeleted
    }
}

/// Why a listing could not be used.
package struct InventoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The resource type whose listing failed.
    package var resourceType: String
    /// What went wrong (the request, the status, the page).
    package var reason: String

    /// Creates an error.
    package init(resourceType: String, reason: String) {
        self.resourceType = resourceType
        self.reason = reason
    }

    package var description: String { "listing \(self.resourceType) failed: \(self.reason)" }
}
