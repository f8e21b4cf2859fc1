/// What ``AMQPChannel/publish(_:exchange:routingKey:mandatory:properties:)`` returns once the message is written.
///
/// In confirm mode (``AMQPChannel/confirmSelect()``), ``confirmed()`` waits for the broker's verdict. Keep many
/// receipts and wait for them later to publish at full speed: the broker confirms in batches.
public struct AMQPPublishReceipt: Sendable {
    let confirmation: PublishConfirmation?

    /// Whether the channel was in confirm mode: ``confirmed()`` waits for the broker.
    public var isConfirmed: Bool { self.confirmation != nil }

    /// Waits until the broker confirmed the message: it is routed to its queues (and, for persistent messages to
    /// durable queues, written to disk), or it was unroutable.
    ///
    /// Without confirm mode it returns at once.
    ///
    /// - Throws: ``AMQPError``: ``AMQPError/Code/publishNacked`` when the broker refused it; the channel's or the
    ///   connection's error when it closed before the confirmation came (the message may or may not have been
    ///   taken: publish it again to be sure).
    nonisolated(nonsending) public func confirmed() async throws {
        try await self.confirmation?.wait()
    }
}
