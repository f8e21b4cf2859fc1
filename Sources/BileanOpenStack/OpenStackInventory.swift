package import AsyncHTTPClient
package import BileanCore
import Foundation
package import Logging
package import NIOCore
import NIOHTTP1

/// What the cloud really holds, read with the service credentials from each service's paged list API: the
/// ``CloudInventory`` of inventory reconciliation.
///
/// | resource type | requests (first pages) | owner | properties | created | updated | deleted |
/// |---|---|---|---|---|---|---|
/// | `os.nova.server` | Nova `GET /servers/detail?all_tenants=1`, then `…&deleted=true` | `tenant_id` | `flavor` (`flavor.original_name`) | `OS-SRV-USG:launched_at` (none if it never ran) | `updated` | `OS-SRV-USG:terminated_at` |
/// | `os.cinder.volume` | Cinder `GET /volumes/detail?all_tenants=1` | `os-vol-tenant-attr:tenant_id` | `size` (GB), `volume_type` | `created_at` | `updated_at` | |
/// | `os.cinder.snapshot` | Cinder `GET /snapshots/detail?all_tenants=1` | `os-extended-snapshot-attributes:project_id` | `size` (GB) | `created_at` | `updated_at` | |
/// | `os.neutron.floatingip` | Neutron `GET /v2.0/floatingips` | `project_id`, else `tenant_id` | | `created_at` | `updated_at` | |
/// | `os.neutron.router` | Neutron `GET /v2.0/routers` | `project_id`, else `tenant_id` | | `created_at` | `updated_at` | |
/// | `os.glance.image` | Glance `GET /v2/images?visibility=all`, then `…&os_hidden=true` | `owner` | `size` (bytes) | `created_at` | `updated_at` | |
///
/// The properties are named and typed as the shipped notification definitions make them (`DefaultDefinitions` in
/// BileanNotification): `size` is a whole number (`.number`), `flavor` and `volume_type` are strings; a value the
/// API gives as `null` is left out, as the definitions leave out a trait they do not find. Times are parsed exactly
/// by ``BillingTime/init(parsing:field:)`` (OpenStack's `…Z`, `….000000` without a zone, which is UTC, and offsets).
///
/// Every listing is complete or fails. Every page is requested with `limit` (``pageSize``) and the service's own
/// next link is followed until a page has none: the `rel` `next` link of Nova's, Cinder's and Neutron's
/// `<items>_links`, Glance's top-level `next`. Only the query of a next link is used, against the
/// listing's own path on the catalog's endpoint, so the token is never sent to a host that a link names; that query
/// must hold a `marker` not seen before in the same pass (else the links loop), and at most ``maximumPages`` pages
/// are read per listing. A page that fails (an answer outside 2xx, a timeout, a body that is not the expected JSON,
/// an item without an id or an owner, a time that does not parse, a size that is not a whole number) fails the
/// whole listing with ``InventoryError``; nothing partial is returned. A 401 drops the token and retries that page
/// once with a new one (``OpenStackCloud``'s requests).
///
/// Per service:
/// - Nova is asked for compute microversion 2.47, in which a server's `flavor` is an object with the flavor's
///   `original_name` (the name the notifications give); a live server without it fails the listing (a Nova older
///   than 2.47 answers 406 anyway). Deleted servers (`deleted=true`, admin only) come with `isDeleted` and their
///   `terminated_at`; one that is listed live and then deleted keeps its deleted entry. Nova skips the servers of a
///   cell that does not answer when `[api] list_records_by_skipping_down_cells` is true (its default; paging with
///   `limit` gets no placeholders even at microversion 2.69), so deployments with several cells should set it to
///   false, making such a listing fail instead of coming back short.
/// - Glance lists only the images an admin asks for: `visibility=all` adds the community images of other
///   projects, and hidden images (`os_hidden`, still billed) come only with `os_hidden=true`, hence a second pass.
///   Only images whose data is stored are kept: `active`, and `deactivated` (its data is kept and the definitions
///   bill it until `image.delete`). Images `queued`, `saving`, `uploading`, `importing` or `killed` were never billed
///   (`image.upload` bills an image once its data is stored) and are left out, as is an image without an `owner`
///   (Glance allows none; its notifications are refused for want of a user, so it is billed to nobody).
package struct OpenStackInventory: CloudInventory {
    /// The `limit` asked for on each page by default: about 1 MiB of Nova's server details, well below the largest
    /// answer read (``KeystoneSession/maximumBodyBytes``) and the services' own caps (1000).
    package static let defaultPageSize = 200
    /// The most pages read per listing by default: two million resources at the default page size.
    package static let defaultMaximumPages = 10_000

    /// The OpenStack client whose Keystone session, HTTP client and timeout every request uses.
    package let cloud: OpenStackCloud
    /// The `limit` asked for on each page (a service may answer fewer and give a next link).
    package let pageSize: Int
    /// The most pages read for one listing (all its passes); a listing that needs more fails.
    package let maximumPages: Int
    private let logger: Logger

    /// Creates an inventory that shares an OpenStack client (and so its Keystone session) with the freeze actions.
    /// - Parameters:
    ///   - cloud: The OpenStack client.
    ///   - pageSize: The `limit` asked for on each page (at least 1).
    ///   - maximumPages: The most pages read for one listing (at least 1).
    ///   - logger: The logger.
    package init(
        cloud: OpenStackCloud,
        pageSize: Int = Self.defaultPageSize,
        maximumPages: Int = Self.defaultMaximumPages,
        logger: Logger
    ) {
        self.cloud = cloud
        self.pageSize = max(1, pageSize)
        self.maximumPages = max(1, maximumPages)
        self.logger = logger
    }

    /// Creates an inventory with its own OpenStack client; nothing is sent before the first listing.
    /// - Parameters:
    ///   - credentials: The service credentials (an admin: every project is listed).
    ///   - httpClient: The HTTP client (owned by the caller; the shared one by default).
    ///   - logger: The logger.
    ///   - timeout: The time each request (Keystone's included) may take.
    ///   - pageSize: The `limit` asked for on each page (at least 1).
    ///   - maximumPages: The most pages read for one listing (at least 1).
    package init(
        credentials: OpenStackCredentials,
        httpClient: HTTPClient = .shared,
        logger: Logger,
        timeout: TimeAmount = .seconds(30),
        pageSize: Int = Self.defaultPageSize,
        maximumPages: Int = Self.defaultMaximumPages
    ) {
        self.init(
            cloud: OpenStackCloud(credentials: credentials, httpClient: httpClient, logger: logger, timeout: timeout),
            pageSize: pageSize,
            maximumPages: maximumPages,
            logger: logger
        )
    }

    /// Nova servers, Cinder volumes and snapshots, Neutron floating IPs and routers, Glance images.
    package var resourceTypes: [String] {
        [
            OpenStackCloud.novaServerType,
            OpenStackCloud.cinderVolumeType,
            OpenStackCloud.cinderSnapshotType,
            OpenStackCloud.neutronFloatingIPType,
            OpenStackCloud.neutronRouterType,
            OpenStackCloud.glanceImageType,
        ]
    }

    /// Every resource of one type, through every page of every pass (see the table above).
    /// - Parameter resourceType: One of ``resourceTypes``.
    /// - Returns: The complete listing, in the services' order; an id listed twice keeps its place and its last
    ///   entry (a server deleted between the passes is deleted).
    /// - Throws: ``InventoryError`` for a type not in ``resourceTypes``, and when any page failed.
    package func list(_ resourceType: String) async throws(InventoryError) -> InventoryListing {
        var collector = InventoryCollector(resourceType: resourceType)
        switch resourceType {
        case OpenStackCloud.novaServerType:
            try await self.listServers(into: &collector)
        case OpenStackCloud.cinderVolumeType:
            try await self.listVolumes(into: &collector)
        case OpenStackCloud.cinderSnapshotType:
            try await self.listSnapshots(into: &collector)
        case OpenStackCloud.neutronFloatingIPType:
            try await self.listFloatingIPs(into: &collector)
        case OpenStackCloud.neutronRouterType:
            try await self.listRouters(into: &collector)
        case OpenStackCloud.glanceImageType:
            try await self.listImages(into: &collector)
        default:
            throw InventoryError(resourceType: resourceType, reason: "this inventory does not list that resource type")
        }
        self.logger.debug(
            "inventory listed",
            metadata: [
                "resource.type": "\(resourceType)",
                "inventory.items": "\(collector.items.count)",
                "inventory.pages": "\(collector.pages)",
            ]
        )
        return collector.listing
    }

    // MARK: Paging

    /// One pass over a paged list API: where its first page is, and where its answers hold the items and the next
    /// page.
    struct PagedList: Sendable {
        /// Where an answer gives its next page.
        enum NextLink: Sendable {
            /// A `[{"href": …, "rel": "next"}, …]` member (Nova, Cinder, Neutron): its name, `servers_links`.
            case links(String)
            /// A string member holding the next page's path and query (Glance): its name, `next`.
            case field(String)
        }

        /// The service.
        var service: OpenStackCloud.Service
        /// The path segments after the API's root (`["servers", "detail"]`).
        var path: [String]
        /// The first page's query, without `limit` (`all_tenants=1`).
        var query: [(name: String, value: String)]
        /// The member of the answer holding the items (`servers`).
        var items: String
        /// Where the answer gives its next page.
        var next: NextLink
        /// What the pass lists, for messages (`servers`, `deleted servers`).
        var noun: String
    }

    /// Reads every page of a pass and adds the items `convert` makes of them.
    /// - Parameters:
    ///   - list: The pass.
    ///   - collector: Where the items go; its page count bounds the listing.
    ///   - convert: Makes the item of one listed object, or `nil` for an object that is not billed.
    /// - Throws: ``InventoryError`` naming the page for a failed request, an answer outside 2xx, a body that is not
    ///   the expected JSON, an object `convert` refuses, a next link without a new marker, and a listing longer than
    ///   ``maximumPages``.
    func read(
        _ list: PagedList,
        into collector: inout InventoryCollector,
        _ convert: (ListedObject) throws(ListedObject.Problem) -> InventoryItem?
    ) async throws(InventoryError) {
        var query = list.query + [(name: "limit", value: String(self.pageSize))]
        var markers: Set<String> = []
        var page = 1
        while true {
            guard collector.pages < self.maximumPages else {
                throw InventoryError(
                    resourceType: collector.resourceType,
                    reason: "more than \(self.maximumPages) pages: the listing is not complete"
                )
            }
            let body = try await self.fetch(list, query: query, page: page, resourceType: collector.resourceType)
            collector.pages += 1
            do throws(ListedObject.Problem) {
                guard let objects = body[list.items]?.arrayValue else {
                    throw .init("the answer has no '\(list.items)' list")
                }
                for (index, element) in objects.enumerated() {
                    guard let members = element.objectValue else { throw .init("item \(index + 1) is not an object") }
                    let object = ListedObject(members: members)
                    do throws(ListedObject.Problem) {
                        if let item = try convert(object) { collector.add(item) }
                    } catch {
                        throw .init("item \(index + 1)\(object.idForMessage): \(error.text)")
                    }
                }
                guard let next = try Self.nextQuery(in: body, list.next) else { return }
                guard let marker = next.last(where: { $0.name == "marker" })?.value, !marker.isEmpty else {
                    throw .init("the next link has no marker")
                }
                guard markers.insert(marker).inserted else {
                    throw .init("the next link repeats the marker of an earlier page: the listing loops")
                }
                query = next
            } catch {
                throw InventoryError(
                    resourceType: collector.resourceType,
                    reason: "page \(page) of the \(list.noun): \(error.text)"
                )
            }
            page += 1
        }
    }

    /// One page's answer: a GET with the session's token (a 401 renews it once), answered 2xx with a JSON object.
    /// - Parameters:
    ///   - list: The pass.
    ///   - query: The page's query.
    ///   - page: The page's number in the pass, for messages.
    ///   - resourceType: The resource type listed, for errors.
    /// - Returns: The answer's members.
    /// - Throws: ``InventoryError`` for a failed request, an answer outside 2xx and a body that is not a JSON object.
    private func fetch(
        _ list: PagedList,
        query: [(name: String, value: String)],
        page: Int,
        resourceType: String
    ) async throws(InventoryError) -> [String: JSONValue] {
        func failure(_ reason: String) -> InventoryError {
            InventoryError(resourceType: resourceType, reason: "page \(page) of the \(list.noun): \(reason)")
        }
        let operation = "the listing of \(list.noun) (page \(page))"
        let answer: OpenStackCloud.Answer
        do {
            answer = try await self.cloud.send(
                .GET,
                to: list.service,
                path: list.path,
                query: query,
                body: nil,
                operation: operation,
                logger: self.logger
            )
        } catch {
            throw failure(error.message)
        }
        guard (200..<300).contains(answer.status) else {
            let service = list.service.name
            throw failure(CloudActionError.answered(answer.status, body: answer.body, service: service, to: operation))
        }
        let value: JSONValue
        do throws(ExactJSONReader.Failure) {
            value = try ExactJSONReader.parse(
                Array(answer.body.readableBytesView),
                maximumDepth: JSONValue.maximumDepth,
                numbers: .canonical
            )
        } catch {
            throw failure("the answer is not JSON (at byte \(error.offset): \(error.problem))")
        }
        guard let body = value.objectValue else { throw failure("the answer is not a JSON object") }
        return body
    }

    /// The query of the next page's link, or `nil` on the last page.
    /// - Parameters:
    ///   - body: The answer.
    ///   - next: Where the answer gives its next page.
    /// - Throws: A problem for a link member of the wrong shape or a link that cannot be decoded.
    static func nextQuery(
        in body: [String: JSONValue],
        _ next: PagedList.NextLink
    ) throws(ListedObject.Problem) -> [(name: String, value: String)]? {
        let href: String
        switch next {
        case .links(let name):
            guard let member = body[name], member != .null else { return nil }
            guard let links = member.arrayValue else { throw .init("'\(name)' is not a list") }
            guard
                let link = links.first(where: { $0["rel"]?.stringValue == "next" }),
                let text = link["href"]?.stringValue
            else { return nil }
            href = text
        case .field(let name):
            guard let member = body[name], member != .null else { return nil }
            guard let text = member.stringValue else { throw .init("'\(name)' is not a string") }
            href = text
        }
        guard let query = Self.query(of: href) else {
            throw .init("the next link's query cannot be decoded")
        }
        return query
    }

    /// The decoded names and values of a link's query (`+` is a space, as in forms), in order.
    /// - Parameter href: A URL, or a path and query.
    /// - Returns: The pairs (none without a query), or `nil` when a percent-escape does not decode.
    static func query(of href: String) -> [(name: String, value: String)]? {
        guard let start = href.firstIndex(of: "?") else { return [] }
        var text = href[href.index(after: start)...]
        if let fragment = text.firstIndex(of: "#") { text = text[..<fragment] }
        var pairs: [(name: String, value: String)] = []
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decoded = parts.map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decoded[0], let value = decoded.count > 1 ? decoded[1] : "" else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }
}

/// The items of one listing as they come, each id once, and the pages read.
struct InventoryCollector {
    /// The resource type listed.
    let resourceType: String
    /// The items, in the order their ids first came.
    private(set) var items: [InventoryItem] = []
    /// Where each id is in ``items``.
    private var positions: [String: Int] = [:]
    /// How many pages were read, over every pass.
    var pages = 0

    init(resourceType: String) {
        self.resourceType = resourceType
    }

    /// Adds an item; one whose id came already replaces the earlier entry in its place.
    mutating func add(_ item: InventoryItem) {
        if let position = self.positions[item.resourceID] {
            self.items[position] = item
        } else {
            self.positions[item.resourceID] = self.items.count
            self.items.append(item)
        }
    }

    /// The complete listing.
    var listing: InventoryListing {
        InventoryListing(resourceType: self.resourceType, items: self.items, pages: self.pages)
    }
}
