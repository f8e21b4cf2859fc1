import BileanTestSupport
import Testing

@testable import AMQP

@Suite("ConfirmTracker")
struct ConfirmTrackerTests {
    @Test func matchesASimpleModelUnderRandomAcks() {
        var random = SeededRandomNumberGenerator(seed: 0x5EED)
        for _ in 0..<200 {
            var tracker = ConfirmTracker()
            var pending: Set<UInt64> = []
            var published: UInt64 = 0
            for _ in 0..<100 {
                if pending.isEmpty || Bool.random(using: &random) {
                    for _ in 0..<Int.random(in: 1...5, using: &random) {
                        published += 1
                        #expect(tracker.publish() == published)
                        pending.insert(published)
                    }
                    continue
                }
                let tag = pending.randomElement(using: &random) ?? 1
                let multiple = Int.random(in: 0..<3, using: &random) == 0
                let expected = multiple ? pending.filter { $0 <= tag }.sorted() : [tag]
                #expect(tracker.resolve(deliveryTag: tag, multiple: multiple) == expected)
                pending.subtract(expected)
                #expect(tracker.unconfirmedCount == pending.count)
                #expect(tracker.oldestUnconfirmed == (pending.min() ?? published + 1))
            }
            #expect(tracker.drain() == pending.sorted())
            #expect(tracker.unconfirmedCount == 0)
        }
    }

    @Test func unknownAndRepeatedTags() {
        var tracker = ConfirmTracker()
        #expect(tracker.resolve(deliveryTag: 1, multiple: false) == nil)
        _ = tracker.publish()
        _ = tracker.publish()
        #expect(tracker.resolve(deliveryTag: 3, multiple: true) == nil)
        #expect(tracker.resolve(deliveryTag: 2, multiple: false) == [2])
        #expect(tracker.resolve(deliveryTag: 2, multiple: false) == [])
        #expect(tracker.resolve(deliveryTag: 2, multiple: true) == [1])
        #expect(tracker.resolve(deliveryTag: 1, multiple: true) == [])
        #expect(tracker.unconfirmedCount == 0)
    }
}
