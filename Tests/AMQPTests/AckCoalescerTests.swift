import BileanTestSupport
import Testing

@testable import AMQP

struct AckCoalescerTests {
    private func ack(_ tag: UInt64, multiple: Bool = false) -> AMQPMethod {
        .basic(.ack(.init(deliveryTag: tag, multiple: multiple)))
    }

    @Test func inOrderSingleAcksBecomeOneMultipleAck() {
        var coalescer = AckCoalescer()
        for tag in UInt64(1)...50 {
            #expect(coalescer.process(self.ack(tag)).isEmpty)
        }
        #expect(coalescer.flush() == self.ack(50, multiple: true))
        #expect(coalescer.flush() == nil)
        #expect(coalescer.process(self.ack(51)).isEmpty)
        #expect(coalescer.flush() == self.ack(51, multiple: true))
    }

    @Test func anAckOutOfOrderGoesOutUnchangedAfterThePendingOne() {
        var coalescer = AckCoalescer()
        #expect(coalescer.process(self.ack(1)).isEmpty)
        // Tag 2 is still unacknowledged: acking 3 alone must not ack 2.
        #expect(coalescer.process(self.ack(3)) == [self.ack(1, multiple: true), self.ack(3)])
        #expect(coalescer.flush() == nil)
        // Now 2 settles everything up to 3; the multiple ack up to 2 acks only 2 (3 is acked already).
        #expect(coalescer.process(self.ack(2)).isEmpty)
        #expect(coalescer.flush() == self.ack(2, multiple: true))
        #expect(coalescer.lowestUnsettled == 4)
        #expect(coalescer.process(self.ack(4)).isEmpty)
        #expect(coalescer.flush() == self.ack(4, multiple: true))
    }

    @Test func nacksAndRejectsFlushTheAcksBeforeThem() {
        var coalescer = AckCoalescer()
        let reject = AMQPMethod.basic(.reject(.init(deliveryTag: 3, requeue: true)))
        let nack = AMQPMethod.basic(.nack(.init(deliveryTag: 5, multiple: true, requeue: false)))
        #expect(coalescer.process(self.ack(1)).isEmpty)
        #expect(coalescer.process(self.ack(2)).isEmpty)
        #expect(coalescer.process(reject) == [self.ack(2, multiple: true), reject])
        #expect(coalescer.process(nack) == [nack])
        #expect(coalescer.lowestUnsettled == 6)
        #expect(coalescer.process(self.ack(6)).isEmpty)
        #expect(coalescer.flush() == self.ack(6, multiple: true))
    }

    @Test func userMultipleAcksMerge() {
        var coalescer = AckCoalescer()
        #expect(coalescer.process(self.ack(1)).isEmpty)
        #expect(coalescer.process(self.ack(10, multiple: true)).isEmpty)
        #expect(coalescer.flush() == self.ack(10, multiple: true))
        #expect(coalescer.lowestUnsettled == 11)
    }

    @Test func noAckDeliveriesCountAsSettled() {
        var coalescer = AckCoalescer()
        coalescer.settledByBroker(1)
        coalescer.settledByBroker(2)
        #expect(coalescer.process(self.ack(3)).isEmpty)
        #expect(coalescer.flush() == self.ack(3, multiple: true))
    }

    @Test func disabledPassesEverythingThrough() {
        var coalescer = AckCoalescer()
        #expect(coalescer.process(self.ack(1)).isEmpty)
        coalescer.disable()
        #expect(coalescer.flush() == self.ack(1, multiple: true))
        #expect(coalescer.process(self.ack(2)) == [self.ack(2)])
        #expect(coalescer.flush() == nil)
    }

    /// Against a model of the broker's unacknowledged set: whatever the order of acks, nacks and rejects, the
    /// coalesced methods settle exactly the same tags at every flush, and never name a settled tag alone.
    @Test(arguments: 0..<200)
    func coalescedMethodsSettleTheSameTagsAsTheOriginals(seed: Int) {
        var generator = SeededRandomNumberGenerator(seed: UInt64(seed) &+ 1)
        let count = UInt64.random(in: 5...60, using: &generator)
        var unsettled = Array(UInt64(1)...count)
        var original = Set(unsettled)
        var coalesced = Set(unsettled)
        var coalescer = AckCoalescer()
        func apply(_ method: AMQPMethod, to set: inout Set<UInt64>) {
            switch method {
            case .basic(.ack(let ack)):
                if ack.multiple {
                    set = set.filter { $0 > ack.deliveryTag }
                } else {
                    #expect(set.remove(ack.deliveryTag) != nil, "a single ack of a settled tag: the broker's 406")
                }
            case .basic(.nack(let nack)):
                if nack.multiple { set = set.filter { $0 > nack.deliveryTag } } else { set.remove(nack.deliveryTag) }
            case .basic(.reject(let reject)):
                set.remove(reject.deliveryTag)
            default:
                Issue.record("unexpected \(method)")
            }
        }
        while !unsettled.isEmpty {
            // Mostly in order, sometimes another unsettled tag; mostly single acks.
            let index =
                Int.random(in: 0..<10, using: &generator) < 7
                ? 0 : Int.random(in: 0..<unsettled.count, using: &generator)
            let tag = unsettled[index]
            let roll = Int.random(in: 0..<20, using: &generator)
            let method: AMQPMethod
            switch roll {
            case 0: method = .basic(.reject(.init(deliveryTag: tag, requeue: false)))
            case 1: method = .basic(.nack(.init(deliveryTag: tag, multiple: true, requeue: false)))
            case 2: method = self.ack(tag, multiple: true)
            default: method = self.ack(tag)
            }
            apply(method, to: &original)
            for out in coalescer.process(method) { apply(out, to: &coalesced) }
            if Int.random(in: 0..<4, using: &generator) == 0, let ack = coalescer.flush() {
                apply(ack, to: &coalesced)
                #expect(original == coalesced, "after a flush, the broker's view is the same")
            }
            unsettled = unsettled.filter { original.contains($0) }
        }
        if let ack = coalescer.flush() { apply(ack, to: &coalesced) }
        #expect(coalesced.isEmpty)
    }
}
