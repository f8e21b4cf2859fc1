/// The shipped definitions file, used when `[resource_definition] definitions_cfg_file` is not set.
///
/// It is kept as a string constant rather than a bundle resource, so that every build and test finds it. It
/// covers, with the resource types and properties the plugins price:
///
/// | event types | fact | properties | time |
/// |---|---|---|---|
/// | `compute.instance.create.end` | create `os.nova.server` | `flavor` (`instance_type`, the name) | `launched_at` |
/// | `compute.instance.finish_resize.end` | update `os.nova.server` | `flavor` | `launched_at` |
/// | `compute.instance.resize.revert.end` | update `os.nova.server` | `flavor` (the old one again) | timestamp |
/// | `compute.instance.{power_on,resume,unshelve,unpause,restore}.end` | update `os.nova.server` | `flavor` | timestamp |
/// | `compute.instance.delete.end` | delete `os.nova.server` | | `deleted_at`, `terminated_at` |
/// | `instance.create.end` (versioned) | create `os.nova.server` | `flavor` (`flavor…name`) | `launched_at` |
/// | `instance.resize_finish.end` | update `os.nova.server` | `flavor` | `launched_at` |
/// | `instance.resize_revert.end` | update `os.nova.server` | `flavor` (the old one again) | timestamp |
/// | `instance.{power_on,resume,unshelve,unpause,restore}.end` | update `os.nova.server` | `flavor` | timestamp |
/// | `instance.delete.end` | delete `os.nova.server` | | `deleted_at`, `terminated_at` |
/// | `volume.create.end` | create `os.cinder.volume` | `size` (GB), `volume_type` | `launched_at` |
/// | `volume.resize.end` (extend), `volume.retype` | update `os.cinder.volume` | `size`, `volume_type` | timestamp |
/// | `volume.delete.end` | delete `os.cinder.volume` | | timestamp |
/// | `snapshot.create.end` | create `os.cinder.snapshot` | `size` (GB, `volume_size`) | timestamp |
/// | `snapshot.delete.end` | delete `os.cinder.snapshot` | | timestamp |
/// | `floatingip.create.end` | create `os.neutron.floatingip` | | timestamp |
/// | `floatingip.delete.end` | delete `os.neutron.floatingip` | | timestamp |
/// | `router.create.end` | create `os.neutron.router` | | timestamp |
/// | `router.delete.end` | delete `os.neutron.router` | | timestamp |
/// | `image.upload`, `image.activate` | create `os.glance.image` | `size` (**bytes**) | timestamp |
/// | `image.delete` | delete `os.glance.image` | | `deleted_at` |
/// | `octavia.loadbalancer.create.end` | create `os.octavia.loadbalancer` | `flavor_id`, `provider` | timestamp |
/// | `octavia.loadbalancer.delete.end` | delete `os.octavia.loadbalancer` | | timestamp |
/// | `share.create.end` | create `os.manila.share` | `size` (GB), `share_type`, `proto` | timestamp |
/// | `share.extend.end`, `share.shrink.end` | update `os.manila.share` | `size`, `share_type`, `proto` | timestamp |
/// | `share.delete.end` | delete `os.manila.share` | | timestamp |
/// | `identity.project.created` | create user | `name` (CADF `target.name`) | CADF `eventTime` |
/// | `identity.project.deleted` | delete user | `name` | CADF `eventTime` |
///
/// Owners come from the payload (`tenant_id`, `project_id`, Glance's `owner`, Keystone's `resource_info`), never
/// from the request context, which names the caller: except for Neutron's deletions, whose payload holds only the
/// id, so the project id of the context (`_context_project_id`, `_context_tenant_id`, `_context_tenant`) is the
/// last resort there; the engine bills a resource to its recorded owner anyway.
///
/// A server started again (powered on, resumed, unshelved, unpaused, restored from a soft deletion) is an update at
/// the same flavor: billing goes on unchanged, but a FROZEN project's restarted server is given the freeze action
/// at once. Nova keeps `launched_at` then, so the time is the notification's.
///
/// Octavia load balancers and Manila shares have no plugin: an `os.generic` rule prices them (by `flavor_id` or
/// `provider`, and per GB of `size`). Their payloads carry no time of when the object became usable (only
/// `created_at`, when the request was accepted), so the notification's `timestamp` is used.
package enum DefaultDefinitions {
    /// The name of the shipped file in messages.
    package static let source = "shipped definitions"

    /// The shipped definitions file.
    package static let yaml = #"""
        # Bilean's shipped notification definitions. Copy this file and point
        # [resource_definition] definitions_cfg_file at the copy to change it.

        # Nova, legacy (unversioned) notifications: topic notifications.
        - event_type: compute.instance.create.end
          resources:
            - resource_type: os.nova.server
              action: create
              traits:
                resource_ref: {fields: payload.instance_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}
                flavor: {fields: payload.instance_type, type: string}
              times:
                start: payload.launched_at
        - event_type: compute.instance.finish_resize.end
          resources:
            - resource_type: os.nova.server
              action: update
              traits:
                resource_ref: {fields: payload.instance_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}
                flavor: {fields: payload.instance_type, type: string}
              times:
                start: payload.launched_at
        # A reverted resize runs the old flavor again from the revert on. Nova does not reset launched_at then.
        - event_type: compute.instance.resize.revert.end
          resources:
            - resource_type: os.nova.server
              action: update
              traits:
                resource_ref: {fields: payload.instance_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}
                flavor: {fields: payload.instance_type, type: string}
        # A server started again: the same flavor, from the notification's time (launched_at is the first
        # launch's). It lets the engine give a FROZEN project's restarted server the freeze action again.
        - event_type:
            - compute.instance.power_on.end
            - compute.instance.resume.end
            - compute.instance.unshelve.end
            - compute.instance.unpause.end
            - compute.instance.restore.end
          resources:
            - resource_type: os.nova.server
              action: update
              traits:
                resource_ref: {fields: payload.instance_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}
                flavor: {fields: payload.instance_type, type: string}
        - event_type: compute.instance.delete.end
          resources:
            - resource_type: os.nova.server
              action: delete
              traits:
                resource_ref: {fields: payload.instance_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}
              times:
                end: [payload.deleted_at, payload.terminated_at]

        # Nova, versioned notifications: topic versioned_notifications.
        - event_type: instance.create.end
          resources:
            - resource_type: os.nova.server
              action: create
              traits:
                resource_ref:
                  fields: payload['nova_object.data'].uuid
                user_id:
                  fields: payload['nova_object.data'].tenant_id
                flavor:
                  fields: payload['nova_object.data'].flavor['nova_object.data'].name
                  type: string
              times:
                start: payload['nova_object.data'].launched_at
        - event_type: instance.resize_finish.end
          resources:
            - resource_type: os.nova.server
              action: update
              traits:
                resource_ref:
                  fields: payload['nova_object.data'].uuid
                user_id:
                  fields: payload['nova_object.data'].tenant_id
                flavor:
                  fields: payload['nova_object.data'].flavor['nova_object.data'].name
                  type: string
              times:
                start: payload['nova_object.data'].launched_at
        - event_type: instance.resize_revert.end
          resources:
            - resource_type: os.nova.server
              action: update
              traits:
                resource_ref:
                  fields: payload['nova_object.data'].uuid
                user_id:
                  fields: payload['nova_object.data'].tenant_id
                flavor:
                  fields: payload['nova_object.data'].flavor['nova_object.data'].name
                  type: string
        - event_type:
            - instance.power_on.end
            - instance.resume.end
            - instance.unshelve.end
            - instance.unpause.end
            - instance.restore.end
          resources:
            - resource_type: os.nova.server
              action: update
              traits:
                resource_ref:
                  fields: payload['nova_object.data'].uuid
                user_id:
                  fields: payload['nova_object.data'].tenant_id
                flavor:
                  fields: payload['nova_object.data'].flavor['nova_object.data'].name
                  type: string
        - event_type: instance.delete.end
          resources:
            - resource_type: os.nova.server
              action: delete
              traits:
                resource_ref:
                  fields: payload['nova_object.data'].uuid
                user_id:
                  fields: payload['nova_object.data'].tenant_id
              times:
                end:
                  - payload['nova_object.data'].deleted_at
                  - payload['nova_object.data'].terminated_at

        # Cinder volumes. Resize (extend), retype and delete payloads carry no time of their own.
        - event_type: volume.create.end
          resources:
            - resource_type: os.cinder.volume
              action: create
              traits:
                resource_ref: {fields: payload.volume_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}
                size: {fields: payload.size, type: int}
                volume_type: {fields: payload.volume_type, type: string}
              times:
                start: payload.launched_at
        - event_type: [volume.resize.end, volume.retype]
          resources:
            - resource_type: os.cinder.volume
              action: update
              traits:
                resource_ref: {fields: payload.volume_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}
                size: {fields: payload.size, type: int}
                volume_type: {fields: payload.volume_type, type: string}
        - event_type: volume.delete.end
          resources:
            - resource_type: os.cinder.volume
              action: delete
              traits:
                resource_ref: {fields: payload.volume_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}

        # Cinder snapshots, priced by the size of the volume they were taken from.
        - event_type: snapshot.create.end
          resources:
            - resource_type: os.cinder.snapshot
              action: create
              traits:
                resource_ref: {fields: payload.snapshot_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}
                size: {fields: payload.volume_size, type: int}
        - event_type: snapshot.delete.end
          resources:
            - resource_type: os.cinder.snapshot
              action: delete
              traits:
                resource_ref: {fields: payload.snapshot_id}
                user_id: {fields: [payload.tenant_id, payload.project_id]}

        # Neutron floating IPs and routers. A deletion's payload holds only the id: the owner falls back to the
        # request context's project.
        - event_type: floatingip.create.end
          resources:
            - resource_type: os.neutron.floatingip
              action: create
              traits:
                resource_ref: {fields: payload.floatingip.id}
                user_id: {fields: [payload.floatingip.tenant_id, payload.floatingip.project_id]}
        - event_type: floatingip.delete.end
          resources:
            - resource_type: os.neutron.floatingip
              action: delete
              traits:
                resource_ref: {fields: payload.floatingip_id}
                user_id:
                  fields:
                    - payload.floatingip.tenant_id
                    - payload.floatingip.project_id
                    - _context_project_id
                    - _context_tenant_id
                    - _context_tenant
        - event_type: router.create.end
          resources:
            - resource_type: os.neutron.router
              action: create
              traits:
                resource_ref: {fields: payload.router.id}
                user_id: {fields: [payload.router.tenant_id, payload.router.project_id]}
        - event_type: router.delete.end
          resources:
            - resource_type: os.neutron.router
              action: delete
              traits:
                resource_ref: {fields: payload.router_id}
                user_id:
                  fields:
                    - payload.router.tenant_id
                    - payload.router.project_id
                    - _context_project_id
                    - _context_tenant_id
                    - _context_tenant

        # Glance images: billed once their data is stored (image.upload, then image.activate; the second is a
        # no-op re-price), by size in bytes. image.create has no size yet.
        - event_type: [image.upload, image.activate]
          resources:
            - resource_type: os.glance.image
              action: create
              traits:
                resource_ref: {fields: payload.id}
                user_id: {fields: [payload.owner, payload.project_id]}
                size: {fields: payload.size, type: int}
        - event_type: image.delete
          resources:
            - resource_type: os.glance.image
              action: delete
              traits:
                resource_ref: {fields: payload.id}
                user_id: {fields: [payload.owner, payload.project_id]}
              times:
                end: payload.deleted_at

        # Octavia load balancers (exchange octavia), priced by an os.generic rule. The payload is the load
        # balancer as the API shows it (octavia/controller/worker/v2/tasks/notification_tasks.py); Ceilometer
        # reads the id as loadbalancer_id, Octavia sends id: both are tried.
        - event_type: octavia.loadbalancer.create.end
          resources:
            - resource_type: os.octavia.loadbalancer
              action: create
              traits:
                resource_ref: {fields: [payload.id, payload.loadbalancer_id]}
                user_id: {fields: [payload.project_id, payload.tenant_id]}
                flavor_id: {fields: payload.flavor_id, type: string}
                provider: {fields: payload.provider, type: string}
        - event_type: octavia.loadbalancer.delete.end
          resources:
            - resource_type: os.octavia.loadbalancer
              action: delete
              traits:
                resource_ref: {fields: [payload.id, payload.loadbalancer_id]}
                user_id: {fields: [payload.project_id, payload.tenant_id]}

        # Manila shares (exchange manila), priced per GB by an os.generic rule. The payload is
        # manila/share/utils.py _usage_from_share: share_id, project_id, size (GB), share_type, proto, ...
        - event_type: share.create.end
          resources:
            - resource_type: os.manila.share
              action: create
              traits:
                resource_ref: {fields: payload.share_id}
                user_id: {fields: [payload.project_id, payload.tenant_id]}
                size: {fields: payload.size, type: int}
                share_type: {fields: payload.share_type, type: string}
                proto: {fields: payload.proto, type: string}
        - event_type: [share.extend.end, share.shrink.end]
          resources:
            - resource_type: os.manila.share
              action: update
              traits:
                resource_ref: {fields: payload.share_id}
                user_id: {fields: [payload.project_id, payload.tenant_id]}
                size: {fields: payload.size, type: int}
                share_type: {fields: payload.share_type, type: string}
                proto: {fields: payload.proto, type: string}
        - event_type: share.delete.end
          resources:
            - resource_type: os.manila.share
              action: delete
              traits:
                resource_ref: {fields: payload.share_id}
                user_id: {fields: [payload.project_id, payload.tenant_id]}

        # Keystone projects (Bilean users), basic and CADF payloads. The CADF initiator is the caller, not the
        # project: it is never read.
        - event_type: identity.project.created
          users:
            - action: create
              traits:
                user_id: {fields: [payload.resource_info, payload.target.id]}
                name: {fields: payload.target.name, type: string}
              times:
                start: payload.eventTime
        - event_type: identity.project.deleted
          users:
            - action: delete
              traits:
                user_id: {fields: [payload.resource_info, payload.target.id]}
                name: {fields: payload.target.name, type: string}
              times:
                end: payload.eventTime
        """#
}
