import BileanCore
import BileanTestSupport
import Foundation
import Testing

@testable import BileanNotification

/// Every file under `../shared/fixtures/notifications/`, through the parser and the shipped definitions, against a
/// table of what it must give: the exact billing facts, or why it is ignored or rejected. A file missing from the
/// table fails, and so does an entry for a file that is not there.
@Suite("Fixture table", .enabled(if: NotificationFixtures.isAvailable || NotificationFixtures.isCI))
struct FixtureTableTests {
    /// What a fixture must give.
    enum Expected: Sendable, Hashable {
        case facts([BillingFact])
        case ignored(IgnoredReason)
        case rejected(NotificationRejection.Code)
    }

    struct Entry: Sendable {
        var path: String
        var expected: Expected
        /// Why, for a human reading the table.
        var why: String
    }

    // MARK: Table helpers

    static func time(_ text: String) -> BillingTime {
        do {
            return try BillingTime(parsing: text)
        } catch {
            preconditionFailure("bad time in the table: \(text)")
        }
    }

    static func resource(
        _ action: ResourceEvent.Action,
        _ type: String,
        id: String,
        user: String,
        _ properties: [String: JSONValue] = [:],
        at time: String,
        message: String
    ) -> BillingFact {
        .resource(
            ResourceEvent(
                messageID: message,
                action: action,
                resourceType: type,
                resourceID: id,
                userID: user,
                properties: properties,
                time: self.time(time)
            )
        )
    }

    static func user(
        _ action: UserEvent.Action,
        _ id: String,
        name: String? = nil,
        at time: String,
        message: String
    ) -> BillingFact {
        .user(UserEvent(messageID: message, action: action, userID: id, name: name, time: self.time(time)))
    }

    static func billed(_ path: String, _ why: String, _ facts: BillingFact...) -> [Entry] {
        [Entry(path: path, expected: .facts(facts), why: why)]
    }

    static func ignored(_ why: String, _ paths: String...) -> [Entry] {
        paths.map { Entry(path: $0, expected: .ignored(.noDefinition), why: why) }
    }

    static func rejected(_ code: NotificationRejection.Code, _ why: String, _ paths: [String]) -> [Entry] {
        paths.map { Entry(path: $0, expected: .rejected(code), why: why) }
    }

    /// A nova doc sample: `nova/<name>` (with `$ref` links) and `nova/resolved/<name>` give the same.
    static func novaSample(_ name: String, _ why: String, _ facts: BillingFact...) -> [Entry] {
        ["nova/" + name, "nova/resolved/" + name].map {
            Entry(path: $0, expected: facts.isEmpty ? .ignored(.noDefinition) : .facts(facts), why: why)
        }
    }

    static func novaSamplesIgnored(_ why: String, _ names: String...) -> [Entry] {
        names.flatMap { self.novaSample($0 + ".nova-sample.json", why) }
    }

    static let sampleTime = "2026-01-01T00:00:00Z"

    /// Versioned restarts of the sample server (powered on, restored, resumed, unpaused, unshelved): an update at its
    /// flavor, at the notification timestamp (Nova keeps `launched_at`), so that a FROZEN project's restart is seen.
    static func novaSamplesRestarted(_ eventTypes: String...) -> [Entry] {
        eventTypes.flatMap { eventType in
            self.novaSample(
                eventType + ".nova-sample.json",
                "a server started again: the same flavor, at the notification timestamp",
                self.resource(
                    .update,
                    "os.nova.server",
                    id: self.novaSampleServer,
                    user: self.novaSampleProject,
                    ["flavor": .string("test_flavor")],
                    at: self.sampleTime,
                    message: "sample:\(eventType).nova-sample.json"
                )
            )
        }
    }

    // MARK: The table

    static let novaSampleServer = "178b0921-8f85-4257-88b6-2e743b5a975c"
    static let novaSampleProject = "6f70656e737461636b20342065766572"

    static let table: [Entry] = groups.flatMap { $0 }

