extension AMQPChannel {
    /// Declares an exchange (`exchange.declare`), or checks that it exists with `passive`.
    ///
    /// - Parameters:
    ///   - name: The exchange's name.
    ///   - type: `direct`, `fanout`, `topic`, `headers` (or a plugin's type).
    ///   - passive: Only check that it exists (404 NOT_FOUND closes the channel otherwise).
    ///   - durable: Survives a broker restart.
    ///   - autoDelete: Deleted when its last binding is removed.
    ///   - internal: Only other exchanges may publish to it.
    ///   - arguments: Extra arguments (e.g. `alternate-exchange`).
    /// - Throws: ``AMQPError`` ``AMQPError/Code/channelClosed`` with 406 PRECONDITION_FAILED when it exists with
    ///   other settings; the channel is closed, the connection lives on.
    public func exchangeDeclare(
        _ name: String,
        type: String = "direct",
        passive: Bool = false,
        durable: Bool = false,
        autoDelete: Bool = false,
        internal: Bool = false,
        arguments: AMQPTable = [:]
    ) async throws {
        let declare = AMQPMethod.Exchange.Declare(
            exchange: name,
            type: type,
            passive: passive,
            durable: durable,
            autoDelete: autoDelete,
            internal: `internal`,
            arguments: arguments
        )
        _ = try await self.request(.exchange(.declare(declare)))
    }

    /// Deletes an exchange (`exchange.delete`); deleting one that does not exist succeeds.
    ///
    /// - Parameters:
    ///   - name: The exchange's name.
    ///   - ifUnused: Only if it has no bindings (406 PRECONDITION_FAILED otherwise).
    public func exchangeDelete(_ name: String, ifUnused: Bool = false) async throws {
        _ = try await self.request(.exchange(.delete(.init(exchange: name, ifUnused: ifUnused))))
    }

    /// Binds an exchange to another (`exchange.bind`, a RabbitMQ extension): messages routed by `source` with
    /// `routingKey` go to `destination`.
    public func exchangeBind(
        destination: String,
        source: String,
        routingKey: String = "",
        arguments: AMQPTable = [:]
    ) async throws {
        let bind = AMQPMethod.Exchange.Bind(
            destination: destination,
            source: source,
            routingKey: routingKey,
            arguments: arguments
        )
        _ = try await self.request(.exchange(.bind(bind)))
    }

    /// Removes an exchange-to-exchange binding (`exchange.unbind`).
    public func exchangeUnbind(
        destination: String,
        source: String,
        routingKey: String = "",
        arguments: AMQPTable = [:]
    ) async throws {
        let unbind = AMQPMethod.Exchange.Unbind(
            destination: destination,
            source: source,
            routingKey: routingKey,
            arguments: arguments
        )
        _ = try await self.request(.exchange(.unbind(unbind)))
    }
}
