package import BileanCore
package import BileanMessaging

/// Calls one namespace of the engine over RPC and turns every failure into the ``BileanError`` the in-process
/// engine would have thrown: a remote error keeps its kind, a timeout is 504 (`timedOut`), or 503
/// (`unavailable`) when nothing consumes the topic.
package struct EngineRPCCaller: Sendable {
    let client: OsloRPCClient
    let namespace: String
    let version: String

    /// Creates a caller.
    package init(client: OsloRPCClient, namespace: String, version: String) {
        self.client = client
        self.namespace = namespace
        self.version = version
    }

    /// Calls `method` and returns its result.
    package func call(
        _ method: String,
        _ args: [String: JSONValue],
        context: RPCContext = RPCContext.outgoing
    ) async throws(BileanError) -> JSONValue {
        var args = args
        if self.namespace == AccountsEndpoint.name, AccountsEndpoint.stateChangingMethods.contains(method),
            args[AccountsEndpoint.idempotencyKeyArgument] == nil
        {
            // One key per call (a call published again, or delivered again, carries the same one): the object key
            // of a creation or recharge when it has one.
            args[AccountsEndpoint.idempotencyKeyArgument] = args["key"] ?? .string(RPCAccountsService.newKey())
        }
        do {
            return try await self.client.call(
                namespace: self.namespace,
                version: self.version,
                method: method,
                args: args,
                context: context
            )
        } catch {
            var noEngine = false
            if case .timeout = error { noEngine = await self.client.serverCount() == 0 }
            throw BileanError(error, method: "\(self.namespace).\(method)", noEngine: noEngine)
        }
    }

    /// Reads a result, failing as an internal error when the engine answered something unreadable.
    package func read<Value: RPCValue>(_ value: JSONValue, as type: Value.Type) throws(BileanError) -> Value {
        do {
            return try Value(rpcValue: value)
        } catch {
            throw BileanError(.internalError, "Unreadable answer from the billing engine", underlying: error)
        }
    }

    /// Reads an array result.
    package func readArray<Value: RPCValue>(_ value: JSONValue, of type: Value.Type) throws(BileanError) -> [Value] {
        guard case .array(let items) = value else {
            throw BileanError(.internalError, "Unreadable answer from the billing engine")
        }
        do {
            return try [Value](rpcValues: items)
        } catch {
            throw BileanError(.internalError, "Unreadable answer from the billing engine", underlying: error)
        }
    }
}

extension RPCContext {
    /// The context of a service's own call (the listener's, the scheduler's): no project, admin.
    package static var service: RPCContext {
        RPCContext(requestID: nil, projectID: nil, userID: nil, roles: ["admin"], isAdmin: true)
    }

    /// The context a call sends: the API request's the current task works for (``CallerContext/current``: its
    /// request id and caller, which the api has authorized), or ``service``.
    package static var outgoing: RPCContext { CallerContext.current ?? .service }
}

/// Runs a served method, turning its failures into typed remote errors.
package func served(_ body: () async throws -> JSONValue) async throws(RPCRemoteError) -> JSONValue {
    do {
        return try await body()
    } catch {
        throw RPCRemoteError(error)
    }
}
