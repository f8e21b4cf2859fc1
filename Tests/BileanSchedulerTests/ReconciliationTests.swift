import BileanCore
import BileanEngine
import BileanOpenStack
import BileanScheduler
import BileanStore
import BileanTestSupport
import Synchronization
import Testing

/// A cloud whose listings are set by the test (the HTTP listings themselves are tested against the fake OpenStack
/// in BileanOpenStackTests and below).
final class StaticInventory: CloudInventory {
    let state = Mutex<(items: [String: [InventoryItem]], failing: Set<String>)>(([:], []))
    let resourceTypes = ["os.nova.server", "os.cinder.volume"]

    func set(_ items: [InventoryItem]) {
        self.state.withLock { $0.items = Dictionary(grouping: items, by: \.resourceType) }
    }

    func fail(_ type: String) { self.state.withLock { _ = $0.failing.insert(type) } }

    func list(_ resourceType: String) async throws(InventoryError) -> InventoryListing {
        let (items, failing) = self.state.withLock { ($0.items[resourceType] ?? [], $0.failing.contains(resourceType)) }
        if failing { throw InventoryError(resourceType: resourceType, reason: "page 2: HTTP 500") }
        return InventoryListing(resourceType: resourceType, items: items, pages: 1)
    }
}

/// Inventory reconciliation end to end through the engine: lost notifications are repaired exactly from the
/// cloud's listings, the real notifications arriving later change nothing, and a failed listing changes nothing.
@Suite("Inventory reconciliation")
struct ReconciliationTests {
    static let t0 = BillingTime(seconds: 1_700_000_000)
    static let now = t0.adding(seconds: 100_000)
    static let flavors = [("m1.small", "1.5"), ("m1.large", "7"), ("m1.odd", "0.3333")]
    static let sizes = [5, 20, 150]

    /// One resource's story: its events and what the cloud shows at the end.
    struct Story {
        var events: [ResourceEvent]
        var droppable: [Int]  // indices into events whose loss a listing reveals exactly
        var item: InventoryItem?
    }

    static func story(_ index: Int, user: String, rng: inout SeededRandomNumberGenerator) -> Story {
        let server = Bool.random(using: &rng)
        let id = "\(user)-r\(index)"
        let type = server ? "os.nova.server" : "os.cinder.volume"
        func properties() -> [String: JSONValue] {
            if server { return ["flavor": .string(Self.flavors[Int.random(in: 0..<3, using: &rng)].0)] }
            return [
                "size": .number("\(Self.sizes[Int.random(in: 0..<3, using: &rng)])"),
                "volume_type": .string("ssd"),
            ]
        }
        var time = Int64.random(in: 0...40_000, using: &rng)
        let created = Self.t0.adding(seconds: time)
        var current = properties()
        var events = [
            ResourceEvent(
                messageID: "\(id)-c",
                action: .create,
                resourceType: type,
                resourceID: id,
                userID: user,
                properties: current,
                time: created
            )
        ]
        var updated = created
        let resized = Bool.random(using: &rng)
        if resized {
            time += Int64.random(in: 1...20_000, using: &rng)
            updated = Self.t0.adding(seconds: time)
            let before = current
            while current == before { current = properties() }
            events.append(
                ResourceEvent(
                    messageID: "\(id)-u",
                    action: .update,
                    resourceType: type,
                    resourceID: id,
                    userID: user,
                    properties: current,
                    time: updated
                )
            )
        }
        // A lost creation of a resized resource is not visible in a listing (billing starts at the resize): only
        // the creation of an unresized one, the last resize, and a server's deletion (Nova lists deleted servers
        // with their termination time) are lost here.
        var droppable = resized ? [1] : [0]
        var item: InventoryItem? = InventoryItem(
            resourceID: id,
            resourceType: type,
            userID: user,
            properties: current,
            createdAt: created,
            updatedAt: updated
        )
        if Int.random(in: 0..<3, using: &rng) == 0 {
            time += Int64.random(in: 1...20_000, using: &rng)
            let deleted = Self.t0.adding(seconds: time)
            events.append(
                ResourceEvent(
                    messageID: "\(id)-d",
                    action: .delete,
                    resourceType: type,
                    resourceID: id,
                    userID: user,
                    properties: [:],
                    time: deleted
                )
            )
            if server {
                item?.deletedAt = deleted
                item?.isDeleted = true
                // A deleted server is compared by its deletion only.
                droppable = [events.count - 1]
            } else {
                item = nil
                droppable = []
            }
        }
        return Story(events: events, droppable: droppable, item: item)
    }

