package import BileanCore

/// The body of `POST /v1/resources/validate_creation`:
/// `{"user_id"?, "resources": [{"resource_type", "properties"}], "count"?: N}`.
package struct ValidationRequest: Sendable, Hashable {
    /// The largest `count`.
    package static let maximumCount = 1000
    /// The most resources in one request.
    package static let maximumResources = 100
    /// The user who would create the resources (the caller's project when absent).
    package var userID: String?
    /// The resources, each created `count` times.
    package var resources: [ResourceSpec]
    /// How many of each (1 by default).
    package var count: Int

    /// Parses the body.
    /// - Throws: ``BileanError`` naming the bad field.
    package init(body: JSONValue) throws(BileanError) {
        let object = try BodyObject(body, path: "")
        try object.allowOnly(["user_id", "resources", "count"])
        self.userID = try object.optionalString("user_id")
        self.count = try object.optionalInteger("count", in: 1...Self.maximumCount) ?? 1
        guard case .array(let elements) = object.members["resources"] ?? .null, !elements.isEmpty,
            elements.count <= Self.maximumResources
        else {
            throw BileanError.invalid(
                "resources",
                "'resources' must be a list of 1 to \(Self.maximumResources) resources"
            )
        }
        var specs: [ResourceSpec] = []
        for (index, element) in elements.enumerated() {
            let resource = try BodyObject(element, path: "resources[\(index)]")
            try resource.allowOnly(["resource_type", "properties"])
            let properties = try resource.optionalObjectValue("properties")?.objectValue ?? [:]
            specs.append(ResourceSpec(resourceType: try resource.string("resource_type"), properties: properties))
        }
        self.resources = specs
    }
}
