import BileanCore
import BileanTestSupport
import Testing

@testable import BileanOpenStack

/// The actions beyond stopping and deleting servers and deleting volumes: starting a server, deleting a Cinder
/// snapshot, a Glance image and a Neutron router, releasing a floating IP; each done, already gone, and retryable
/// when the service fails.
extension OpenStackCloudTests {
    // MARK: Every pair

    @Test func everySupportedPairIsCarriedOut() async throws {
        var pairs = FreezeActions.supported.flatMap { type, kinds in kinds.map { (type, $0) } }
        pairs.append((ResourceType.server.rawValue, .start))
        #expect(Set(pairs.map(\.0)) == Set(ResourceType.allCases.map(\.rawValue)))
        try await Self.withFake { fake, cloud in
            for (index, (typeName, kind)) in pairs.enumerated() {
                let type = try #require(ResourceType(rawValue: typeName))
                let id = "r-\(index)"
                Self.add(type, id, to: fake, stopped: kind == .start)
                let result = try await cloud.perform(Self.action(type, id, kind))
                guard case .done = result else {
                    Issue.record("\(typeName) \(kind): \(result)")
                    continue
                }
                #expect(fake.requests.last.map { (200..<300).contains($0.status) } == true, "\(typeName) \(kind)")
            }
        }
    }

    @Test func everyOtherPairIsNotApplicableWithoutARequest() async throws {
        try await Self.withFake { fake, cloud in
            for type in ResourceType.allCases {
                for kind in CloudAction.Kind.allCases {
                    let supported =
                        FreezeActions.supports(kind, on: type.rawValue) || (type == .server && kind == .start)
                    guard !supported else { continue }
                    let result = try await cloud.perform(Self.action(type, "x", kind))
                    guard case .notApplicable(let reason) = result else {
                        Issue.record("\(type.rawValue) \(kind): \(result)")
                        continue
                    }
                    #expect(reason.hasSuffix("; it is left as it is"))
                }
            }
            #expect(fake.requests.isEmpty)
        }
    }

    // MARK: Nova start