    static func engine(_ store: SQLBillingStore, _ clock: ManualNow) async throws -> Engine {
        var configuration = Engine.Configuration()
        configuration.reconciliationMinAgeSeconds = 600
        let engine = Engine(store: store, configuration: configuration, now: clock.source, logger: TestDatabase.logger)
        let nova = try await engine.createRule(name: "nova", spec: Specs.nova(Self.flavors), metadata: .object([:]))
        let cinder = try await engine.createRule(
            name: "cinder",
            spec: Specs.cinder([(1, 10, "0.5"), (11, 100, "2"), (101, nil, "3")]),
            metadata: .object([:])
        )
        _ = try await engine.createPolicy(name: "default", ruleIDs: [nova.id, cinder.id], metadata: .object([:]))
        return engine
    }

    static func reconciler(
        _ inventory: any CloudInventory,
        _ engine: Engine,
        _ clock: ManualNow,
        run: String
    )
        -> Reconciler
    {
        Reconciler(
            inventory: inventory,
            engine: engine,
            repair: true,
            logger: TestDatabase.logger,
            now: clock.source,
            newID: { run }
        )
    }

    static func balances(_ engine: Engine, _ users: [String]) async throws -> [String: Money] {
        var result: [String: Money] = [:]
        for user in users { result[user] = try await engine.user(user).balance }
        return result
    }

    /// Drop a tenth of the notifications, reconcile, and get the balances of in-order delivery exactly; then deliver
    /// the dropped ones late, and the balances do not move.
    @Test(arguments: TestDatabase.available)
    func lostNotificationsAreRepairedExactlyAndTheLateOnesChangeNothing(_ database: TestDatabase) async throws {
        try await Self.dropAndRepair(database) { stories in
            let inventory = StaticInventory()
            inventory.set(stories.compactMap(\.item))
            return inventory
        }
    }

    /// The same through the fake OpenStack's paged listings (four items a page) and ``OpenStackInventory`` over HTTP.
    @Test(arguments: TestDatabase.available)
    func lostNotificationsAreRepairedExactlyFromTheFakeCloudsListings(_ database: TestDatabase) async throws {
        let fake = try await FakeOpenStack.start()
        do {
            fake.maximumPageSize = 4
            try await Self.dropAndRepair(database) { stories in
                for item in stories.compactMap(\.item) { Self.add(item, to: fake) }
                return Self.inventory(fake)
            }
            #expect(fake.requests.filter { $0.path.hasSuffix("/servers/detail") }.count > 2, "paged")
        } catch {
            await fake.shutdown()
            throw error
        }
        await fake.shutdown()
    }

    /// A listing whose second page fails changes nothing of its type (the others are reconciled).
    @Test func aListingFailingOnItsSecondPageChangesNothing() async throws {
        let fake = try await FakeOpenStack.start()
        do {
            fake.maximumPageSize = 1
            try await TestDatabase.sqlite.withStore { store in
                let clock = ManualNow(Self.now)
                let engine = try await Self.engine(store, clock)
                for index in 0..<3 {
                    Self.add(
                        InventoryItem(
                            resourceID: "s\(index)",
                            resourceType: "os.nova.server",
                            userID: "p1",
                            properties: ["flavor": .string("m1.small")],
                            createdAt: Self.t0,
                            updatedAt: Self.t0
                        ),
                        to: fake
                    )
                }
                fake.failNext(1, status: 500, onPathContaining: "/servers/detail", after: 1)
                let run = try await Self.reconciler(Self.inventory(fake), engine, clock, run: "failed").run()
                #expect(!run.isComplete)
                #expect(run.failed.keys.sorted() == ["os.nova.server"])
                #expect(run.findings.isEmpty)
                for index in 0..<3 {
                    #expect(try await store.withTransaction { try await $0.resource("s\(index)") } == nil)
                }
            }
        } catch {
            await fake.shutdown()
            throw error
        }
        await fake.shutdown()
    }

    /// Puts a listed resource in the fake cloud.
    static func add(_ item: InventoryItem, to fake: FakeOpenStack) {
        switch item.resourceType {
        case "os.nova.server":
            fake.addServer(
                item.resourceID,
                project: item.userID,
                flavor: item.properties["flavor"]?.stringValue ?? "m1.small",
                created: item.createdAt ?? Self.t0,
                launchedAt: item.createdAt,
                updated: item.updatedAt
            )
            if item.isDeleted { _ = fake.deleteServerRecord(item.resourceID, terminatedAt: item.deletedAt) }
        default:
            fake.addVolume(
                item.resourceID,
                project: item.userID,
                size: item.properties["size"]?.scalarText.flatMap { Int($0) } ?? 1,
                volumeType: item.properties["volume_type"]?.stringValue,
                createdAt: item.createdAt ?? Self.t0,
                updatedAt: item.updatedAt
            )
        }
    }

