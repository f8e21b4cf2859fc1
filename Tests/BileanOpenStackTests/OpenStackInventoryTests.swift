import BileanCore
import BileanTestSupport
import Foundation
import Testing

@testable import BileanOpenStack

/// ``OpenStackInventory`` against ``FakeOpenStack`` over real HTTP: every listing pages with small limits, in each
/// service's own shape, so these tests check the requests Bilean sends page after page and how it reads the items.
@Suite("OpenStackInventory")
struct OpenStackInventoryTests {
    /// 2026-12-01T10:00:00Z.
    static let t0 = FakeOpenStack.defaultTime

    /// `t0` plus whole seconds and microseconds.
    static func time(_ seconds: Int64, micro: Int64 = 0) -> BillingTime {
        Self.t0.adding(microseconds: seconds * BillingTime.microsecondsPerSecond + micro)
    }

    // MARK: Nova

    @Test func serversAreListedFromEveryProjectAcrossPages() async throws {
        try await Self.withInventory { fake, inventory in
            fake.addServer("vm-1", project: "p1", flavor: "m1.small", launchedAt: Self.time(30, micro: 123_456))
            fake.addServer(
                "vm-2",
                state: "SHUTOFF",
                project: "p2",
                flavor: "m1.large",
                created: Self.time(60),
                launchedAt: Self.time(75, micro: 1),
                updated: Self.time(3_600)
            )
            fake.addServer(
                "vm-3",
                project: "p1",
                flavor: "m1.tiny",
                created: Self.time(120),
                launchedAt: Self.time(121)
            )
            fake.addServer("vm-4", project: "p3", flavor: "m1.small", created: Self.time(180))  // never ran
            fake.addServer("vm-5", project: fake.projectID, flavor: "m1.xlarge", created: Self.time(240))

            let listing = try await Self.list(inventory, "os.nova.server")
            #expect(listing.resourceType == "os.nova.server")
            #expect(listing.items.map(\.resourceID) == ["vm-5", "vm-4", "vm-3", "vm-2", "vm-1"])  // Nova's order
            #expect(listing.pages == 4)  // 2 + 2 + 1 live, 1 empty page of deleted servers
            let byID = Dictionary(uniqueKeysWithValues: listing.items.map { ($0.resourceID, $0) })
            #expect(
                byID["vm-2"]
                    == InventoryItem(
                        resourceID: "vm-2",
                        resourceType: "os.nova.server",
                        userID: "p2",
                        properties: ["flavor": .string("m1.large")],
                        createdAt: Self.time(75, micro: 1),
                        updatedAt: Self.time(3_600)
                    )
            )
            #expect(byID["vm-1"]?.createdAt == Self.time(30, micro: 123_456))
            #expect(byID["vm-1"]?.properties == ["flavor": .string("m1.small")])
            #expect(byID["vm-4"]?.createdAt == nil)  // never ran: no instant to bill from (reported, not repaired)
            #expect(byID["vm-4"]?.userID == "p3")
            #expect(listing.items.allSatisfy { !$0.isDeleted && $0.deletedAt == nil })

            let pages = fake.requests.filter { $0.path == "/compute/v2.1/servers/detail" }
            #expect(pages.count == 4)
            #expect(pages.allSatisfy { $0.status == 200 && $0.query.contains("all_tenants=1") })
            #expect(pages.map { Self.marker(of: $0) } == [nil, "vm-4", "vm-2", nil])
            #expect(pages.map { $0.query.contains("deleted=true") } == [false, false, false, true])
        }
    }

    @Test func deletedServersComeWithTheirTerminationTime() async throws {
        try await Self.withInventory { fake, inventory in
            for index in 1...3 {
                fake.addServer(
                    "vm-\(index)",
                    project: "p1",
                    created: Self.time(Int64(index)),
                    launchedAt: Self.time(10)
                )
            }
            fake.addServer("gone-1", project: "p2", flavor: "m1.large", launchedAt: Self.time(5))
            fake.addServer("gone-2", project: "p2", created: Self.time(7), launchedAt: Self.time(8))
            fake.addServer("gone-3", project: "p3", created: Self.time(9))
            #expect(fake.deleteServerRecord("gone-1", terminatedAt: Self.time(7_200, micro: 42)))
            #expect(fake.deleteServerRecord("gone-2", terminatedAt: Self.time(9_000)))
            #expect(fake.deleteServerRecord("gone-3", terminatedAt: nil))  // never ran: no terminated_at
            // Nova's DELETE: terminated now.
            let deletion = try await inventory.cloud.perform(OpenStackCloudTests.action(.server, "vm-3", .delete))
            #expect(deletion == .done("server deleted"))

            let listing = try await Self.list(inventory, "os.nova.server")
            let deleted = listing.items.filter(\.isDeleted)
            #expect(deleted.map(\.resourceID) == ["gone-3", "gone-2", "vm-3", "gone-1"])
            #expect(listing.items.filter { !$0.isDeleted }.map(\.resourceID) == ["vm-2", "vm-1"])
            let byID = Dictionary(uniqueKeysWithValues: listing.items.map { ($0.resourceID, $0) })
            #expect(
                byID["gone-1"]
                    == InventoryItem(
                        resourceID: "gone-1",
                        resourceType: "os.nova.server",
                        userID: "p2",
                        properties: ["flavor": .string("m1.large")],
                        createdAt: Self.time(5),
                        updatedAt: Self.time(7_200),
                        deletedAt: Self.time(7_200, micro: 42),
                        isDeleted: true
                    )
            )
            #expect(byID["gone-2"]?.deletedAt == Self.time(9_000))
            #expect(byID["gone-3"]?.deletedAt == nil)
            #expect(byID["vm-3"]?.deletedAt != nil)
            #expect(listing.pages == 5)  // 2 live servers: a full page and an empty one; 4 deleted: 2 full, 1 empty
        }
    }

    // MARK: Cinder

    @Test func volumesAreListedWithTheirSizeAndType() async throws {
        try await Self.withInventory { fake, inventory in
            fake.addVolume("vol-1", project: "p1", size: 20, volumeType: "ssd", createdAt: Self.time(1, micro: 500))
            fake.addVolume("vol-2", project: "p2", size: 1_000, volumeType: nil, createdAt: Self.time(2))
            fake.addVolume(
                "vol-3",
                project: "p2",
                size: 5,
                volumeType: "hdd",
                createdAt: Self.time(3),
                updatedAt: Self.time(4, micro: 999_999)
            )

            let listing = try await Self.list(inventory, "os.cinder.volume")
            #expect(
                listing.items == [
                    InventoryItem(
                        resourceID: "vol-3",
                        resourceType: "os.cinder.volume",
                        userID: "p2",
                        properties: ["size": .number("5"), "volume_type": .string("hdd")],
                        createdAt: Self.time(3),
                        updatedAt: Self.time(4, micro: 999_999)
                    ),
                    InventoryItem(
                        resourceID: "vol-2",
                        resourceType: "os.cinder.volume",
                        userID: "p2",
                        properties: ["size": .number("1000")],
                        createdAt: Self.time(2),
                        updatedAt: nil
                    ),
                    InventoryItem(
                        resourceID: "vol-1",
                        resourceType: "os.cinder.volume",
                        userID: "p1",
                        properties: ["size": .number("20"), "volume_type": .string("ssd")],
                        createdAt: Self.time(1, micro: 500),
                        updatedAt: nil
                    ),
                ]
            )
            #expect(listing.pages == 2)
            let pages = fake.requests.filter { $0.path == "/volume/v3/\(fake.projectID)/volumes/detail" }
            #expect(pages.map { Self.marker(of: $0) } == [nil, "vol-2"])
            #expect(pages.allSatisfy { $0.query.contains("all_tenants=1") && $0.query.contains("limit=2") })
        }
    }

    @Test func snapshotsAreListedWithTheirSize() async throws {
        try await Self.withInventory { fake, inventory in
            for index in 1...5 {
                fake.addSnapshot(
                    "snap-\(index)",
                    project: "p\(index % 2)",
                    size: index * 10,
                    createdAt: Self.time(Int64(index))
                )
            }
            let listing = try await Self.list(inventory, "os.cinder.snapshot")
            #expect(listing.items.map(\.resourceID) == ["snap-5", "snap-4", "snap-3", "snap-2", "snap-1"])
            #expect(listing.items.map(\.properties) == [50, 40, 30, 20, 10].map { ["size": .number("\($0)")] })
            #expect(listing.items.map(\.userID) == ["p1", "p0", "p1", "p0", "p1"])
            #expect(listing.items.map(\.createdAt) == (1...5).reversed().map { Self.time(Int64($0)) })
            #expect(listing.pages == 3)
        }
    }

    // MARK: Neutron

    @Test(arguments: ["os.neutron.floatingip", "os.neutron.router"])
    func neutronObjectsAreListedByIDAcrossPages(type: String) async throws {
        try await Self.withInventory { fake, inventory in
            for index in 1...5 {
                let id = "n-\(index)"
                let created = Self.time(Int64(100 * index))
                if type == "os.neutron.router" {
                    fake.addRouter(
                        id,
                        project: "p\(index)",
                        createdAt: created,
                        updatedAt: Self.time(Int64(1_000 + index))
                    )
                } else {
                    fake.addFloatingIP(
                        id,
                        project: "p\(index)",
                        createdAt: created,
                        updatedAt: Self.time(Int64(1_000 + index))
                    )
                }
            }
            let listing = try await Self.list(inventory, type)
            let expected: [InventoryItem] = (1...5).map { (index: Int) -> InventoryItem in
                InventoryItem(
                    resourceID: "n-\(index)",
                    resourceType: type,
                    userID: "p\(index)",
                    properties: [:],
                    createdAt: Self.time(Int64(100 * index)),
                    updatedAt: Self.time(Int64(1_000 + index))
                )
            }
            #expect(listing.items == expected)
            #expect(listing.pages == 3)
            let collection = type == "os.neutron.router" ? "routers" : "floatingips"
            let pages = fake.requests.filter { $0.path == "/networking/v2.0/\(collection)" }
            #expect(pages.map { Self.marker(of: $0) } == [nil, "n-2", "n-4"])  // `next`, never `previous`
        }
    }

    // MARK: Glance

    @Test func imagesAreListedWithHiddenAndCommunityOnesWhenTheirDataIsStored() async throws {
        try await Self.withInventory { fake, inventory in
            fake.addImage("img-private", owner: "p1", size: 13_167_616, createdAt: Self.time(1))
            fake.addImage(
                "img-public",
                owner: "admin",
                size: 476_704_768,
                visibility: "public",
                createdAt: Self.time(2)
            )
            fake.addImage("img-community", owner: "p2", size: 1, visibility: "community", createdAt: Self.time(3))
            fake.addImage("img-shared", owner: "p2", size: 2, visibility: "shared", createdAt: Self.time(4))
            fake.addImage("img-hidden", owner: "p3", size: 3, hidden: true, createdAt: Self.time(5))
            fake.addImage("img-deactivated", owner: "p3", size: 4, status: "deactivated", createdAt: Self.time(6))
            fake.addImage("img-queued", owner: "p1", size: nil, status: "queued", createdAt: Self.time(7))
            fake.addImage("img-saving", owner: "p1", size: nil, status: "saving", createdAt: Self.time(8))
            fake.addImage("img-killed", owner: "p1", size: nil, status: "killed", createdAt: Self.time(9))
            fake.addImage("img-ownerless", owner: nil, size: 5, createdAt: Self.time(10))

            let listing = try await Self.list(inventory, "os.glance.image")
            #expect(
                listing.items.map(\.resourceID) == [
                    "img-deactivated", "img-shared", "img-community", "img-public", "img-private", "img-hidden",
                ]
            )
            let byID = Dictionary(uniqueKeysWithValues: listing.items.map { ($0.resourceID, $0) })
            #expect(
                byID["img-public"]
                    == InventoryItem(
                        resourceID: "img-public",
                        resourceType: "os.glance.image",
                        userID: "admin",
                        properties: ["size": .number("476704768")],
                        createdAt: Self.time(2),
                        updatedAt: Self.time(2)
                    )
            )
            #expect(byID["img-hidden"]?.userID == "p3")
            #expect(listing.items.allSatisfy { !$0.isDeleted })
            // 9 visible images (of every status) in 5 pages, then the hidden one in 1 page.
            #expect(listing.pages == 6)
            let pages = fake.requests.filter { $0.path == "/image/v2/images" }
            #expect(pages.allSatisfy { $0.query.contains("visibility=all") })
            #expect(pages.filter { $0.query.contains("os_hidden=true") }.count == 1)
        }
    }

    // MARK: Paging

    @Test func aServiceCappingThePageBelowTheLimitIsFollowedToTheEnd() async throws {
        try await Self.withInventory(pageSize: 1_000) { fake, inventory in
            fake.maximumPageSize = 2
            for index in 1...5 { fake.addVolume("vol-\(index)", createdAt: Self.time(Int64(index))) }
            let listing = try await Self.list(inventory, "os.cinder.volume")
            #expect(listing.items.map(\.resourceID) == ["vol-5", "vol-4", "vol-3", "vol-2", "vol-1"])
            #expect(listing.pages == 3)
            #expect(
                fake.requests.filter { $0.path.hasSuffix("/volumes/detail") }.allSatisfy {
                    $0.query.contains("limit=1000")
                }
            )
        }
    }

    @Test(arguments: [
        ("os.nova.server", "/servers/detail"),
        ("os.cinder.volume", "/volumes/detail"),
        ("os.cinder.snapshot", "/snapshots/detail"),
        ("os.neutron.floatingip", "/floatingips"),
        ("os.neutron.router", "/routers"),
        ("os.glance.image", "/images"),
    ])
    func aFailureOnPage2FailsTheWholeListing(type: String, path: String) async throws {
        try await Self.withInventory { fake, inventory in
            Self.addFive(type, to: fake)
            fake.failNext(1, status: 503, onPathContaining: path, after: 1)
            let error = try #require(await Self.failure(inventory, type))
            #expect(error.resourceType == type)
            #expect(fake.requests.filter { $0.path.hasSuffix(path) }.map(\.status) == [200, 503])

            let listing = try await Self.list(inventory, type)  // the outage is over: the same listing is complete
            #expect(listing.items.count == 5)
        }
    }

    @Test func aPageThatIsNotAListingFailsTheListing() async throws {
        try await Self.withInventory { fake, inventory in
            Self.addFive("os.nova.server", to: fake)
            fake.failNext(1, status: 200, onPathContaining: "/servers/detail", after: 1)  // 200 with an error body
            #expect(await Self.failure(inventory, "os.nova.server") != nil)
            #expect(fake.requests.filter { $0.path.hasSuffix("/servers/detail") }.map(\.status) == [200, 200])
        }
    }

    @Test func anItemWithoutAnIDOrAProjectFailsTheListing() async throws {
        try await Self.withInventory { fake, inventory in
            Self.addFive("os.cinder.volume", to: fake)
            fake.addVolume("vol-no-project", project: "", createdAt: Self.time(-1))  // last page
            #expect(await Self.failure(inventory, "os.cinder.volume") != nil)

            Self.addFive("os.neutron.router", to: fake)
            fake.addRouter("", project: "p1")
            #expect(await Self.failure(inventory, "os.neutron.router") != nil)
        }
    }

    @Test func aLoopingNextLinkIsStopped() async throws {
        try await Self.withInventory { fake, inventory in
            Self.addFive("os.nova.server", to: fake)
            fake.ignoreMarkers = true  // page 2 is page 1 again, with the same next link
            #expect(await Self.failure(inventory, "os.nova.server") != nil)
            let pages = fake.requests.filter { $0.path.hasSuffix("/servers/detail") }
            #expect(pages.count == 2)  // stopped at the repeated link, not at the page bound
            #expect(pages.prefix(2).map { Self.marker(of: $0) } == [nil, "server-4"])
        }
    }

    @Test func theNumberOfPagesIsBounded() async throws {
        try await Self.withInventory(pageSize: 1, maximumPages: 3) { fake, inventory in
            Self.addFive("os.neutron.floatingip", to: fake)
            #expect(await Self.failure(inventory, "os.neutron.floatingip") != nil)
            #expect(fake.requests.filter { $0.path.hasSuffix("/floatingips") }.count == 3)
        }
    }

    @Test func aRefusedTokenMidListingAuthenticatesOnceMore() async throws {
        try await Self.withInventory { fake, inventory in
            Self.addFive("os.glance.image", to: fake)
            // Page 2 answers 401, which revokes the token: the page is asked again with a new one.
            fake.failNext(1, status: 401, onPathContaining: "/images", after: 1)
            let listing = try await Self.list(inventory, "os.glance.image")
            #expect(listing.items.count == 5)
            #expect(fake.authenticationCount == 2)
            let pages = fake.requests.filter { $0.path == "/image/v2/images" }
            #expect(pages.map(\.status) == [200, 401, 200, 200, 200])
            #expect(pages[1].query == pages[2].query)
            #expect(pages[2].hadValidToken)
        }
    }

    @Test func aTokenRefusedTwiceForOnePageFailsTheListing() async throws {
        try await Self.withInventory { fake, inventory in
            Self.addFive("os.nova.server", to: fake)
            fake.failNext(2, status: 401, onPathContaining: "/servers/detail", after: 1)
            #expect(await Self.failure(inventory, "os.nova.server") != nil)
            #expect(fake.authenticationCount == 2)  // once at the start, once after the first 401
            #expect(fake.requests.filter { $0.path.hasSuffix("/servers/detail") }.map(\.status) == [200, 401, 401])
        }
    }

    @Test func anUnknownResourceTypeIsRefusedWithoutARequest() async throws {
        try await Self.withInventory { fake, inventory in
            #expect(inventory.resourceTypes.count == 6)
            let error = try #require(await Self.failure(inventory, "os.octavia.loadbalancer"))
            #expect(error.resourceType == "os.octavia.loadbalancer")
            #expect(fake.requests.isEmpty)
        }
    }

    // MARK: Items, without a service

    @Test(arguments: [
        "2026-12-01T10:00:00.250000",
        "2026-12-01T10:00:00.25Z",
        "2026-12-01 10:00:00.25",
        "2026-12-01T12:00:00.250000+02:00",
        "2026-12-01T04:30:00.25-0530",
    ])
    func openStackTimesParseExactly(text: String) throws {
        let time = try ListedObject(members: ["created_at": .string(text)]).time("created_at")
        #expect(time == Self.time(0, micro: 250_000))
    }

    @Test func absentValuesAreLeftOutAndBadOnesRefused() throws {
        let object = ListedObject(
            members: [
                "null": .null, "empty": .string(""), "size": .number("20"), "text": .string("40"),
                "fraction": .number("1.5"), "date": .string("2026-12-01"), "list": .array([]),
            ]
        )
        let times = try ["null", "empty", "missing"].map { (name) throws(ListedObject.Problem) in try object.time(name)
        }
        #expect(times == [nil, nil, nil])
        #expect(throws: ListedObject.Problem.self) { try object.time("date") }
        #expect(throws: ListedObject.Problem.self) { try object.time("size") }
        let numbers = try ["size", "text", "null"].map { (name) throws(ListedObject.Problem) in
            try object.wholeNumber(name)
        }
        #expect(numbers == [.number("20"), .number("40"), nil])
        #expect(throws: ListedObject.Problem.self) { try object.wholeNumber("fraction") }
        #expect(throws: ListedObject.Problem.self) { try object.wholeNumber("list") }
        let text = try object.string("size")
        #expect(text == .string("20"))
        #expect(throws: ListedObject.Problem.self) { try object.string("list") }
        #expect(throws: ListedObject.Problem.self) { try object.id() }
    }

    @Test func neutronOwnersFallBackToTheTenant() throws {
        let object = ListedObject(members: ["id": .string("fip-1"), "tenant_id": .string("p9"), "project_id": .null])
        let owner = try object.owner("project_id", "tenant_id")
        #expect(owner == "p9")
        #expect(throws: ListedObject.Problem.self) { try object.owner("project_id") }
    }

    @Test func aLiveServerWithoutAFlavorNameIsRefusedButADeletedOneIsNot() throws {
        let object = ListedObject(
            members: ["id": .string("vm-1"), "tenant_id": .string("p1"), "flavor": .object(["id": .string("42")])]
        )
        #expect(throws: ListedObject.Problem.self) { try OpenStackInventory.server(object, deleted: false) }
        let deleted = try OpenStackInventory.server(object, deleted: true)
        #expect(deleted.properties.isEmpty)
        #expect(deleted.isDeleted)
    }

    @Test func nextLinksGiveTheirDecodedQuery() throws {
        let glance = try #require(OpenStackInventory.query(of: "/v2/images?limit=2&marker=a%2Fb&visibility=all"))
        #expect(glance.map(\.name) == ["limit", "marker", "visibility"])
        #expect(glance.map(\.value) == ["2", "a/b", "all"])
        let nova = try #require(OpenStackInventory.query(of: "http://nova:8774/v2.1/servers/detail?marker=a+b&x#top"))
        #expect(nova.map(\.name) == ["marker", "x"])
        #expect(nova.map(\.value) == ["a b", ""])
        #expect(OpenStackInventory.query(of: "/v2/images?marker=%ZZ") == nil)
        #expect(OpenStackInventory.query(of: "/v2/images")?.isEmpty == true)
    }

    @Test func anIDListedTwiceKeepsItsPlaceAndItsLastEntry() {
        var collector = InventoryCollector(resourceType: "os.nova.server")
        func server(_ id: String, deleted: Bool) -> InventoryItem {
            InventoryItem(
                resourceID: id,
                resourceType: "os.nova.server",
                userID: "p1",
                properties: [:],
                createdAt: nil,
                updatedAt: nil,
                isDeleted: deleted
            )
        }
        collector.add(server("a", deleted: false))
        collector.add(server("b", deleted: false))
        collector.add(server("a", deleted: true))  // deleted between the live and the deleted pass
        #expect(collector.listing.items == [server("a", deleted: true), server("b", deleted: false)])
    }

    // MARK: Helpers

    /// Runs `body` with a fresh fake and an inventory over it that asks `pageSize` items a page; the fake is shut
    /// down afterwards, whether `body` threw or not.
    static func withInventory(
        pageSize: Int = 2,
        maximumPages: Int = OpenStackInventory.defaultMaximumPages,
        _ body: (FakeOpenStack, OpenStackInventory) async throws -> Void
    ) async throws {
        try await OpenStackCloudTests.withFake { fake, cloud in
            let inventory = OpenStackInventory(
                cloud: cloud,
                pageSize: pageSize,
                maximumPages: maximumPages,
                logger: TestDatabase.logger
            )
            try await body(fake, inventory)
        }
    }

    /// `list` with an untyped `throws`, for `try` in tests.
    static func list(_ inventory: OpenStackInventory, _ type: String) async throws -> InventoryListing {
        try await inventory.list(type)
    }

    /// The error of a listing that must fail, or `nil` (recorded as an issue) when it succeeded.
    static func failure(_ inventory: OpenStackInventory, _ type: String) async -> InventoryError? {
        do {
            let listing = try await inventory.list(type)
            Issue.record("the listing of \(type) succeeded with \(listing.items.count) items")
            return nil
        } catch {
            return error
        }
    }

    /// Five resources of a type, in two projects, one a second apart.
    static func addFive(_ type: String, to fake: FakeOpenStack) {
        for index in 1...5 {
            let id = "\(type.split(separator: ".").last ?? "x")-\(index)"
            let project = "p\(index % 2)"
            let created = Self.time(Int64(index))
            switch type {
            case "os.nova.server": fake.addServer(id, project: project, created: created, launchedAt: created)
            case "os.cinder.volume": fake.addVolume(id, project: project, createdAt: created)
            case "os.cinder.snapshot": fake.addSnapshot(id, project: project, createdAt: created)
            case "os.neutron.floatingip": fake.addFloatingIP(id, project: project, createdAt: created)
            case "os.neutron.router": fake.addRouter(id, project: project, createdAt: created)
            default: fake.addImage(id, owner: project, createdAt: created)
            }
        }
    }

    /// The `marker` a listing request asked for, if any.
    static func marker(of request: FakeOpenStack.Request) -> String? {
        request.query.split(separator: "&").first { $0.hasPrefix("marker=") }.map { String($0.dropFirst(7)) }
    }
}