    static let groups: [[Entry]] = [
        // Not notifications at all.
        rejected(.invalidJSON, "documentation, not a message body", ["ENVELOPE.md", "SOURCES.md"]),
        rejected(
            .missingField,
            "capture metadata and nova's common payloads are not notifications (no message_id)",
            ["envelope/capture-meta.json"]
                + [
                    "AggregatePayload", "AuditPeriodPayload", "BlockDevicePayload", "ComputeTaskPayload",
                    "ExceptionPayload", "FlavorPayload", "ImageMetaPayload", "ImageMetaPropsPayload",
                    "InstanceActionPayload", "InstanceActionPayloadShareActive", "InstanceActionPayloadShareInactive",
                    "InstanceActionRebuildPayload", "InstanceActionRescuePayload", "InstanceActionResizePrepPayload",
                    "InstanceActionSharePayload", "InstanceActionSnapshotPayload", "InstanceActionVolumePayload",
                    "InstanceActionVolumeSwapPayload", "InstanceCreatePayload", "InstanceExistsPayload",
                    "InstanceNUMACellPayload", "InstanceNUMATopologyPayload", "InstancePCIRequestsPayload",
                    "InstancePayload", "InstancePayloadShareActive", "InstancePayloadShareInactive",
                    "InstanceUpdatePayload", "IpPayload", "KeypairPayload", "RequestSpecPayload",
                    "ServerGroupPayload", "ServiceStatusPayload", "ShareActivePayload", "ShareInactivePayload",
                ].map { "nova/common_payloads/\($0).json" }
        ),

        // The AMQP bodies captured on the wire (oslo 2.0 envelope).
        billed(
            "envelope/compute.instance.create.end.designate-payload.amqp-body.json",
            "legacy Nova creation, billed from launched_at",
            resource(
                .create,
                "os.nova.server",
                id: "3e301a55-fbbe-478d-92d0-eefabf135c38",
                user: "33a88272e06a49c1a0f653abc374b56b",
                ["flavor": .string("m1.tiny")],
                at: "2012-11-03T17:54:48.514631Z",
                message: "9496cc35-c339-4dbb-82bc-fcca440c7bc5"
            )
        ),
        billed(
            "envelope/identity.project.created.keystone-docs-payload.amqp-body.json",
            "Keystone CADF creation: resource_info before target.id, at eventTime",
            user(
                .create,
                "671da331c47d4e29bb6ea1d270154ec3",
                at: "2014-02-14T01:20:47.932842Z",
                message: "63e8efbf-dd2a-4f8c-be61-e556de0b645a"
            )
        ),
        billed(
            "envelope/identity.project.created.keystone30-basic.amqp-body.json",
            "Keystone basic creation, at the notification timestamp",
            user(
                .create,
                "b04d2fe256db45db9f4ab4ab4c035080",
                at: "2026-11-24T23:35:25.746914Z",
                message: "8aff1498-1f7d-4897-b89a-76c58c1a1c14"
            )
        ),
        billed(
            "envelope/identity.project.deleted.keystone30-cadf.amqp-body.json",
            "Keystone CADF deletion, at eventTime",
            user(
                .delete,
                "b02beb63d4194dc2bc59c8f464ed5e29",
                at: "2026-11-24T23:35:41.856086Z",
                message: "0d9e61ce-6e56-4c9e-a1a2-0f0d9b30bd50"
            )
        ),
        billed(
            "envelope/image.upload.glance33.amqp-body.json",
            "Glance upload: the image is billed by its size in bytes from the upload",
            resource(
                .create,
                "os.glance.image",
                id: "4f237cd5-d48f-4e99-9888-7e8448410ab7",
                user: "a0d618ac552a4bebb0cba7b9b754b048",
                ["size": .number("1048576")],
                at: "2026-11-24T23:37:37.490046Z",
                message: "fcfa5451-2e5d-48a6-ba5b-c26f69e7df75"
            )
        ),
        billed(
            "envelope/instance.create.end.nova-sample-payload.amqp-body.json",
            "versioned Nova creation, data under nova_object.data",
            resource(
                .create,
                "os.nova.server",
                id: novaSampleServer,
                user: novaSampleProject,
                ["flavor": .string("test_flavor")],
                at: "2012-10-29T13:42:11Z",
                message: "cea580f7-d49e-45aa-a8cc-cd3dffbdf77f"
            )
        ),
        billed(
            "envelope/volume.create.end.searchlight-payload.amqp-body.json",
            "Cinder volume creation, billed from launched_at",
            resource(
                .create,
                "os.cinder.volume",
                id: "f54b1d2f-4514-4688-8da7-4bc66767b6be",
                user: "1816a16093df465dbc609cf638422a05",
                ["size": .number("1"), "volume_type": .string("3706aa72-cb65-4971-83e8-48e1477efd1d")],
                at: "2016-03-07T16:23:09.145721Z",
                message: "03b70134-d7de-4d71-a52b-24e07bb9c598"
            )
        ),

        // Cinder.
        billed(
            "cinder/snapshot.create.end.searchlight.json",
            "snapshot creation: size is the volume's, at the notification timestamp (no launched_at)",
            resource(
                .create,
                "os.cinder.snapshot",
                id: "56f91625-2fc5-4e4a-8284-4bfd3b3a1914",
                user: "75c31cdaa3604b76b7e279de50aec9f0",
                ["size": .number("1")],
                at: "2016-03-07T17:24:50.341379Z",
                message: "7448eb33-6eee-4a52-8e70-9bb9edea8057"
            )
        ),
        billed(
            "cinder/snapshot.delete.end.searchlight.json",
            "snapshot deletion, at the notification timestamp",
            resource(
                .delete,
                "os.cinder.snapshot",
                id: "56f91625-2fc5-4e4a-8284-4bfd3b3a1914",
                user: "75c31cdaa3604b76b7e279de50aec9f0",
                at: "2016-03-07T17:25:44.014014Z",
                message: "6661d08d-ee17-414a-847f-e24c4e58fcf9"
            )
        ),
        ignored(
            "attaching, detaching or renaming a volume changes no price",
            "cinder/volume.attach.end.searchlight.json",
            "cinder/volume.detach.end.searchlight.json",
            "cinder/volume.update.end.searchlight.json"
        ),
        billed(
            "cinder/volume.create.end.searchlight.json",
            "volume creation, billed from launched_at",
            resource(
                .create,
                "os.cinder.volume",
                id: "f54b1d2f-4514-4688-8da7-4bc66767b6be",
                user: "1816a16093df465dbc609cf638422a05",
                ["size": .number("1"), "volume_type": .string("3706aa72-cb65-4971-83e8-48e1477efd1d")],
                at: "2016-03-07T16:23:09.145721Z",
                message: "771e22da-cd5b-4ecd-8475-dc74e7b87e80"
            )
        ),
        billed(
            "cinder/volume.delete.end.searchlight.json",
            "volume deletion: Cinder sends no deletion time, so the notification timestamp",
            resource(
                .delete,
                "os.cinder.volume",
                id: "342b0875-2c7a-48b7-a391-f4d6ea8987c0",
                user: "1816a16093df465dbc609cf638422a05",
                at: "2016-03-07T16:24:45.157255Z",
                message: "59d7cfbb-51dd-4dab-804c-e0c60aa67518"
            )
        ),
        billed(
            "cinder/volume.retype.searchlight.json",
            "retype re-prices the volume with its new type, at the notification timestamp",
            resource(
                .update,
                "os.cinder.volume",
                id: "f54b1d2f-4514-4688-8da7-4bc66767b6be",
                user: "1816a16093df465dbc609cf638422a05",
                ["size": .number("1"), "volume_type": .string("a16c8514-616f-4d40-baf7-eb8c8fb18677")],
                at: "2016-03-07T16:24:45.157255Z",
                message: "59d7cfbb-51dd-4dab-804c-e0c60aa67518"
            )
        ),

        // Glance.
        billed(
            "glance/image.activate.glance33.json",
            "activation after the upload: a second create, which re-prices at the same size",
            resource(
                .create,
                "os.glance.image",
                id: "4f237cd5-d48f-4e99-9888-7e8448410ab7",
                user: "a0d618ac552a4bebb0cba7b9b754b048",
                ["size": .number("1048576")],
                at: "2026-11-24T23:37:37.491055Z",
                message: "82dfc18f-122b-4459-9334-3fdaf0b884a6"
            )
        ),
        ignored(
            "an image is billed once its data is stored: image.create has no size yet",
            "glance/image.create.glance33.json",
            "glance/image.create.searchlight.json"
        ),
        billed(
            "glance/image.delete.glance33.json",
            "image deletion at deleted_at",
            resource(
                .delete,
                "os.glance.image",
                id: "4f237cd5-d48f-4e99-9888-7e8448410ab7",
                user: "a0d618ac552a4bebb0cba7b9b754b048",
                at: "2026-11-24T23:37:37Z",
                message: "bceb22b7-ae06-45b7-84f8-5a10f9078c33"
            )
        ),
        billed(
            "glance/image.delete.searchlight.json",
            "image deletion at deleted_at (later than the notification's timestamp in this capture)",
            resource(
                .delete,
                "os.glance.image",
                id: "7ba7087c-b81e-4807-b0e3-dd851f334add",
                user: "e9869fa1d7584b91b3f88c25193116e7",
                at: "2015-09-01T10:02:43Z",
                message: "71949af5-24af-403b-a115-109eadcee9c4"
            )
        ),
        ignored(
            "preparing an upload or editing an image's metadata changes no price",
            "glance/image.prepare.glance33.json",
            "glance/image.update.glance33-active.json",
            "glance/image.update.glance33-saving.json",
            "glance/image.update.searchlight.json"
        ),
        billed(
            "glance/image.upload.glance33.json",
            "image upload: billed by size in bytes",
            resource(
                .create,
                "os.glance.image",
                id: "4f237cd5-d48f-4e99-9888-7e8448410ab7",
                user: "a0d618ac552a4bebb0cba7b9b754b048",
                ["size": .number("1048576")],
                at: "2026-11-24T23:37:37.490046Z",
                message: "fcfa5451-2e5d-48a6-ba5b-c26f69e7df75"
            )
        ),

        // Keystone.
        billed(
            "keystone/identity.project.created.keystone-docs-cadf.json",
            "CADF creation (docs): resource_info, not the 'openstack:'-prefixed target.id",
            user(
                .create,
                "671da331c47d4e29bb6ea1d270154ec3",
                at: "2014-02-14T01:20:47.932842Z",
                message: "0156ee79-b35f-4cef-ac37-d4a85f231c69"
            )
        ),
        billed(
            "keystone/identity.project.created.keystone30-basic.json",
            "basic creation, at the notification timestamp",
            user(
                .create,
                "b04d2fe256db45db9f4ab4ab4c035080",
                at: "2026-11-24T23:35:25.746914Z",
                message: "8aff1498-1f7d-4897-b89a-76c58c1a1c14"
            )
        ),
        billed(
            "keystone/identity.project.created.keystone30-cadf.json",
            "CADF creation, at eventTime; the initiator (the admin) is not the project",
            user(
                .create,
                "b02beb63d4194dc2bc59c8f464ed5e29",
                at: "2026-11-24T23:35:41.605918Z",
                message: "a8b1fde9-e0ec-4c33-87e2-ae50113b6894"
            )
        ),
        billed(
            "keystone/identity.project.deleted.hermes-docs.json",
            "CADF deletion with the project's name in target.name",
            user(
                .delete,
                "d2eec974d849446da1715923e60d0b3b",
                name: "temp_project",
                at: "2017-04-20T11:28:32.521298Z",
                message: "d4f88c45-5fea-4013-80ec-2d357eab37c3"
            )
        ),
        billed(
            "keystone/identity.project.deleted.hermes-mock.json",
            "CADF deletion, lower-case priority",
            user(
                .delete,
                "b3b70c8271a845709f9a03030e705da7",
                at: "2017-05-02T12:02:46.726056Z",
                message: "5a32c2f3-2996-4f46-819c-6197cf06037e"
            )
        ),
        billed(
            "keystone/identity.project.deleted.keystone30-basic.json",
            "basic deletion, at the notification timestamp",
            user(
                .delete,
                "b04d2fe256db45db9f4ab4ab4c035080",
                at: "2026-11-24T23:35:26.106227Z",
                message: "d6a6c8a8-aab7-4ae7-9480-26ee8d4db2ae"
            )
        ),
        billed(
            "keystone/identity.project.deleted.keystone30-cadf.json",
            "CADF deletion, at eventTime",
            user(
                .delete,
                "b02beb63d4194dc2bc59c8f464ed5e29",
                at: "2026-11-24T23:35:41.856086Z",
                message: "0d9e61ce-6e56-4c9e-a1a2-0f0d9b30bd50"
            )
        ),
        ignored(
            "renaming a project or creating a Keystone user (not a project) changes no account",
            "keystone/identity.project.updated.keystone30-basic.json",
            "keystone/identity.project.updated.keystone30-cadf.json",
            "keystone/identity.user.created.keystone-docs-basic.json"
        ),

        // Neutron.
        billed(
            "neutron/floatingip.create.end.searchlight.json",
            "floating IP creation (flat rate: no properties), at the notification timestamp",
            resource(
                .create,
                "os.neutron.floatingip",
                id: "1a124625-4c71-4d20-a65b-3cf34465dab2",
                user: "5fe7c4e4e492490393c674089a178e19",
                at: "2016-06-14T19:45:48.649772Z",
                message: "0e9b345b-d664-4900-aa16-6cac8dfd6bd1"
            )
        ),
        billed(
            "neutron/floatingip.delete.end.searchlight.json",
            "floating IP deletion: the payload holds only the id, the owner comes from _context_project_id",
            resource(
                .delete,
                "os.neutron.floatingip",
                id: "1a124625-4c71-4d20-a65b-3cf34465dab2",
                user: "5fe7c4e4e492490393c674089a178e19",
                at: "2016-06-14T20:11:34.064247Z",
                message: "e9495361-c04d-4350-94d2-478ef7e49804"
            )
        ),
        ignored(
            "the start of a deletion, an audit record, or (dis)associating a floating IP changes no price",
            "neutron/floatingip.delete.start.designate.json",
            "neutron/floatingip.exists.ceilometer.json",
            "neutron/floatingip.update.end.designate-associate.json",
            "neutron/floatingip.update.end.designate-disassociate.json",
            "neutron/floatingip.update.end.searchlight-floatingip-associate-end.json",
            "neutron/floatingip.update.end.searchlight-floatingip-disassociate-end.json"
        ),
        ignored(
            "networks and ports are not billed",
            "neutron/network.create.end.ceilometer.json",
            "neutron/network.create.end.searchlight.json",
            "neutron/network.delete.end.searchlight.json",
            "neutron/network.update.end.searchlight.json",
            "neutron/port.create.end.ceilometer.json",
            "neutron/port.create.end.designate.json",
            "neutron/port.create.end.searchlight-instance-create-port-create-end.json",
            "neutron/port.create.end.searchlight.json",
            "neutron/port.delete.end.designate.json",
            "neutron/port.delete.end.searchlight.json",
            "neutron/port.update.end.searchlight-port_attach.json",
            "neutron/port.update.end.searchlight-port_detach.json"
        ),
        billed(
            "neutron/router.create.end.searchlight.json",
            "router creation (flat rate), at the notification timestamp",
            resource(
                .create,
                "os.neutron.router",
                id: "0b143748-44d2-4545-9230-864c3abbc786",
                user: "5fe7c4e4e492490393c674089a178e19",
                at: "2016-03-13T23:36:25.145439Z",
                message: "0d408f9c-d996-40b5-98fe-738765ae093d"
            )
        ),
        billed(
            "neutron/router.delete.end.searchlight.json",
            "router deletion: the owner comes from _context_project_id",
            resource(
                .delete,
                "os.neutron.router",
                id: "0b143748-44d2-4545-9230-864c3abbc786",
                user: "5fe7c4e4e492490393c674089a178e19",
                at: "2016-03-14T00:44:57.126816Z",
                message: "56428f7d-3f07-4b23-882d-612d8852e422"
            )
        ),
        ignored(
            "router interfaces, gateways and renames change no flat rate",
            "neutron/router.interface.create.searchlight.json",
            "neutron/router.interface.delete.searchlight.json",
            "neutron/router.update.end.searchlight-router-gateway-set.json",
            "neutron/router.update.end.searchlight.json"
        ),

        // Nova, legacy notifications.
        billed(
            "nova/compute.instance.create.end.ceilometer.json",
            "creation at launched_at, not created_at",
            resource(
                .create,
                "os.nova.server",
                id: "9f9d01b9-4a58-4271-9e27-398b21ab20d1",
                user: "7c150a59fe714e6f9263774af9688f0e",
                ["flavor": .string("m1.tiny")],
                at: "2012-05-08T20:23:47.985999Z",
                message: "dae6f69c-00e0-41c0-b371-41ec3b7f4451"
            )
        ),
        billed(
            "nova/compute.instance.create.end.designate-2.json",
            "creation at launched_at",
            resource(
                .create,
                "os.nova.server",
                id: "c71977ac-d2e3-479f-8549-3c56a2bfa24a",
                user: "33a88272e06a49c1a0f653abc374b56b",
                ["flavor": .string("m1.tiny")],
                at: "2012-11-03T17:54:48.514631Z",
                message: "1b378216-3f76-46db-9989-933172c1d4b2"
            )
        ),
        billed(
            "nova/compute.instance.create.end.designate.json",
            "creation at launched_at",
            resource(
                .create,
                "os.nova.server",
                id: "3e301a55-fbbe-478d-92d0-eefabf135c38",
                user: "33a88272e06a49c1a0f653abc374b56b",
                ["flavor": .string("m1.tiny")],
                at: "2012-11-03T17:54:48.514631Z",
                message: "af100d58-7a9c-41a1-9311-8c52b44ca294"
            )
        ),
        billed(
            "nova/compute.instance.create.end.watcher.json",
            "creation at launched_at (ISO form without zone)",
            resource(
                .create,
                "os.nova.server",
                id: "c03c0bf9-f46e-4e4f-93f1-817568567ee2",
                user: "57ab04ad6d3b495789a58258bc00842b",
                ["flavor": .string("m1.tiny")],
                at: "2016-08-19T10:20:59.135390Z",
                message: "577bfd11-88e0-4044-b8ae-496e3257efe2"
            )
        ),
        ignored(
            "the start of a creation or deletion bills nothing: the .end does",
            "nova/compute.instance.create.start.designate.json",
            "nova/compute.instance.delete.start.ceilometer.json",
            "nova/compute.instance.delete.start.designate.json"
        ),
        billed(
            "nova/compute.instance.delete.end.stacktach-payload.json",
            "deletion at deleted_at (payload only: wrapped with a sample message id and timestamp)",
            resource(
                .delete,
                "os.nova.server",
                id: "a430b2ac-ac6c-412e-8fee-6c3267f3832c",
                user: "387679",
                at: "2015-01-22T19:51:46.754356Z",
                message: "sample:compute.instance.delete.end.stacktach-payload.json"
            )
        ),
        billed(
            "nova/compute.instance.delete.end.watcher.json",
            "deletion at deleted_at rather than the later terminated_at",
            resource(
                .delete,
                "os.nova.server",
                id: "73b09e16-35b7-4922-804e-e8f5d9b740fc",
                user: "15995ea2694e4268b3631db32e38678b",
                at: "2016-08-17T15:10:33Z",
                message: "sample:compute.instance.delete.end.watcher.json"
            )
        ),
        ignored(
            "audit records (exists) are not billing events: Bilean bills from the lifecycle events",
            "nova/compute.instance.exists.ceilometer.json",
            "nova/compute.instance.exists.stacktach-payload.json"
        ),
        billed(
            "nova/compute.instance.finish_resize.end.ceilometer.json",
            "a finished resize re-prices at launched_at, which Nova resets then",
            resource(
                .update,
                "os.nova.server",
                id: "648e8963-6886-4c3c-98f9-4511c292f86b",
                user: "cea4b25edb484e5392727181b7721d29",
                ["flavor": .string("m1.small")],
                at: "2013-01-04T15:10:14.923939Z",
                message: "a2f7770d-b85d-4797-ab10-41407a44368e"
            )
        ),
        billed(
            "nova/compute.instance.finish_resize.end.stacktach-payload.json",
            "a finished resize re-prices at launched_at (payload only)",
            resource(
                .update,
                "os.nova.server",
                id: "2115bfa6-898a-4586-b34b-923ff147cc8a",
                user: "814554",
                ["flavor": .string("15GB Standard Instance")],
                at: "2015-01-23T06:32:59.702356Z",
                message: "sample:compute.instance.finish_resize.end.stacktach-payload.json"
            )
        ),
        ignored(
            "rebuilding, confirming a resize (the flavor is already billed), shutting down or updating a server "
                + "changes no price",
            "nova/compute.instance.rebuild.end.watcher.json",
            "nova/compute.instance.resize.confirm.end.stacktach-payload.json",
            "nova/compute.instance.resize.confirm.end.watcher.json",
            "nova/compute.instance.shutdown.end.designate.json",
            "nova/compute.instance.update.searchlight-instance-update-error-during-schedule.json",
            "nova/compute.instance.update.searchlight-instance-update-error-final.json",
            "nova/compute.instance.update.watcher.json"
        ),
        billed(
            "nova/compute.instance.resize.revert.end.ceilometer.json",
            "a reverted resize runs the old flavor again from the revert (launched_at is the resize's, kept)",
            resource(
                .update,
                "os.nova.server",
                id: "648e8963-6886-4c3c-98f9-4511c292f86b",
                user: "cea4b25edb484e5392727181b7721d29",
                ["flavor": .string("m1.tiny")],
                at: "2013-01-04T15:20:32.009532Z",
                message: "c48deeba-d0c3-4154-b3db-47480b52267a"
            )
        ),
        ignored(
            "flavors are price-list input, not billed resources",
            "nova/flavor.create.searchlight.json",
            "nova/flavor.delete.searchlight.json",
            "nova/flavor.update.searchlight.json"
        ),

        // Nova, versioned notifications (doc samples, with and without $ref links).
        novaSample(
            "instance.create.end.nova-sample.json",
            "versioned creation at launched_at",
            resource(
                .create,
                "os.nova.server",
                id: novaSampleServer,
                user: novaSampleProject,
                ["flavor": .string("test_flavor")],
                at: "2012-10-29T13:42:11Z",
                message: "sample:instance.create.end.nova-sample.json"
            )
        ),
        novaSample(
            "instance.resize_finish.end.nova-sample.json",
            "versioned finished resize: the new flavor from launched_at",
            resource(
                .update,
                "os.nova.server",
                id: novaSampleServer,
                user: novaSampleProject,
                ["flavor": .string("other_flavor")],
                at: "2012-10-29T13:42:11Z",
                message: "sample:instance.resize_finish.end.nova-sample.json"
            )
        ),
        novaSample(
            "instance.resize_revert.end.nova-sample.json",
            "versioned revert: the old flavor again, at the notification timestamp",
            resource(
                .update,
                "os.nova.server",
                id: novaSampleServer,
                user: novaSampleProject,
                ["flavor": .string("test_flavor")],
                at: sampleTime,
                message: "sample:instance.resize_revert.end.nova-sample.json"
            )
        ),
        novaSamplesRestarted("instance.power_on.end", "instance.restore.end", "instance.resume.end"),
        novaSamplesRestarted("instance.unpause.end", "instance.unshelve.end"),
        novaSample(
            "instance.delete.end.nova-sample.json",
            "versioned deletion at deleted_at",
            resource(
                .delete,
                "os.nova.server",
                id: novaSampleServer,
                user: novaSampleProject,
                at: "2012-10-29T13:42:11Z",
                message: "sample:instance.delete.end.nova-sample.json"
            )
        ),
        novaSample(
            "instance.delete.end.nova-sample-compute_down.json",
            "versioned deletion while the compute host is down: still at deleted_at",
            resource(
                .delete,
                "os.nova.server",
                id: novaSampleServer,
                user: novaSampleProject,
                at: "2012-10-29T13:42:11Z",
                message: "sample:instance.delete.end.nova-sample-compute_down.json"
            )
        ),
        novaSample(
            "instance.delete.end.nova-sample-not_scheduled.json",
            "deletion of a server never scheduled (no launched_at): a deletion the engine keeps, billing nothing",
            resource(
                .delete,
                "os.nova.server",
                id: novaSampleServer,
                user: novaSampleProject,
                at: "2012-10-29T13:42:11Z",
                message: "sample:instance.delete.end.nova-sample-not_scheduled.json"
            )
        ),
        novaSamplesIgnored(
            "not a billing event of a server: host aggregates, flavors, keypairs, services, server groups, "
                + "scheduler, metrics, errors",
            "aggregate.add_host.end",
            "aggregate.add_host.start",
            "aggregate.cache_images.end",
            "aggregate.cache_images.progress",
            "aggregate.cache_images.start",
            "aggregate.create.end",
            "aggregate.create.start",
            "aggregate.delete.end",
            "aggregate.delete.start",
            "aggregate.remove_host.end",
            "aggregate.remove_host.start",
            "aggregate.update_metadata.end",
            "aggregate.update_metadata.start",
            "aggregate.update_prop.end",
            "aggregate.update_prop.start",
            "compute.exception",
            "compute_task.build_instances.error",
            "compute_task.migrate_server.error",
            "compute_task.rebuild_server.error",
            "flavor.create",
            "flavor.delete",
            "flavor.update",
            "keypair.create.end",
            "keypair.create.start",
            "keypair.delete.end",
            "keypair.delete.start",
            "keypair.import.end",
            "keypair.import.start",
            "libvirt.connect.error",
            "metrics.update",
            "scheduler.select_destinations.end",
            "scheduler.select_destinations.start",
            "server_group.add_member",
            "server_group.create",
            "server_group.delete",
            "service.create",
            "service.delete",
            "service.update",
            "volume.usage"
        ),
        novaSamplesIgnored(
            "a server's life goes on at the same flavor: starts of actions, errors, power and migration changes, "
                + "attachments, snapshots, shelving (still billed), audit (exists), resize steps before the finish "
                + "and the confirmation after it",
            "instance.create.error",
            "instance.create.start",
            "instance.delete.start",
            "instance.evacuate",
            "instance.exists",
            "instance.interface_attach.end",
            "instance.interface_attach.error",
            "instance.interface_attach.start",
            "instance.interface_detach.end",
            "instance.interface_detach.start",
            "instance.live_migration_abort.end",
            "instance.live_migration_abort.start",
            "instance.live_migration_force_complete.end",
            "instance.live_migration_force_complete.start",
            "instance.live_migration_post.end",
            "instance.live_migration_post.start",
            "instance.live_migration_post_dest.end",
            "instance.live_migration_post_dest.start",
            "instance.live_migration_pre.end",
            "instance.live_migration_pre.start",
            "instance.live_migration_rollback.end",
            "instance.live_migration_rollback.start",
            "instance.live_migration_rollback_dest.end",
            "instance.live_migration_rollback_dest.start",
            "instance.lock",
            "instance.pause.end",
            "instance.pause.start",
            "instance.power_off.end",
            "instance.power_off.start",
            "instance.power_on.start",
            "instance.reboot.end",
            "instance.reboot.error",
            "instance.reboot.start",
            "instance.rebuild.end",
            "instance.rebuild.error",
            "instance.rebuild.start",
            "instance.rebuild_scheduled",
            "instance.rescue.end",
            "instance.rescue.start",
            "instance.resize.end",
            "instance.resize.error",
            "instance.resize.start",
            "instance.resize_confirm.end",
            "instance.resize_confirm.start",
            "instance.resize_finish.start",
            "instance.resize_prep.end",
            "instance.resize_prep.start",
            "instance.resize_revert.start",
            "instance.restore.start",
            "instance.resume.start",
            "instance.share_attach.end",
            "instance.share_attach.error",
            "instance.share_attach.start",
            "instance.share_detach.end",
            "instance.share_detach.error",
            "instance.share_detach.start",
            "instance.shelve.end",
            "instance.shelve.start",
            "instance.shelve_offload.end",
            "instance.shelve_offload.start",
            "instance.shutdown.end",
            "instance.shutdown.start",
            "instance.snapshot.end",
            "instance.snapshot.start",
            "instance.soft_delete.end",
            "instance.soft_delete.start",
            "instance.suspend.end",
            "instance.suspend.start",
            "instance.trigger_crash_dump.end",
            "instance.trigger_crash_dump.start",
            "instance.unlock",
            "instance.unpause.start",
            "instance.unrescue.end",
            "instance.unrescue.start",
            "instance.unshelve.start",
            "instance.update",
            "instance.volume_attach.end",
            "instance.volume_attach.error",
            "instance.volume_attach.start",
            "instance.volume_detach.end",
            "instance.volume_detach.start",
            "instance.volume_swap.end",
            "instance.volume_swap.error",
            "instance.volume_swap.start"
        ),
        novaSample("instance.delete.start.nova-sample-compute_down.json", "the start of a deletion"),
        novaSample("instance.delete.start.nova-sample-not_scheduled.json", "the start of a deletion"),
        novaSample("instance.lock.nova-sample-with-reason.json", "locking changes no price"),
        novaSample(
            "instance.power_on.end.nova-sample-share.json",
            "a server powered on (with a share attached): the same flavor again, at the notification timestamp",
            resource(
                .update,
                "os.nova.server",
                id: novaSampleServer,
                user: novaSampleProject,
                ["flavor": .string("test_flavor")],
                at: sampleTime,
                message: "sample:instance.power_on.end.nova-sample-share.json"
            )
        ),
        novaSample("instance.power_on.start.nova-sample-share.json", "powering on changes no price"),
        novaSample("instance.update.nova-sample-tags-action.json", "tagging changes no price"),

        // Octavia.
        billed(
            "octavia/octavia.loadbalancer.create.end.octavia-docs.json",
            "a load balancer (priced by an os.generic rule): its provider (flavor_id is null), at the timestamp",
            resource(
                .create,
                "os.octavia.loadbalancer",
                id: "8d4c8f66-7ac1-408e-82d5-59f6fcdea9ee",
                user: "qs59p6z696cp9cho8ze96edddvpfyvgz",
                ["provider": .string("amphora")],
                at: "2022-04-22T23:02:15.717375Z",
                message: "d84a3800-06ca-410e-a1a3-b40a02306a97"
            )
        ),
    ]