    /// The inventory of the fake cloud, through its HTTP listings.
    static func inventory(_ fake: FakeOpenStack) -> OpenStackInventory {
        OpenStackInventory(
            credentials: OpenStackCredentials(
                authURL: fake.authURL,
                username: fake.username,
                password: fake.password,
                projectName: fake.projectName
            ),
            logger: TestDatabase.logger,
            pageSize: 4
        )
    }

    /// Drops a tenth of the notifications of 36 resources, reconciles from `makeInventory`'s listings, and checks
    /// the balances against in-order delivery, before and after the lost notifications arrive late.
    static func dropAndRepair(
        _ database: TestDatabase,
        makeInventory: ([Story]) async throws -> any CloudInventory
    ) async throws {
        var rng = SeededRandomNumberGenerator(seed: 20_261_207)
        let users = (0..<6).map { "p\($0)" }
        var stories: [Story] = []
        for user in users {
            for index in 0..<6 { stories.append(Self.story(index, user: user, rng: &rng)) }
        }
        var kept: [ResourceEvent] = []
        var dropped: [ResourceEvent] = []
        let all = stories.flatMap(\.events)
        let candidates = stories.flatMap { story in story.droppable.map { story.events[$0].messageID } }.shuffled(
            using: &rng
        )
        let lost = Set(candidates.prefix(max(3, all.count / 10)))
        for event in all { if lost.contains(event.messageID) { dropped.append(event) } else { kept.append(event) } }
        try await database.withStore { billedStore in
            try await database.withStore { inOrderStore in
                let clock = ManualNow(Self.now)
                let billed = try await Self.engine(billedStore, clock)
                let inOrder = try await Self.engine(inOrderStore, clock)
                for engine in [billed, inOrder] {
                    for user in users {
                        _ = try await engine.recharge(
                            userID: user,
                            value: Money(integer: 100_000),
                            kind: .recharge,
                            metadata: .object([:])
                        )
                    }
                }
                _ = try await billed.apply(kept.shuffled(using: &rng))
                _ = try await inOrder.apply(all.sorted { $0.time < $1.time })
                let expected = try await Self.balances(inOrder, users)
                #expect(try await Self.balances(billed, users) != expected, "the lost notifications cost something")

                let inventory = try await makeInventory(stories)
                let run = try await Self.reconciler(inventory, billed, clock, run: "run-1").run()
                #expect(run.isComplete)
                #expect(run.findings.count == lost.count)
                #expect(run.findings.allSatisfy { $0.action == .repaired && !$0.estimated })
                #expect(try await Self.balances(billed, users) == expected, "repaired exactly")

                // Recording the same run again changes nothing.
                _ = try await billed.recordReconciliation(run)
                #expect(try await Self.balances(billed, users) == expected)
                // A second pass finds nothing left.
                let second = try await Self.reconciler(inventory, billed, clock, run: "run-2").run()
                #expect(second.findings.isEmpty)

                // The lost notifications arrive late: they supersede the repairs, and nothing moves.
                _ = try await billed.apply(dropped.shuffled(using: &rng))
                #expect(try await Self.balances(billed, users) == expected, "late notifications after the repair")
                let runs = try await billed.listReconciliations(limit: 5)
                #expect(runs.map(\.id) == ["run-2", "run-1"])
            }
        }
    }

