import BileanCore
import BileanTestSupport
import Foundation
import Testing

@testable import BileanNotification

@Suite("ResourceDefinitions")
struct ResourceDefinitionsTests {
    /// The original default file BILEAN.md quotes.
    static let original = """
        - event_type: compute.instance.*.end
          resources:
            - resource_type: os.nova.server
              traits:
                flavor:        {fields: payload.instance_type}
                resource_ref:  {fields: payload.instance_id}
        - event_type: volume.*.end
          resources:
            - resource_type: os.cinder.volume
              traits:
                size:          {fields: payload.size}
                resource_ref:  {fields: payload.volume_id}
        """

    @Test func loadsTheOriginalFormat() throws {
        let definitions = try ResourceDefinitions(yaml: Self.original, source: "original.yaml")
        #expect(definitions.definitions.count == 2)
        let nova = try #require(definitions.definitions.first)
        #expect(nova.line == 1)
        #expect(nova.eventTypes.matches("compute.instance.create.end"))
        let server = try #require(nova.resources.first)
        #expect(server.resourceType == "os.nova.server")
        #expect(server.action == nil)
        #expect(server.resourceRef.paths == [try JSONPath("payload.instance_id")])
        #expect(server.userID.paths == [try JSONPath("payload.tenant_id"), try JSONPath("payload.project_id")])
        #expect(Set(server.properties.keys) == ["flavor"])
        #expect(server.properties["flavor"]?.type == nil)
        #expect(server.times == TimeFields())
        #expect(definitions.definitions[1].line == 7)
        #expect(definitions.matching("volume.resize.end").count == 1)
        #expect(definitions.matching("image.upload").isEmpty)
    }