    @Test func startingAStoppedServerRunsIt() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1", state: "SHUTOFF")
            let result = try await cloud.perform(Self.action(.server, "vm-1", .start))
            #expect(result == .done("server started"))
            #expect(fake.serverState("vm-1") == "ACTIVE")
            let request = try #require(fake.requests.last)
            #expect(request.method == "POST")
            #expect(request.path == "/compute/v2.1/servers/vm-1/action")
            #expect(request.status == 202)
        }
    }

    @Test func startingARunningServerLeavesItUnchanged() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1")
            let result = try await cloud.perform(Self.action(.server, "vm-1", .start))
            guard case .unchanged(let text) = result else {
                Issue.record("expected unchanged, got \(result)")
                return
            }
            #expect(text.hasPrefix("server already started (409): "))
            #expect(text.contains("vm_state active"))
            #expect(fake.serverState("vm-1") == "ACTIVE")
        }
    }

    @Test func startingAnUnknownServerIsAlreadyGone() async throws {
        try await Self.withFake { fake, cloud in
            let result = try await cloud.perform(Self.action(.server, "nope", .start))
            #expect(result == .alreadyGone)
            #expect(fake.requests.last?.status == 404)
        }
    }

    @Test func startingDuringANovaOutageIsRetryable() async throws {
        try await Self.withFake { fake, cloud in
            fake.addServer("vm-1", state: "SHUTOFF")
            try await Self.expectRetryable(cloud, Self.action(.server, "vm-1", .start), after: fake, 503, "/servers/")
            #expect(fake.serverState("vm-1") == "SHUTOFF")
            #expect(try await Self.perform(cloud, Self.action(.server, "vm-1", .start)) == .done("server started"))
        }
    }

    // MARK: Cinder snapshots

    @Test func deletingASnapshotRemovesIt() async throws {
        try await Self.withFake { fake, cloud in
            fake.addSnapshot("snap-1")
            let result = try await cloud.perform(Self.action(.snapshot, "snap-1", .delete))
            #expect(result == .done("snapshot deleted"))
            #expect(!fake.snapshotExists("snap-1"))
            let request = try #require(fake.requests.last)
            #expect(request.method == "DELETE")
            #expect(request.path == "/volume/v3/\(fake.projectID)/snapshots/snap-1")
            #expect(request.status == 202)
            #expect(try await Self.perform(cloud, Self.action(.snapshot, "snap-1", .delete)) == .alreadyGone)
            #expect(fake.requests.last?.status == 404)
        }
    }

    @Test(arguments: [400, 409, 503])
    func aSnapshotThatCannotBeDeletedYetIsRetried(status: Int) async throws {
        try await Self.withFake { fake, cloud in
            fake.addSnapshot("snap-1")
            let action = Self.action(.snapshot, "snap-1", .delete)
            try await Self.expectRetryable(cloud, action, after: fake, status, "/snapshots/")
            #expect(fake.snapshotExists("snap-1"))
            #expect(try await Self.perform(cloud, action) == .done("snapshot deleted"))
        }
    }

    // MARK: Glance

    @Test func deletingAnImageRemovesIt() async throws {
        try await Self.withFake { fake, cloud in
            fake.addImage("img-1")
            let result = try await cloud.perform(Self.action(.image, "img-1", .delete))
            #expect(result == .done("image deleted"))
            #expect(!fake.imageExists("img-1"))
            let request = try #require(fake.requests.last)
            #expect(request.method == "DELETE")
            #expect(request.path == "/image/v2/images/img-1")
            #expect(request.status == 204)
            #expect(try await Self.perform(cloud, Self.action(.image, "img-1", .delete)) == .alreadyGone)
            #expect(fake.requests.last?.status == 404)
        }
    }

    @Test func deletingAnImageDuringAGlanceOutageIsRetryable() async throws {
        try await Self.withFake { fake, cloud in
            fake.addImage("img-1")
            let action = Self.action(.image, "img-1", .delete)
            try await Self.expectRetryable(cloud, action, after: fake, 503, "/images/")
            #expect(fake.imageExists("img-1"))
            #expect(try await Self.perform(cloud, action) == .done("image deleted"))
        }
    }

    @Test func aProtectedImageIsNotRetried() async throws {
        try await Self.withFake { fake, cloud in
            fake.addImage("img-1", protected: true)
            let error = await #expect(throws: CloudActionError.self) {
                try await Self.perform(cloud, Self.action(.image, "img-1", .delete))
            }
            #expect(error?.isRetryable == false)
            #expect(error?.message.hasPrefix("Glance answered 403 to the deletion of the image: ") == true)
            #expect(error?.message.contains("is protected and cannot be deleted") == true)
            #expect(error?.message.contains("<br />") == false)
            #expect(fake.imageExists("img-1"))
        }
    }

    // MARK: Neutron floating IPs

    @Test func releasingAFloatingIPGivesItBack() async throws {
        try await Self.withFake { fake, cloud in
            fake.addFloatingIP("fip-1")
            let result = try await cloud.perform(Self.action(.floatingIP, "fip-1", .release))
            #expect(result == .done("floating IP released"))
            #expect(!fake.floatingIPExists("fip-1"))
            let request = try #require(fake.requests.last)
            #expect(request.method == "DELETE")
            #expect(request.path == "/networking/v2.0/floatingips/fip-1")
            #expect(request.status == 204)
            #expect(try await Self.perform(cloud, Self.action(.floatingIP, "fip-1", .release)) == .alreadyGone)
            #expect(fake.requests.last?.status == 404)
        }
    }

    @Test func releasingDuringANeutronOutageIsRetryable() async throws {
        try await Self.withFake { fake, cloud in
            fake.addFloatingIP("fip-1")
            let action = Self.action(.floatingIP, "fip-1", .release)
            try await Self.expectRetryable(cloud, action, after: fake, 503, "/floatingips/")
            #expect(fake.floatingIPExists("fip-1"))
            #expect(try await Self.perform(cloud, action) == .done("floating IP released"))
        }
    }

    // MARK: Neutron routers

    @Test func deletingARouterWithoutSubnetsDeletesIt() async throws {
        try await Self.withFake { fake, cloud in
            fake.addRouter("r-1")
            let result = try await cloud.perform(Self.action(.router, "r-1", .delete))
            #expect(result == .done("router deleted"))
            #expect(fake.routerInterfaces("r-1") == nil)
            let calls = fake.requests.filter { $0.path.hasPrefix("/networking/") }
            #expect(calls.count == 2)
            let listing = try #require(calls.first)
            #expect(listing.method == "GET")
            #expect(listing.path == "/networking/v2.0/ports")
            #expect(listing.query.contains("device_id=r-1"))
            let deletion = try #require(calls.last)
            #expect(deletion.method == "DELETE")
            #expect(deletion.path == "/networking/v2.0/routers/r-1")
            #expect(deletion.status == 204)
        }
    }

    @Test func deletingARouterDetachesItsSubnetsFirst() async throws {
        try await Self.withFake { fake, cloud in
            fake.addRouter("r-1", interfaces: ["port-a", "port-b"])
            let result = try await cloud.perform(Self.action(.router, "r-1", .delete))
            #expect(result == .done("router deleted (after detaching 2 subnets)"))
            #expect(fake.routerInterfaces("r-1") == nil)
            let calls = fake.requests.filter { $0.path.hasPrefix("/networking/") }
            #expect(
                calls.map { "\($0.method) \($0.path) \($0.status)" } == [
                    "GET /networking/v2.0/ports 200",
                    "PUT /networking/v2.0/routers/r-1/remove_router_interface 200",
                    "PUT /networking/v2.0/routers/r-1/remove_router_interface 200",
                    "DELETE /networking/v2.0/routers/r-1 204",
                ]
            )
        }
    }

    @Test func anUnknownRouterIsAlreadyGone() async throws {
        try await Self.withFake { fake, cloud in
            let result = try await cloud.perform(Self.action(.router, "nope", .delete))
            #expect(result == .alreadyGone)
            #expect(fake.requests.last?.status == 404)
        }
    }

    @Test(arguments: [
        ("/ports", ["port-a"], "router deleted (after detaching 1 subnet)"),
        ("/remove_router_interface", ["port-a"], "router deleted (after detaching 1 subnet)"),
        ("/routers/r-1", [], "router deleted"),
    ])
    func deletingARouterDuringANeutronOutageIsRetryable(
        failing fragment: String,
        interfaces: [String],
        done: String
    ) async throws {
        try await Self.withFake { fake, cloud in
            fake.addRouter("r-1", interfaces: interfaces)
            let action = Self.action(.router, "r-1", .delete)
            try await Self.expectRetryable(cloud, action, after: fake, 503, fragment)
            #expect(fake.routerInterfaces("r-1") == interfaces)
            #expect(try await Self.perform(cloud, action) == .done(done))
            #expect(fake.routerInterfaces("r-1") == nil)
        }
    }

    @Test func aRouterStillInUseIsRetried() async throws {
        try await Self.withFake { fake, cloud in
            fake.addRouter("r-1")
            let action = Self.action(.router, "r-1", .delete)
            try await Self.expectRetryable(cloud, action, after: fake, 409, "/routers/r-1")
            #expect(try await Self.perform(cloud, action) == .done("router deleted"))
        }
    }

    // MARK: Endpoints

    @Test func unversionedEndpointsGetTheirVersion() {
        #expect(OpenStackCloud.Service.neutron.root("http://h:9696") == "http://h:9696/v2.0")
        #expect(OpenStackCloud.Service.neutron.root("http://h:9696/v2.0") == "http://h:9696/v2.0")
        #expect(OpenStackCloud.Service.glance.root("http://h/image") == "http://h/image/v2")
        #expect(OpenStackCloud.Service.glance.root("http://h:9292/v2") == "http://h:9292/v2")
        #expect(OpenStackCloud.Service.nova.root("http://h/compute/v2.1") == "http://h/compute/v2.1")
    }

    // MARK: Helpers

    /// Adds a resource of a type to the fake.
    static func add(_ type: ResourceType, _ id: String, to fake: FakeOpenStack, stopped: Bool = false) {
        switch type {
        case .server: fake.addServer(id, state: stopped ? "SHUTOFF" : "ACTIVE")
        case .volume: fake.addVolume(id)
        case .snapshot: fake.addSnapshot(id)
        case .image: fake.addImage(id)
        case .router: fake.addRouter(id, interfaces: ["\(id)-port"])
        case .floatingIP: fake.addFloatingIP(id)
        }
    }

    /// Makes the next request whose path contains `fragment` fail with `status`, and expects the action to throw a
    /// retryable error that quotes the status.
    static func expectRetryable(
        _ cloud: OpenStackCloud,
        _ action: CloudAction,
        after fake: FakeOpenStack,
        _ status: Int,
        _ fragment: String
    ) async throws {
        fake.failNext(1, status: status, onPathContaining: fragment)
        let error = await #expect(throws: CloudActionError.self) {
            try await Self.perform(cloud, action)
        }
        #expect(error?.isRetryable == true)
        #expect(error?.message.contains("answered \(status)") == true)
    }
}