    /// A volume gone from the listing without its deletion notification is closed where a run last saw it, flagged
    /// as estimated; its real notification, late, bills it to its real deletion.
    @Test(arguments: TestDatabase.available)
    func aVanishedResourceIsClosedWhereLastSeenThenAtItsRealDeletion(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let clock = ManualNow(Self.t0.adding(seconds: 10_000))
            let engine = try await Self.engine(store, clock)
            let volume: [String: JSONValue] = ["size": .number("20"), "volume_type": .string("ssd")]
            _ = try await engine.apply([
                ResourceEvent(
                    messageID: "v-c",
                    action: .create,
                    resourceType: "os.cinder.volume",
                    resourceID: "v1",
                    userID: "p1",
                    properties: volume,
                    time: Self.t0
                )
            ])
            let inventory = StaticInventory()
            let item = InventoryItem(
                resourceID: "v1",
                resourceType: "os.cinder.volume",
                userID: "p1",
                properties: volume,
                createdAt: Self.t0,
                updatedAt: Self.t0
            )
            inventory.set([item])
            let first = try await Self.reconciler(inventory, engine, clock, run: "seen").run()
            #expect(first.findings.isEmpty)
            // Deleted at 15,000 s; the notification is lost; the next pass at 30,000 s no longer lists it.
            clock.set(Self.t0.adding(seconds: 30_000))
            inventory.set([])
            let second = try await Self.reconciler(inventory, engine, clock, run: "gone").run()
            let finding = try #require(second.findings.first)
            #expect(finding.kind == .vanished && finding.action == .repaired && finding.estimated)
            #expect(finding.effectiveAt == Self.t0.adding(seconds: 10_000))
            // 10,000 s at 2 per hour.
            let costAt = { (seconds: Int64) in
                Money(integer: 1_000_000)
                    - Money(units: Money.roundedQuotient(Int128(seconds) * 2 * Money.unitsPerOne, 3600))
            }
            _ = try await engine.recharge(
                userID: "p1",
                value: Money(integer: 1_000_000),
                kind: .recharge,
                metadata: .object([:])
            )
            #expect(try await engine.user("p1").balance == costAt(10_000))
            let lines = try await store.withTransaction {
                try await $0.consumptions(userID: "p1", overlapping: nil, nil)
            }
            #expect(lines.contains { $0.estimated })
            _ = try await engine.apply([
                ResourceEvent(
                    messageID: "v-d",
                    action: .delete,
                    resourceType: "os.cinder.volume",
                    resourceID: "v1",
                    userID: "p1",
                    properties: [:],
                    time: Self.t0.adding(seconds: 15_000)
                )
            ])
            #expect(try await engine.user("p1").balance == costAt(15_000))
        }
    }

    /// A listing that fails changes nothing of its type; a recent difference is left alone.
    @Test(arguments: TestDatabase.available)
    func aFailedListingChangesNothingAndRecentChangesWait(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let clock = ManualNow(Self.t0.adding(seconds: 10_000))
            let engine = try await Self.engine(store, clock)
            let inventory = StaticInventory()
            inventory.set([
                InventoryItem(
                    resourceID: "s1",
                    resourceType: "os.nova.server",
                    userID: "p1",
                    properties: ["flavor": .string("m1.small")],
                    createdAt: Self.t0,
                    updatedAt: Self.t0
                ),
                InventoryItem(
                    resourceID: "v1",
                    resourceType: "os.cinder.volume",
                    userID: "p1",
                    properties: ["size": .number("20"), "volume_type": .string("ssd")],
                    createdAt: Self.t0.adding(seconds: 9_900),
                    updatedAt: Self.t0.adding(seconds: 9_900)
                ),
            ])
            inventory.fail("os.nova.server")
            let run = try await Self.reconciler(inventory, engine, clock, run: "partial").run()
            #expect(!run.isComplete)
            #expect(run.failed["os.nova.server"] == "page 2: HTTP 500")
            #expect(run.listed["os.cinder.volume"] == 1)
            // The volume appeared 100 s ago, within min_age: its notification may be in flight.
            #expect(run.findings.map(\.action) == [.deferred])
            #expect(try await store.withTransaction { try await $0.resource("s1") } == nil)
            #expect(try await store.withTransaction { try await $0.resource("v1") } == nil)
        }
    }

    /// A repair stands in for a notification: when the real one arrives with another instant or other properties,
    /// it supersedes the repair, and the balance is that of in-order delivery of the real events.
    @Test(arguments: TestDatabase.available)
    func realNotificationsSupersedeTheRepairs(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let clock = ManualNow(Self.t0.adding(seconds: 36_000))
            let engine = try await Self.engine(store, clock)
            _ = try await engine.recharge(
                userID: "p1",
                value: Money(integer: 1000),
                kind: .recharge,
                metadata: .object([:])
            )
            let inventory = StaticInventory()
            // The API says created at 0 s as m1.large, resized at 3,600 s; no notification came.
            inventory.set([
                InventoryItem(
                    resourceID: "s1",
                    resourceType: "os.nova.server",
                    userID: "p1",
                    properties: ["flavor": .string("m1.large")],
                    createdAt: Self.t0,
                    updatedAt: Self.t0.adding(seconds: 3600)
                )
            ])
            let run = try await Self.reconciler(inventory, engine, clock, run: "r").run()
            #expect(run.findings.map(\.kind) == [.missing])
            // Billed as m1.large from 0 s: 10 h at 7.
            #expect(try await engine.user("p1").balance == Money(integer: 930))
            // The real notifications: created at 1,800 s as m1.small, resized to m1.large at 3,600 s.
            _ = try await engine.apply([
                ResourceEvent(
                    messageID: "c",
                    action: .create,
                    resourceType: "os.nova.server",
                    resourceID: "s1",
                    userID: "p1",
                    properties: ["flavor": .string("m1.small")],
                    time: Self.t0.adding(seconds: 1800)
                ),
                ResourceEvent(
                    messageID: "u",
                    action: .update,
                    resourceType: "os.nova.server",
                    resourceID: "s1",
                    userID: "p1",
                    properties: ["flavor": .string("m1.large")],
                    time: Self.t0.adding(seconds: 3600)
                ),
            ])
            // In order: half an hour at 1.5, then 9 h at 7 = 63.75.
            #expect(try await engine.user("p1").balance == (try Money(parsing: "936.25")))
        }
    }
}
