package import BileanCore

/// The service catalog of a Keystone v3 token (`token.catalog`): the services and their endpoints.
package struct ServiceCatalog: Sendable, Hashable {
    /// One endpoint of a service.
    package struct Endpoint: Sendable, Hashable {
        /// `public`, `internal` or `admin`.
        package var interface: String
        /// The region's name (Keystone's `region`), if any.
        package var region: String?
        /// The region's id (Keystone's `region_id`), if any.
        package var regionID: String?
        /// The endpoint's URL.
        package var url: String

        /// Creates an endpoint.
        /// - Parameters:
        ///   - interface: `public`, `internal` or `admin`.
        ///   - region: The region's name.
        ///   - regionID: The region's id.
        ///   - url: The URL.
        package init(interface: String, region: String? = nil, regionID: String? = nil, url: String) {
            self.interface = interface
            self.region = region
            self.regionID = regionID
            self.url = url
        }
    }

    /// One service: its type and endpoints.
    package struct Service: Sendable, Hashable {
        /// The service type (`billing`, `identity`, …).
        package var type: String
        /// The service name (`bilean`), if any.
        package var name: String?
        /// The endpoints.
        package var endpoints: [Endpoint]

        /// Creates a service.
        /// - Parameters:
        ///   - type: The service type.
        ///   - name: The service name.
        ///   - endpoints: The endpoints.
        package init(type: String, name: String? = nil, endpoints: [Endpoint]) {
            self.type = type
            self.name = name
            self.endpoints = endpoints
        }
    }

    /// The services, in Keystone's order.
    package var services: [Service]

    /// Creates a catalog.
    /// - Parameter services: The services.
    package init(services: [Service] = []) {
        self.services = services
    }

    /// Reads Keystone's `token.catalog` array.
    ///
    /// Entries without a `type`, and endpoints without an `interface` or a `url`, are skipped (they could not
    /// be chosen anyway); anything but an array of objects is an error.
    /// - Parameter json: The value of `token.catalog`.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidResponse``) when it is not an array of
    ///   objects.
    package init(json: JSONValue) throws(BileanClientError) {
        guard let entries = json.arrayValue else {
            throw BileanClientError(.invalidResponse, "Keystone's token.catalog must be an array, not \(json.typeName)")
        }
        var services: [Service] = []
        for entry in entries {
            guard entry.objectValue != nil else {
                throw BileanClientError(
                    .invalidResponse,
                    "Keystone's token.catalog must hold objects, not \(entry.typeName)"
                )
            }
            guard let type = entry["type"]?.stringValue else { continue }
            var endpoints: [Endpoint] = []
            for endpoint in entry["endpoints"]?.arrayValue ?? [] {
                guard let interface = endpoint["interface"]?.stringValue, let url = endpoint["url"]?.stringValue
                else { continue }
                endpoints.append(
                    Endpoint(
                        interface: interface,
                        region: endpoint["region"]?.stringValue,
                        regionID: endpoint["region_id"]?.stringValue,
                        url: url
                    )
                )
            }
            services.append(Service(type: type, name: entry["name"]?.stringValue, endpoints: endpoints))
        }
        self.services = services
    }

    /// The URL of a service's endpoint: the first endpoint of the first service of this type with the
    /// interface and, when a region is given, that region (matched against the region's name or id).
    /// - Parameters:
    ///   - type: The service type (`billing`).
    ///   - interface: `public`, `internal` or `admin`.
    ///   - region: The region, or `nil` for any.
    /// - Returns: The URL, or `nil` when the catalog has no such endpoint.
    package func endpointURL(type: String, interface: String, region: String?) -> String? {
        for service in self.services where service.type == type {
            for endpoint in service.endpoints where endpoint.interface == interface && !endpoint.url.isEmpty {
                if let region, endpoint.region != region, endpoint.regionID != region { continue }
                return endpoint.url
            }
        }
        return nil
    }

    /// The service types, in order, for messages.
    package var serviceTypes: [String] { self.services.map(\.type) }
}
