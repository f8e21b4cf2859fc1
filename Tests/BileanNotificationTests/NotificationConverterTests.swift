import BileanCore
import BileanTestSupport
import Testing

@testable import BileanNotification

@Suite("NotificationConverter")
struct NotificationConverterTests {
    static let timestamp = BillingTime(seconds: 1_795_563_231)

    static func notification(
        _ eventType: String,
        _ payload: [String: JSONValue],
        context: [String: JSONValue] = [:]
    ) -> Notification {
        Notification(
            messageID: "m-1",
            publisherID: "compute.host",
            eventType: eventType,
            priority: "INFO",
            payload: .object(payload),
            timestamp: Self.timestamp,
            context: context
        )
    }

    static func converter(_ yaml: String) throws -> NotificationConverter {
        NotificationConverter(definitions: try ResourceDefinitions(yaml: yaml, source: "test.yaml"))
    }

    static func rejection(
        _ converter: NotificationConverter,
        _ notification: Notification
    ) -> NotificationRejection? {
        do throws(NotificationRejection) {
            _ = try converter.convert(notification)
            return nil
        } catch {
            return error
        }
    }

    static let original = try? converter(ResourceDefinitionsTests.original)

    @Test(arguments: [
        ("compute.instance.create.end", ResourceEvent.Action.create),
        ("compute.instance.finish_resize.end", .update),
        ("compute.instance.delete.end", .delete),
    ])
    func theActionComesFromTheEventType(_ eventType: String, _ action: ResourceEvent.Action) throws {
        let converter = try #require(Self.original)
        let outcome = try converter.convert(
            Self.notification(eventType, ["instance_id": .string("i-1"), "tenant_id": .string("p-1")])
        )
        guard case .facts(let facts) = outcome, case .resource(let event) = facts.first else {
            Issue.record("\(outcome)")
            return
        }
        #expect(event.action == action)
        #expect(event.messageID == "m-1")
        #expect(event.resourceID == "i-1")
        #expect(event.userID == "p-1")
        #expect(event.properties.isEmpty)  // flavor absent: left out, not an error
        #expect(event.time == Self.timestamp)
    }

