/// Merges a channel's in-order single acknowledgements into one `basic.ack` with `multiple` set: the same effect on
/// the broker, one frame instead of many (the broker's channel process handles each frame, so acks per message cost
/// consumers throughput).
///
/// A single ack of tag *t* may be sent as "every tag up to *t*" exactly when every delivery tag below *t* is settled
/// already (acked, nacked, rejected, or delivered with `no-ack`). The coalescer keeps the lowest unsettled tag and the
/// tags settled above it; while the acks that come settle the lowest tag in turn, it holds them as one pending
/// multiple ack, written by ``flush()`` (at the end of each outbox drain) or before any other method of the channel.
/// Anything else — an ack out of order, a nack, a reject — goes out unchanged, after the pending ack.
///
/// Tags the client never saw (a `basic.get` with `no-ack`) would make that reasoning unsound; the handler calls
/// ``disable()`` then, and from then on every method goes out unchanged.
struct AckCoalescer: Sendable {
    /// The most tags tracked above the lowest unsettled one before the coalescer gives up (a message never acked).
    static let maximumTracked = 65_536

    private(set) var isEnabled = true
    /// Every tag below it is settled.
    private(set) var lowestUnsettled: UInt64 = 1
    /// Tags at or above ``lowestUnsettled`` that are settled.
    private var settledAhead: Set<UInt64> = []
    /// A multiple ack up to this tag, not written yet.
    private(set) var pending: UInt64?

    init() {}

    /// A delivery arrived for a `no-ack` consumer: the broker settled it.
    mutating func settledByBroker(_ tag: UInt64) {
        guard self.isEnabled else { return }
        self.settle(tag, multiple: false)
    }

    /// The client acks, nacks or rejects.
    ///
    /// - Parameter method: `basic.ack`, `basic.nack` or `basic.reject` (anything else is returned unchanged).
    /// - Returns: The methods to write now, in order (empty: the ack is held in the pending multiple ack).
    mutating func process(_ method: AMQPMethod) -> [AMQPMethod] {
        guard self.isEnabled else { return [method] }
        switch method {
        case .basic(.ack(let ack)):
            if ack.multiple {
                self.settle(ack.deliveryTag, multiple: true)
                if let pending = self.pending, pending > ack.deliveryTag {
                    // Cannot happen in order (pending tags are settled), but keep the larger one.
                    return []
                }
                self.pending = ack.deliveryTag
                return []
            }
            if ack.deliveryTag == self.lowestUnsettled {
                self.settle(ack.deliveryTag, multiple: false)
                self.pending = ack.deliveryTag
                return []
            }
            self.settle(ack.deliveryTag, multiple: false)
            return self.flushed() + [method]
        case .basic(.nack(let nack)):
            self.settle(nack.deliveryTag, multiple: nack.multiple)
            return self.flushed() + [method]
        case .basic(.reject(let reject)):
            self.settle(reject.deliveryTag, multiple: false)
            return self.flushed() + [method]
        case .connection, .channel, .access, .exchange, .queue, .basic, .tx, .confirm:
            return self.flushed() + [method]
        }
    }

    /// The pending multiple ack, if any, to write now.
    mutating func flush() -> AMQPMethod? {
        guard let pending = self.pending else { return nil }
        self.pending = nil
        return .basic(.ack(.init(deliveryTag: pending, multiple: true)))
    }

    /// Stops merging: every later method goes out unchanged (after the pending ack, which ``flush()`` returns).
    mutating func disable() {
        self.isEnabled = false
        self.settledAhead = []
    }

    private mutating func flushed() -> [AMQPMethod] {
        self.flush().map { [$0] } ?? []
    }

    private mutating func settle(_ tag: UInt64, multiple: Bool) {
        if multiple {
            if tag >= self.lowestUnsettled {
                self.lowestUnsettled = tag + 1
                if !self.settledAhead.isEmpty {
                    self.settledAhead = self.settledAhead.filter { $0 > tag }
                }
            }
        } else if tag == self.lowestUnsettled {
            self.lowestUnsettled += 1
        } else if tag > self.lowestUnsettled {
            self.settledAhead.insert(tag)
            if self.settledAhead.count > Self.maximumTracked {
                self.disable()
                return
            }
        }
        while !self.settledAhead.isEmpty, self.settledAhead.remove(self.lowestUnsettled) != nil {
            self.lowestUnsettled += 1
        }
    }
}
