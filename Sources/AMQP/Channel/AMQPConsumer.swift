/// The deliveries of one consumer (`basic.consume`), as an `AsyncSequence`; iterate it from one task.
///
/// The sequence ends without an error when the consumer is cancelled with ``cancel()`` or its channel is closed by
/// the client; it throws when the broker cancels the consumer (``AMQPError/Code/consumerCancelled``, e.g. its queue
/// was deleted) or the channel or connection fails. Cancelling the task that iterates ends the iteration and sends
/// `basic.cancel`.
public struct AMQPConsumer: AsyncSequence, Sendable {
    public typealias Element = AMQPDelivery

    /// The consumer's tag.
    public let consumerTag: String
    /// The channel it consumes on.
    public let channel: AMQPChannel
    let queue: DeliveryQueue

    public func makeAsyncIterator() -> Iterator {
        Iterator(consumer: self)
    }

    /// Cancels the consumer (`basic.cancel`): deliveries already received are still iterated, then the sequence
    /// ends.
    public func cancel() async throws {
        try await self.channel.cancel(consumerTag: self.consumerTag)
    }

    /// Iterates the deliveries, taking each batch the event loop received in one step.
    public struct Iterator: AsyncIteratorProtocol {
        let consumer: AMQPConsumer
        private var batch: [AMQPDelivery] = []
        private var index = 0

        init(consumer: AMQPConsumer) {
            self.consumer = consumer
        }

        public mutating func next() async throws -> AMQPDelivery? {
            try await self.next(isolation: nil)
        }

        /// The next delivery, on the caller's actor (no hop to another executor).
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> AMQPDelivery? {
            if self.index < self.batch.count {
                defer { self.index += 1 }
                return self.batch[self.index]
            }
            let channel = self.consumer.channel
            let consumerTag = self.consumer.consumerTag
            guard
                let batch = try await self.consumer.queue.nextBatch(onCancel: {
                    Task { try? await channel.cancel(consumerTag: consumerTag) }
                })
            else {
                self.batch = []
                self.index = 0
                return nil
            }
            self.batch = batch
            self.index = 1
            return batch[0]
        }

        /// How many deliveries are received and not yet returned by this iterator.
        public var bufferedCount: Int {
            (self.batch.count - self.index) + self.consumer.queue.count
        }

        /// The deliveries already received, without waiting: at most `limit` of them, possibly none.
        ///
        /// After ``next(isolation:)`` returned one delivery, this takes the others that arrived with it, so that a
        /// consumer can handle a batch at a time (e.g. one database transaction and one `multiple` ack per batch).
        /// The end of the sequence or its error is not reported here; the next ``next(isolation:)`` reports it.
        /// - Parameter limit: The most deliveries to return.
        /// - Returns: The deliveries, in order.
        public mutating func takeAvailable(upTo limit: Int) -> [AMQPDelivery] {
            var taken: [AMQPDelivery] = []
            while taken.count < limit {
                if self.index < self.batch.count {
                    let end = Swift.min(self.batch.count, self.index + (limit - taken.count))
                    taken += self.batch[self.index..<end]
                    self.index = end
                    continue
                }
                guard let ready = try? self.consumer.queue.takeReady(), !ready.isEmpty else { break }
                self.batch = ready
                self.index = 0
            }
            return taken
        }
    }
}