    @Test func loadsTheRetiredProjectsFile() throws {
        let url = NotificationFixtures.directory.appendingPathComponent("../bilean/resource_definitions.yaml")
            .standardizedFileURL
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            try #require(!NotificationFixtures.isCI, "missing \(url.path)")
            return
        }
        #expect(try ResourceDefinitions(yaml: text, source: url.path).definitions.count == 2)
    }

    @Test func loadsTheExtendedFormat() throws {
        let text = """
            - event_type: [compute.instance.create.end, 'instance.create.*', '!instance.create.error']
              resources:
                - resource_type: os.nova.server
                  action: create
                  traits:
                    resource_ref: {fields: [payload.instance_id, "payload['nova_object.data'].uuid"]}
                    user_id: {fields: payload.project_id}
                    vcpus: {fields: payload.vcpus, type: int}
                    launched: {fields: payload.launched_at, type: datetime}
                  times:
                    start: [payload.launched_at, payload.created_at]
            - event_type: identity.project.deleted
              users:
                - traits:
                    user_id: {fields: payload.resource_info}
                    name: {fields: payload.target.name}
                  times: {end: payload.eventTime}
            """
        let definitions = try ResourceDefinitions(yaml: text, source: "extended.yaml")
        let first = try #require(definitions.definitions.first)
        #expect(first.eventTypes.matches("instance.create.end"))
        #expect(!first.eventTypes.matches("instance.create.error"))
        let server = try #require(first.resources.first)
        #expect(server.action == .create)
        #expect(server.resourceRef.paths.count == 2)
        #expect(server.userID.paths == [try JSONPath("payload.project_id")])
        #expect(server.properties["vcpus"]?.type == .int)
        #expect(server.properties["launched"]?.type == .datetime)
        #expect(server.times.start.count == 2)
        let user = try #require(definitions.definitions.last?.users.first)
        #expect(user.action == nil)
        #expect(user.name?.paths == [try JSONPath("payload.target.name")])
        #expect(user.times.end == [try JSONPath("payload.eventTime")])
    }

    @Test func theShippedDefinitionsLoad() throws {
        let shipped = try ResourceDefinitions.shipped()
        #expect(shipped.definitions.count == 28)
        let types = Set(shipped.definitions.flatMap { $0.resources.map(\.resourceType) })
        #expect(
            types == [
                "os.nova.server", "os.cinder.volume", "os.cinder.snapshot", "os.neutron.floatingip",
                "os.neutron.router", "os.glance.image", "os.octavia.loadbalancer", "os.manila.share",
            ]
        )
        // Every shipped entry says its action: nothing depends on guessing from the event type.
        for definition in shipped.definitions {
            for resource in definition.resources { #expect(resource.action != nil, "line \(definition.line)") }
            for user in definition.users { #expect(user.action != nil, "line \(definition.line)") }
        }
        // No event type is claimed twice.
        for eventType in [
            "compute.instance.create.end", "instance.delete.end", "volume.retype", "image.activate",
            "identity.project.deleted", "floatingip.delete.end", "compute.instance.power_on.end",
            "compute.instance.restore.end", "instance.unshelve.end", "instance.resume.end",
        ] {
            #expect(shipped.matching(eventType).count == 1, "\(eventType)")
        }
    }

    /// A bad file, where its problem is, and the code.
    struct Bad: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var code: DefinitionsError.Code
        var line: Int?
        var column: Int?

        var testDescription: String { self.name }
    }

    static let resource = """
        - event_type: volume.create.end
          resources:
            - resource_type: os.cinder.volume

        """

    static let bad: [Bad] = [
        Bad(name: "empty file", yaml: "", code: .empty, line: nil, column: nil),
        Bad(name: "comments only", yaml: "# nothing\n", code: .empty, line: nil, column: nil),
        Bad(name: "empty list", yaml: "[]", code: .empty, line: 1, column: 1),
        Bad(name: "a mapping at the top", yaml: "event_type: x\n", code: .invalidValue, line: 1, column: 1),
        Bad(
            name: "YAML syntax error",
            yaml: "- event_type: volume.*\n  resources: [\n",
            code: .invalidYAML,
            line: 3,
            column: 1
        ),
        Bad(
            name: "an unquoted glob starting with *",
            yaml: "- event_type: *.end\n",
            code: .invalidYAML,
            line: 1,
            column: 16
        ),
        Bad(
            name: "unknown key in a definition",
            yaml: "- event_type: a.b\n  resource: []\n",
            code: .unknownKey,
            line: 2,
            column: 3
        ),
        Bad(
            name: "unknown key in a trait",
            yaml: resource + "      traits:\n        resource_ref: {field: payload.volume_id}\n",
            code: .unknownKey,
            line: 5,
            column: 24
        ),
        Bad(
            name: "no event_type",
            yaml: "- resources:\n    - resource_type: x\n      traits: {resource_ref: {fields: a}}\n",
            code: .missingKey,
            line: 1,
            column: 3
        ),
        Bad(
            name: "neither resources nor users",
            yaml: "- event_type: a.b\n",
            code: .missingKey,
            line: 1,
            column: 3
        ),
        Bad(
            name: "bad glob",
            yaml: "- event_type: [a.b, 'volume.[cd']\n  users: [{traits: {user_id: {fields: a}}}]\n",
            code: .invalidGlob,
            line: 1,
            column: 21
        ),
        Bad(
            name: "exclusions only",
            yaml: "- event_type: '!volume.*'\n  users: [{traits: {user_id: {fields: a}}}]\n",
            code: .invalidGlob,
            line: 1,
            column: 15
        ),
        Bad(
            name: "empty event_type list",
            yaml: "- event_type: []\n  users: [{traits: {user_id: {fields: a}}}]\n",
            code: .invalidGlob,
            line: 1,
            column: 15
        ),
        Bad(
            name: "empty fields",
            yaml: resource + "      traits:\n        resource_ref: {fields: []}\n",
            code: .emptyFields,
            line: 5,
            column: 32
        ),
        Bad(
            name: "no fields",
            yaml: resource + "      traits:\n        resource_ref: {type: string}\n",
            code: .missingKey,
            line: 5,
            column: 23
        ),
        Bad(
            name: "bad path",
            yaml: resource + "      traits:\n        resource_ref: {fields: 'payload..volume_id'}\n",
            code: .invalidPath,
            line: 5,
            column: 32
        ),
        Bad(
            name: "wildcard path",
            yaml: resource + "      traits:\n        resource_ref:\n          fields: [payload.id, 'payload[*]']\n",
            code: .invalidPath,
            line: 6,
            column: 32
        ),
        Bad(
            name: "bad type",
            yaml: resource + "      traits:\n        resource_ref: {fields: payload.id}\n"
                + "        size: {fields: payload.size, type: integer}\n",
            code: .unknownType,
            line: 6,
            column: 44
        ),
        Bad(
            name: "unknown action",
            yaml: resource + "      action: resize\n      traits: {resource_ref: {fields: payload.id}}\n",
            code: .unknownAction,
            line: 4,
            column: 15
        ),
        Bad(
            name: "unknown user action",
            yaml: "- event_type: a\n  users:\n    - action: update\n      traits: {user_id: {fields: a}}\n",
            code: .unknownAction,
            line: 3,
            column: 15
        ),
        Bad(
            name: "no resource_ref",
            yaml: resource + "      traits:\n        size: {fields: payload.size}\n",
            code: .missingKey,
            line: 5,
            column: 9
        ),
        Bad(
            name: "no user_id for a user",
            yaml: "- event_type: a\n  users:\n    - traits: {name: {fields: a}}\n",
            code: .missingKey,
            line: 3,
            column: 15
        ),
        Bad(
            name: "an unknown user trait",
            yaml: "- event_type: a\n  users:\n    - traits: {user_id: {fields: a}, size: {fields: b}}\n",
            code: .unknownKey,
            line: 3,
            column: 38
        ),
        Bad(
            name: "no resource_type",
            yaml: "- event_type: a\n  resources:\n    - traits: {resource_ref: {fields: a}}\n",
            code: .missingKey,
            line: 3,
            column: 7
        ),
        Bad(
            name: "a number for resource_type",
            yaml: "- event_type: a\n  resources:\n    - resource_type: 12\n      traits: {resource_ref: {fields: a}}\n",
            code: .invalidValue,
            line: 3,
            column: 22
        ),
        Bad(
            name: "a string for traits",
            yaml: resource + "      traits: payload.id\n",
            code: .invalidValue,
            line: 4,
            column: 15
        ),
        Bad(
            name: "a duplicate key",
            yaml: resource + "      traits: {resource_ref: {fields: a}}\n      traits: {resource_ref: {fields: b}}\n",
            code: .duplicateKey,
            line: 4,
            column: 7
        ),
        Bad(
            name: "times.end on a create",
            yaml: resource + "      action: create\n      traits: {resource_ref: {fields: a}}\n"
                + "      times: {end: payload.deleted_at}\n",
            code: .invalidValue,
            line: 3,
            column: 7
        ),
        Bad(
            name: "an unknown times key",
            yaml: resource + "      traits: {resource_ref: {fields: a}}\n      times: {begin: payload.x}\n",
            code: .unknownKey,
            line: 5,
            column: 15
        ),
        Bad(
            name: "an explicit tag",
            yaml: "- event_type: a\n  users: !!set {a: null}\n",
            code: .invalidValue,
            line: 2,
            column: 10
        ),
    ]

    @Test(arguments: bad)
    func aBadFileNamesLineColumnAndReason(_ bad: Bad) {
        do throws(DefinitionsError) {
            _ = try ResourceDefinitions(yaml: bad.yaml, source: "bad.yaml")
            Issue.record("loaded")
        } catch {
            #expect(error.code == bad.code, "\(error)")
            #expect(error.line == bad.line, "\(error)")
            #expect(error.column == bad.column, "\(error)")
            #expect(error.source == "bad.yaml")
            #expect(error.description.hasPrefix("bad.yaml"))
        }
    }

    @Test func theDescriptionIsFileLineColumnReason() {
        let error = DefinitionsError(.unknownKey, "unknown key 'x'", source: "defs.yaml", line: 3, column: 5)
        #expect(error.description == "defs.yaml:3:5: unknown key 'x'")
        #expect(DefinitionsError(.empty, "holds no definitions", source: "d").description == "d: holds no definitions")
    }
}
