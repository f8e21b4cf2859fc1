package import BileanCore
package import BileanMessaging

// The exact JSON forms of the `accounts` namespace's re-rating arguments and results (`preview_rerating`,
// `apply_rerating`). A request and its lines cross in Core's JSON form (``ReratingRequest/jsonValue``, the one the
// store keeps with a preview: instants as ISO 8601 with microseconds, amounts as exact decimal strings); the other
// instants as integer microseconds, as everywhere else on the RPC.

extension RPCObject {
    /// A member that is a re-rating request in Core's JSON form.
    func reratingRequest(_ key: String) throws(RPCRemoteError) -> ReratingRequest {
        guard let value = self.value(key) else { throw self.missing(key, "a re-rating request") }
        do {
            return try ReratingRequest(jsonValue: value)
        } catch {
            throw RPCRemoteError(kind: .invalidInput, message: "\(self.what).\(key): \(error.message)", field: key)
        }
    }

    /// A member that is an array of re-rating lines.
    func reratingLines(_ key: String) throws(RPCRemoteError) -> [ReratingLine] {
        var lines: [ReratingLine] = []
        for item in try self.array(key) {
            do {
                lines.append(try ReratingLine(jsonValue: item))
            } catch {
                throw RPCRemoteError(kind: .invalidInput, message: "\(self.what).\(key): \(error.message)", field: key)
            }
        }
        return lines
    }
}

extension ReratingRequest: RPCValue {
    package var rpcValue: JSONValue { self.jsonValue }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        do {
            try self.init(jsonValue: rpcValue)
        } catch {
            throw RPCRemoteError(kind: .invalidInput, message: "request: \(error.message)", field: error.field)
        }
    }
}

extension ReratingPreview: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "request": self.request.jsonValue, "created_at": .time(self.createdAt),
            "lines": .array(self.lines.map(\.jsonValue)),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "preview")
        self.init(
            id: try object.string("id"),
            request: try object.reratingRequest("request"),
            createdAt: try object.time("created_at"),
            lines: try object.reratingLines("lines")
        )
    }
}

extension Rerating: RPCValue {
    package var rpcValue: JSONValue {
        .object([
            "id": .string(self.id), "request": self.request.jsonValue, "reason": .string(self.reason),
            "previewed_at": .time(self.previewedAt), "applied_at": .time(self.appliedAt),
            "lines": .array(self.lines.map(\.jsonValue)), "consumptions": .integer(self.consumptions),
        ])
    }

    package init(rpcValue: JSONValue) throws(RPCRemoteError) {
        let object = try RPCObject(rpcValue, "rerating")
        self.init(
            id: try object.string("id"),
            request: try object.reratingRequest("request"),
            reason: try object.string("reason"),
            previewedAt: try object.time("previewed_at"),
            appliedAt: try object.time("applied_at"),
            lines: try object.reratingLines("lines"),
            consumptions: try object.int("consumptions")
        )
    }
}