    // MARK: Running it

    /// Parses and converts a body with the shipped definitions.
    static func outcome(of body: [UInt8], converter: NotificationConverter) -> Expected {
        do throws(NotificationRejection) {
            let notification = try NotificationParser().parse(body)
            switch try converter.convert(notification) {
            case .facts(let facts): return .facts(facts)
            case .ignored(let reason): return .ignored(reason)
            }
        } catch {
            return .rejected(error.code)
        }
    }

    @Test func everyFixtureIsInTheTableAndGivesItsOutcome() throws {
        try #require(NotificationFixtures.isAvailable, "the fixtures are not at \(NotificationFixtures.directory.path)")
        let converter = NotificationConverter(definitions: try ResourceDefinitions.shipped())
        let files = try NotificationFixtures.allFiles()
        #expect(files.count > 400)
        var byPath: [String: Entry] = [:]
        for entry in Self.table {
            #expect(byPath[entry.path] == nil, "\(entry.path) is in the table twice")
            byPath[entry.path] = entry
        }
        for file in files {
            guard let entry = byPath.removeValue(forKey: file) else {
                Issue.record("\(file) is not in the fixture table: add what it must give")
                continue
            }
            let (body, form) = try NotificationFixtures.body(file)
            let outcome = Self.outcome(of: body, converter: converter)
            #expect(outcome == entry.expected, "\(file) (\(form.rawValue)): \(entry.why)")
            // The same notification inside an oslo 2.0 envelope gives the same outcome.
            if form != .asIs {
                let enveloped = NotificationFixtures.envelope(body)
                #expect(Self.outcome(of: enveloped, converter: converter) == entry.expected, "\(file)")
            }
        }
        #expect(byPath.isEmpty, "table entries for missing files: \(byPath.keys.sorted())")
    }

