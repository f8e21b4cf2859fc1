/// Publisher confirms bookkeeping of one channel in confirm mode: the delivery tag of each publish, and which tags a
/// `basic.ack` or `basic.nack` from the broker resolves.
///
/// Tags are 1, 2, 3… in publish order. Every tag below ``oldestUnconfirmed`` is resolved; above it, tags resolved out
/// of order (single acks) wait in a set until the tags before them are resolved too. Each tag enters and leaves the
/// bookkeeping once, so resolving is O(1) amortized per publish, whatever mix of single and `multiple` acks comes.
struct ConfirmTracker: Sendable {
    /// The tag of the next publish.
    private(set) var nextDeliveryTag: UInt64 = 1
    /// Every tag below this one is resolved.
    private(set) var oldestUnconfirmed: UInt64 = 1
    /// Tags at or above ``oldestUnconfirmed`` that are resolved already.
    private var resolvedAhead: Set<UInt64> = []

    /// Creates the bookkeeping of a channel that just entered confirm mode.
    init() {}

    /// The number of publishes not resolved yet.
    var unconfirmedCount: Int {
        Int(self.nextDeliveryTag - self.oldestUnconfirmed) - self.resolvedAhead.count
    }

    /// Takes the tag of a new publish.
    ///
    /// - Returns: The delivery tag the broker will confirm.
    mutating func publish() -> UInt64 {
        defer { self.nextDeliveryTag += 1 }
        return self.nextDeliveryTag
    }

    /// Resolves the tags of a `basic.ack` or `basic.nack`.
    ///
    /// - Parameters:
    ///   - deliveryTag: The tag of the ack or nack.
    ///   - multiple: Whether every tag up to `deliveryTag` is resolved, or only `deliveryTag`.
    /// - Returns: The tags resolved now, ascending (empty when they were all resolved already); `nil` when
    ///   `deliveryTag` was never published.
    mutating func resolve(deliveryTag: UInt64, multiple: Bool) -> [UInt64]? {
        guard deliveryTag < self.nextDeliveryTag else { return nil }
        guard deliveryTag >= self.oldestUnconfirmed else { return [] }
        if multiple {
            var resolved: [UInt64] = []
            resolved.reserveCapacity(Int(deliveryTag - self.oldestUnconfirmed) + 1)
            var tag = self.oldestUnconfirmed
            while tag <= deliveryTag {
                if self.resolvedAhead.isEmpty || self.resolvedAhead.remove(tag) == nil {
                    resolved.append(tag)
                }
                tag += 1
            }
            self.oldestUnconfirmed = deliveryTag + 1
            self.advance()
            return resolved
        }
        if deliveryTag == self.oldestUnconfirmed {
            self.oldestUnconfirmed += 1
            self.advance()
            return [deliveryTag]
        }
        return self.resolvedAhead.insert(deliveryTag).inserted ? [deliveryTag] : []
    }

    /// Resolves every tag still unconfirmed: the channel or the connection closed.
    ///
    /// - Returns: The tags that were unconfirmed, ascending.
    mutating func drain() -> [UInt64] {
        var tags: [UInt64] = []
        tags.reserveCapacity(self.unconfirmedCount)
        var tag = self.oldestUnconfirmed
        while tag < self.nextDeliveryTag {
            if !self.resolvedAhead.contains(tag) {
                tags.append(tag)
            }
            tag += 1
        }
        self.resolvedAhead = []
        self.oldestUnconfirmed = self.nextDeliveryTag
        return tags
    }

    private mutating func advance() {
        while !self.resolvedAhead.isEmpty, self.resolvedAhead.remove(self.oldestUnconfirmed) != nil {
            self.oldestUnconfirmed += 1
        }
    }
}
