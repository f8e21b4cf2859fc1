import BileanCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

// Neutron's routers and floating IPs.
extension OpenStackCloud {
    /// The `device_owner` of the ports that attach a subnet to a router (legacy, DVR and HA routers): Neutron
    /// refuses to delete a router that still has one (409 `RouterInUse`). Its gateway, HA and SNAT ports go with it.
    static let routerInterfaceOwners: Set<String> = [
        "network:router_interface",
        "network:router_interface_distributed",
        "network:ha_router_replicated_interface",
    ]

    /// `DELETE /v2.0/floatingips/{id}`: 2xx (204) is done; the address goes back to the pool.
    func releaseFloatingIP(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        try await self.delete(
            ["floatingips", id],
            on: .neutron,
            operation: "the release of the floating IP",
            done: "floating IP released",
            logger: logger
        )
    }

    /// Detaches the router's subnets (`PUT /v2.0/routers/{id}/remove_router_interface` for each interface port
    /// that `GET /v2.0/ports?device_id={id}` lists), then `DELETE /v2.0/routers/{id}`: 2xx (204) is done. A 409
    /// (a floating IP still associated through the router, or an interface added meanwhile) is retried; a
    /// floating IP released by the same freeze lets a later attempt succeed.
    func deleteRouter(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        let ports = try await self.routerInterfacePorts(id, logger: logger)
        for port in ports {
            try await self.removeRouterInterface(id, port: port, logger: logger)
        }
        let result = try await self.delete(
            ["routers", id],
            on: .neutron,
            operation: "the deletion of the router",
            done: "router deleted",
            logger: logger
        )
        guard case .done = result, !ports.isEmpty else { return result }
        let interfaces = ports.count == 1 ? "1 subnet" : "\(ports.count) subnets"
        return .done("router deleted (after detaching \(interfaces))")
    }

    /// The ids of the ports attaching subnets to a router, sorted; none when the router is gone.
    private func routerInterfacePorts(_ id: String, logger: Logger) async throws(CloudActionError) -> [String] {
        let operation = "the listing of the router's ports"
        let answer = try await self.send(
            .GET,
            to: .neutron,
            path: ["ports"],
            query: [("device_id", id), ("fields", "id"), ("fields", "device_owner")],
            body: nil,
            operation: operation,
            logger: logger
        )
        guard (200..<300).contains(answer.status) else {
            throw CloudActionError.http(
                status: answer.status,
                body: answer.body,
                service: "Neutron",
                operation: operation
            )
        }
        guard let ports = Self.ports(in: answer.body) else {
            throw CloudActionError(
                retryable: false,
                "Neutron answered \(operation) with a body that is not a port list"
            )
        }
        return ports.filter { Self.routerInterfaceOwners.contains($0.owner) }.map(\.id).sorted()
    }

    /// `PUT /v2.0/routers/{id}/remove_router_interface` `{"port_id": …}`: 2xx is done; 404 (the router, or the
    /// interface, is already gone) too.
    private func removeRouterInterface(
        _ id: String,
        port: String,
        logger: Logger
    ) async throws(CloudActionError) {
        let operation = "the removal of the router's interface \(port)"
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: ["port_id": port])
        } catch {
            throw CloudActionError(retryable: false, "cannot encode \(operation)")
        }
        let answer = try await self.send(
            .PUT,
            to: .neutron,
            path: ["routers", id, "remove_router_interface"],
            body: ByteBuffer(bytes: body),
            operation: operation,
            logger: logger
        )
        switch answer.status {
        case 200..<300, 404:
            return
        default:
            throw CloudActionError.http(
                status: answer.status,
                body: answer.body,
                service: "Neutron",
                operation: operation
            )
        }
    }

    /// The ports of a `{"ports": [{"id": …, "device_owner": …}, …]}` body; `nil` for any other body.
    static func ports(in body: ByteBuffer) -> [(id: String, owner: String)]? {
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let list = object["ports"] as? [Any]
        else { return nil }
        var ports: [(id: String, owner: String)] = []
        for element in list {
            guard let port = element as? [String: Any], let id = port["id"] as? String, !id.isEmpty else {
                return nil
            }
            ports.append((id, port["device_owner"] as? String ?? ""))
        }
        return ports
    }
}