    @Test func novaReferencesResolveToTheResolvedCopies() throws {
        try #require(NotificationFixtures.isAvailable, "the fixtures are not at \(NotificationFixtures.directory.path)")
        let names = try NotificationFixtures.allFiles().filter { $0.hasPrefix("nova/resolved/") }
        #expect(names.count == 140)
        for resolvedPath in names {
            let name = String(resolvedPath.dropFirst("nova/resolved/".count))
            let original = try ExactJSONReader.parse(try NotificationFixtures.bytes("nova/" + name), maximumDepth: 100)
            let resolved = try ExactJSONReader.parse(try NotificationFixtures.bytes(resolvedPath), maximumDepth: 100)
            let base = NotificationFixtures.directory.appendingPathComponent("nova")
            #expect(try NovaReferences.resolve(original, base: base) == resolved, "\(name)")
        }
    }

    @Test func shippedResourceTypesHavePluginsThatPriceTheirProperties() throws {
        try #require(NotificationFixtures.isAvailable, "the fixtures are not at \(NotificationFixtures.directory.path)")
        var priced: Set<String> = []
        for entry in Self.table {
            guard case .facts(let facts) = entry.expected else { continue }
            for case .resource(let event) in facts where event.action != .delete {
                let spec = try #require(Self.sampleSpec(for: event), "no sample spec for \(event.resourceType)")
                let (_, pricer) = try PluginRegistry.standard.validate(spec: spec)
                let quote = pricer.price(of: event.properties)
                #expect(quote.warning == nil, "\(entry.path): \(quote.warning ?? "")")
                #expect(quote.rate != .zero, "\(entry.path)")
                priced.insert(event.resourceType)
            }
        }
        let shipped = try ResourceDefinitions.shipped()
        let types = Set(shipped.definitions.flatMap { $0.resources.map(\.resourceType) })
        // Manila has no shared fixture: its shares are converted and priced from this repository's fixtures
        // (GenericDefinitionsTests).
        #expect(priced.union(["os.manila.share"]) == types)
        for type in types where !Self.genericTypes.contains(type) {
            #expect(PluginRegistry.standard.plugin(for: type) != nil, "\(type) has no plugin")
        }
        for type in Self.genericTypes {
            #expect(
                PluginRegistry.standard.plugin(for: type) == nil,
                "\(type) has a plugin: os.generic cannot price it"
            )
        }
    }

    /// The shipped types that have no plugin and are priced by `os.generic` rules.
    static let genericTypes: Set<String> = ["os.octavia.loadbalancer", "os.manila.share"]

    /// A rule spec that prices the event's resource, per plugin schema.
    static func sampleSpec(for event: ResourceEvent) -> JSONValue? {
        let properties: JSONValue
        switch event.resourceType {
        case "os.nova.server":
            guard let flavor = event.properties["flavor"] else { return nil }
            properties = .object([
                "price_mapping": .array([.object(["flavor": flavor, "price": .number("0.5")])])
            ])
        case "os.cinder.volume":
            properties = .object([
                "price_mapping": .array([.object(["start": .number("0"), "price": .number("0.1")])])
            ])
        case "os.cinder.snapshot", "os.glance.image", "os.neutron.floatingip", "os.neutron.router":
            properties = .object(["price": .number("0.1")])
        case "os.octavia.loadbalancer":
            guard let provider = event.properties["provider"] else { return nil }
            let prices = JSONValue.array([.object(["value": provider, "price": .number("0.02")])])
            return .object([
                "type": .string("os.generic"), "version": .string("1.0"),
                "properties": .object([
                    "resource_type": .string(event.resourceType),
                    "price_mapping": .object(["property": .string("provider"), "prices": prices]),
                ]),
            ])
        default:
            return nil
        }
        return .object(["type": .string(event.resourceType), "version": .string("1.0"), "properties": properties])
    }
}