    @Test func anEventTypeNamingNoActionIsIgnored() throws {
        let converter = try #require(Self.original)
        let outcome = try converter.convert(Self.notification("compute.instance.shutdown.end", [:]))
        #expect(outcome == .ignored(.noAction(definitionLines: [1])))
        #expect(
            try converter.convert(Self.notification("volume.attach.end", [:]))
                == .ignored(.noAction(definitionLines: [7]))
        )
        #expect(outcome.facts.isEmpty)
    }

    @Test func anEventTypeNoDefinitionMatchesIsIgnored() throws {
        let converter = try #require(Self.original)
        #expect(try converter.convert(Self.notification("compute.exists", [:])) == .ignored(.noDefinition))
        #expect(try converter.convert(Self.notification("image.upload", [:])) == .ignored(.noDefinition))
    }

    @Test(arguments: [
        ("volume.create.end", ResourceEvent.Action?.some(.create)),
        ("volume.resize.end", .update),
        ("volume.retype", .update),
        ("volume.extend.end", .update),
        ("compute.instance.update", .update),
        ("identity.project.deleted", .delete),
        ("snapshot.delete.end", .delete),
        ("volume.attach.end", nil),
        ("compute.instance.exists", nil),
    ])
    func inferredActions(_ eventType: String, _ action: ResourceEvent.Action?) {
        #expect(ResourceEvent.Action.inferred(from: eventType) == action)
    }

    @Test func userActionsAreCreateAndDeleteOnly() {
        #expect(UserEvent.Action.inferred(from: "identity.project.created") == .create)
        #expect(UserEvent.Action.inferred(from: "identity.project.deleted") == .delete)
        #expect(UserEvent.Action.inferred(from: "identity.project.updated") == nil)
    }

    @Test func userIDDefaultsToTenantThenProject() throws {
        let converter = try #require(Self.original)
        for payload: [String: JSONValue] in [
            ["instance_id": .string("i-1"), "project_id": .string("p-2")],
            ["instance_id": .string("i-1"), "tenant_id": .null, "project_id": .string("p-2")],
            ["instance_id": .string("i-1"), "tenant_id": .string(""), "project_id": .string("p-2")],
        ] {
            let facts = try converter.convert(Self.notification("compute.instance.create.end", payload)).facts
            guard case .resource(let event) = facts.first else {
                Issue.record("no fact")
                continue
            }
            #expect(event.userID == "p-2")
        }
    }

    @Test func aMissingRequiredTraitNamesTheTraitAndThePathsTried() throws {
        let converter = try #require(Self.original)
        let rejection = try #require(
            Self.rejection(converter, Self.notification("compute.instance.create.end", ["instance_id": .string("i")]))
        )
        #expect(rejection.code == .missingTrait)
        #expect(rejection.messageID == "m-1")
        #expect(rejection.eventType == "compute.instance.create.end")
        #expect(rejection.message.contains("user_id"))
        #expect(rejection.message.contains("payload.tenant_id, payload.project_id"))

        let noID = try #require(
            Self.rejection(converter, Self.notification("compute.instance.create.end", ["tenant_id": .string("p")]))
        )
        #expect(noID.code == .missingTrait)
        #expect(noID.message.contains("resource_ref"))
        #expect(noID.message.contains("payload.instance_id"))
    }

    @Test(arguments: [
        JSONValue.object([:]), .array([.string("i")]), .bool(true), .string("a\u{0}b"), .string("   "),
        .string(String(repeating: "i", count: 256)),
    ])
    func anUnacceptableIDIsRejected(_ id: JSONValue) throws {
        let converter = try #require(Self.original)
        let rejection = try #require(
            Self.rejection(
                converter,
                Self.notification("compute.instance.create.end", ["instance_id": id, "tenant_id": .string("p")])
            )
        )
        #expect(rejection.code == .invalidTrait)
    }

    @Test func aNumericIDBecomesItsText() throws {
        let converter = try #require(Self.original)
        let facts = try converter.convert(
            Self.notification("compute.instance.create.end", ["instance_id": .number("42"), "tenant_id": .number("7")])
        ).facts
        guard case .resource(let event) = facts.first else {
            Issue.record("no fact")
            return
        }
        #expect(event.resourceID == "42")
        #expect(event.userID == "7")
    }

    static let timed = """
        - event_type: thing.*
          resources:
            - resource_type: thing
              traits:
                resource_ref: {fields: payload.id}
                size: {fields: [payload.size, payload.volume_size], type: int}
                ratio: {fields: payload.ratio, type: float}
              times:
                start: payload.launched_at
                end: [payload.deleted_at, payload.terminated_at]
        """

    func event(_ eventType: String, _ payload: [String: JSONValue]) throws -> ResourceEvent? {
        let converter = try Self.converter(Self.timed)
        var full = payload
        full["id"] = .string("t-1")
        full["tenant_id"] = .string("p-1")
        guard case .resource(let event) = try converter.convert(Self.notification(eventType, full)).facts.first
        else { return nil }
        return event
    }

    @Test func timesComeFromThePayloadElseTheTimestamp() throws {
        let created = try self.event("thing.create.end", ["launched_at": .string("2012-05-08 20:23:47.985999")])
        #expect(created?.time.iso8601 == "2012-05-08T20:23:47.985999Z")
        let updated = try self.event("thing.update.end", ["launched_at": .string("2016-03-07T16:23:09+02:00")])
        #expect(updated?.time.iso8601 == "2016-03-07T14:23:09.000000Z")
        let deleted = try self.event(
            "thing.delete.end",
            ["deleted_at": .string(""), "terminated_at": .string("2016-08-17T15:10:33.008164")]
        )
        #expect(deleted?.time.iso8601 == "2016-08-17T15:10:33.008164Z")
        let deletedAt = try self.event(
            "thing.delete.end",
            ["deleted_at": .string("2016-08-17T15:10:33Z"), "terminated_at": .string("2016-08-17T15:10:34Z")]
        )
        #expect(deletedAt?.time.iso8601 == "2016-08-17T15:10:33.000000Z")
        let noTime = try self.event(
            "thing.delete.end",
            ["deleted_at": .null, "launched_at": .string("2016-01-01 00:00:00")]
        )
        #expect(noTime?.time == Self.timestamp)
        let createdNoTime = try self.event("thing.create.end", ["launched_at": .string("")])
        #expect(createdNoTime?.time == Self.timestamp)
    }

    @Test func aTimeFieldThatIsNotATimeIsRejected() throws {
        let converter = try Self.converter(Self.timed)
        for value: JSONValue in [.string("yesterday"), .number("1795563231"), .object([:])] {
            let rejection = try #require(
                Self.rejection(
                    converter,
                    Self.notification(
                        "thing.create.end",
                        ["id": .string("t"), "tenant_id": .string("p"), "launched_at": value]
                    )
                )
            )
            #expect(rejection.code == .invalidTime)
            #expect(rejection.message.contains("payload.launched_at"))
        }
    }

    @Test func typedPropertiesAreExact() throws {
        let event = try self.event(
            "thing.create.end",
            ["volume_size": .string("40"), "ratio": .number("0.10000000000000000001")]
        )
        #expect(event?.properties == ["size": .number("40"), "ratio": .number("0.10000000000000000001")])
    }

    @Test func theFirstPathFoundDecidesEvenIfItDoesNotConvert() throws {
        let converter = try Self.converter(Self.timed)
        let rejection = try #require(
            Self.rejection(
                converter,
                Self.notification(
                    "thing.create.end",
                    [
                        "id": .string("t"), "tenant_id": .string("p"), "size": .string("1.5"),
                        "volume_size": .number("2"),
                    ]
                )
            )
        )
        #expect(rejection.code == .invalidTrait)
        #expect(rejection.message.contains("size"))
        #expect(rejection.message.contains("payload.size"))
    }

    @Test func everyMatchingDefinitionContributesInFileOrder() throws {
        let converter = try Self.converter(
            """
            - event_type: 'volume.*'
              resources:
                - resource_type: os.cinder.volume
                  traits: {resource_ref: {fields: payload.volume_id}}
            - event_type: [volume.create.end]
              resources:
                - resource_type: audit.volume
                  action: update
                  traits: {resource_ref: {fields: payload.volume_id}, user_id: {fields: _context_project_id}}
              users:
                - action: create
                  traits: {user_id: {fields: payload.tenant_id}}
            """
        )
        let outcome = try converter.convert(
            Self.notification(
                "volume.create.end",
                ["volume_id": .string("v-1"), "tenant_id": .string("p-1")],
                context: ["project_id": .string("caller")]
            )
        )
        #expect(
            outcome
                == .facts([
                    .resource(
                        ResourceEvent(
                            messageID: "m-1",
                            action: .create,
                            resourceType: "os.cinder.volume",
                            resourceID: "v-1",
                            userID: "p-1",
                            properties: [:],
                            time: Self.timestamp
                        )
                    ),
                    .resource(
                        ResourceEvent(
                            messageID: "m-1",
                            action: .update,
                            resourceType: "audit.volume",
                            resourceID: "v-1",
                            userID: "caller",
                            properties: [:],
                            time: Self.timestamp
                        )
                    ),
                    .user(UserEvent(messageID: "m-1", action: .create, userID: "p-1", time: Self.timestamp)),
                ])
        )
    }

    @Test func oneBadEntryRejectsTheWholeNotification() throws {
        let converter = try Self.converter(
            """
            - event_type: volume.create.end
              resources:
                - resource_type: a
                  traits: {resource_ref: {fields: payload.volume_id}}
                - resource_type: b
                  traits: {resource_ref: {fields: payload.missing}}
            """
        )
        let rejection = Self.rejection(
            converter,
            Self.notification("volume.create.end", ["volume_id": .string("v"), "tenant_id": .string("p")])
        )
        #expect(rejection?.code == .missingTrait)
    }

    @Test func userEvents() throws {
        let converter = NotificationConverter(definitions: try ResourceDefinitions.shipped())
        let created = try converter.convert(
            Self.notification(
                "identity.project.created",
                ["resource_info": .string("p-9"), "target": .object(["id": .string("x"), "name": .string("demo")])]
            )
        )
        #expect(
            created
                == .facts([
                    .user(
                        UserEvent(messageID: "m-1", action: .create, userID: "p-9", name: "demo", time: Self.timestamp)
                    )
                ])
        )
        let badName = Self.rejection(
            converter,
            Self.notification(
                "identity.project.deleted",
                ["resource_info": .string("p-9"), "target": .object(["name": .object([:])])]
            )
        )
        #expect(badName?.code == .invalidTrait)
        let noID = Self.rejection(converter, Self.notification("identity.project.deleted", ["target": .object([:])]))
        #expect(noID?.code == .missingTrait)
        #expect(noID?.message.contains("payload.resource_info, payload.target.id") == true)
        // identity.project.updated is no user action.
        #expect(
            try converter.convert(Self.notification("identity.project.updated", ["resource_info": .string("p")]))
                == .ignored(.noDefinition)
        )
    }

    @Test func neutronDeletionsFallBackToTheContextProject() throws {
        let converter = NotificationConverter(definitions: try ResourceDefinitions.shipped())
        let withContext = try converter.convert(
            Self.notification(
                "router.delete.end",
                ["router_id": .string("r-1")],
                context: ["project_id": .string("p-1")]
            )
        )
        guard case .resource(let event) = withContext.facts.first else {
            Issue.record("\(withContext)")
            return
        }
        #expect(event.userID == "p-1")
        #expect(event.action == .delete)
        // Without a context (oslo.messaging ≥ 14.4 may drop it), the owner is unknown: rejected, not guessed.
        let rejection = Self.rejection(converter, Self.notification("router.delete.end", ["router_id": .string("r-1")]))
        #expect(rejection?.code == .missingTrait)
    }

    // MARK: Restarts

    /// A legacy restart built from the fixture of a reverted resize (Nova's legacy payload is the same for every
    /// instance action): only the event type changes.
    @Test(
        .enabled(if: NotificationFixtures.isAvailable || NotificationFixtures.isCI),
        arguments: [
            "compute.instance.power_on.end", "compute.instance.resume.end", "compute.instance.unshelve.end",
            "compute.instance.unpause.end", "compute.instance.restore.end",
        ]
    )
    func aLegacyRestartIsAnUpdateAtTheSameFlavor(_ eventType: String) throws {
        try #require(NotificationFixtures.isAvailable, "the fixtures are missing (BILEAN_FIXTURES_DIR)")
        let raw = try NotificationFixtures.bytes("nova/compute.instance.resize.revert.end.ceilometer.json")
        guard case .object(var object) = try ExactJSONReader.parse(raw, maximumDepth: 100) else {
            Issue.record("the fixture is not a JSON object")
            return
        }
        object["event_type"] = .string(eventType)
        let notification = try NotificationParser().parse(JSONText.write(.object(object)))
        let converter = NotificationConverter(definitions: try ResourceDefinitions.shipped())
        let expected = ResourceEvent(
            messageID: "c48deeba-d0c3-4154-b3db-47480b52267a",
            action: .update,
            resourceType: "os.nova.server",
            resourceID: "648e8963-6886-4c3c-98f9-4511c292f86b",
            userID: "cea4b25edb484e5392727181b7721d29",
            properties: ["flavor": .string("m1.tiny")],
            // The notification's time, not launched_at (2013-01-04T15:10:14): Nova keeps the first launch's.
            time: try BillingTime(parsing: "2013-01-04T15:20:32.009532Z")
        )
        #expect(try converter.convert(notification) == .facts([.resource(expected)]))
    }

    /// Nova's versioned power-on sample: an update at the sample's flavor, at the notification's time.
    @Test(.enabled(if: NotificationFixtures.isAvailable || NotificationFixtures.isCI))
    func aVersionedPowerOnIsAnUpdateAtTheSameFlavor() throws {
        try #require(NotificationFixtures.isAvailable, "the fixtures are missing (BILEAN_FIXTURES_DIR)")
        let file = "nova/instance.power_on.end.nova-sample.json"
        let (body, _) = try NotificationFixtures.body(file)
        let notification = try NotificationParser().parse(body)
        #expect(notification.eventType == "instance.power_on.end")
        let converter = NotificationConverter(definitions: try ResourceDefinitions.shipped())
        let expected = ResourceEvent(
            messageID: NotificationFixtures.sampleMessageID(file),
            action: .update,
            resourceType: "os.nova.server",
            resourceID: "178b0921-8f85-4257-88b6-2e743b5a975c",
            userID: "6f70656e737461636b20342065766572",
            properties: ["flavor": .string("test_flavor")],
            time: try BillingTime(parsing: "2026-01-01T00:00:00Z")
        )
        #expect(try converter.convert(notification) == .facts([.resource(expected)]))
        // Its start is not a restart yet.
        let (start, _) = try NotificationFixtures.body("nova/instance.power_on.start.nova-sample.json")
        #expect(try converter.convert(try NotificationParser().parse(start)) == .ignored(.noDefinition))
    }
}
