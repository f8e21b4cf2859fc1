import AMQP
import Testing

@testable import BileanMessaging

struct OsloRPCTopologyTests {
    let topology = OsloRPCTopology(exchange: "bilean", topic: "bilean-engine")

    @Test func namesAreOslos() {
        #expect(self.topology.sharedQueue == "bilean-engine")
        #expect(self.topology.serverQueue(host: "node-1") == "bilean-engine.node-1")
        #expect(self.topology.fanoutExchange == "bilean-engine_fanout")
        #expect(self.topology.makeFanoutQueue().wholeMatch(of: /bilean-engine_fanout_[0-9a-f]{32}/) != nil)
        #expect(OsloRPCTopology.makeReplyQueue().wholeMatch(of: /reply_[0-9a-f]{32}/) != nil)
        #expect(OsloRPCTopology.makeID().wholeMatch(of: /[0-9a-f]{32}/) != nil)
    }

    /// What oslo 18.3.1 declared for an RPC server (rabbitmqctl list_queues / list_exchanges / list_bindings).
    @Test func theServerDeclaresWhatOsloDeclares() {
        let declared = self.topology.serverTopology(host: "node-1", fanoutQueue: "bilean-engine_fanout_x")
        #expect(
            declared.exchanges == [
                AMQPTopology.Exchange("bilean", type: "topic", durable: false, autoDelete: false),
                AMQPTopology.Exchange("bilean-engine_fanout", type: "fanout", durable: false, autoDelete: true),
            ]
        )
        #expect(
            declared.queues == [
                AMQPTopology.Queue("bilean-engine", durable: false),
                AMQPTopology.Queue("bilean-engine.node-1", durable: false),
                AMQPTopology.Queue(
                    "bilean-engine_fanout_x",
                    durable: false,
                    arguments: ["x-expires": .int32(1_800_000)]
                ),
            ]
        )
        #expect(
            declared.bindings == [
                AMQPTopology.Binding(queue: "bilean-engine", exchange: "bilean", routingKey: "bilean-engine"),
                AMQPTopology.Binding(
                    queue: "bilean-engine.node-1",
                    exchange: "bilean",
                    routingKey: "bilean-engine.node-1"
                ),
                AMQPTopology.Binding(
                    queue: "bilean-engine_fanout_x",
                    exchange: "bilean-engine_fanout",
                    routingKey: "bilean-engine"
                ),
            ]
        )
        #expect(
            OsloRPCTopology.replyQueueDeclaration("reply_x")
                == AMQPTopology.Queue("reply_x", durable: false, arguments: ["x-expires": .int32(1_800_000)])
        )
    }

    @Test func durableQueuesMakeTheControlExchangeAndTopicQueuesDurable() {
        let durable = OsloRPCTopology(exchange: "bilean", topic: "t", durable: true)
        let declared = durable.serverTopology(host: "h", fanoutQueue: "f")
        #expect(declared.exchanges.map(\.durable) == [true, false])
        #expect(declared.queues.map(\.durable) == [true, true, false])
    }

    /// oslo's `rabbit_quorum_queue` (impl_rabbit: `declare_topic_consumer` with `x-queue-type: quorum`, and
    /// `durable` = `amqp_durable_queues or rabbit_quorum_queue`): the two topic queues are durable quorum queues, the
    /// control exchange durable; the fanout exchange and queue and the reply queue are unchanged.
    @Test func quorumQueuesAreTheDurableTopicQueues() {
        let quorum = OsloRPCTopology(exchange: "bilean", topic: "bilean-engine", quorum: true)
        #expect(quorum.durable)
        #expect(quorum == OsloRPCTopology(exchange: "bilean", topic: "bilean-engine", durable: true, quorum: true))
        let declared = quorum.serverTopology(host: "node-1", fanoutQueue: "bilean-engine_fanout_x")
        #expect(
            declared.exchanges == [
                AMQPTopology.Exchange("bilean", type: "topic", durable: true, autoDelete: false),
                AMQPTopology.Exchange("bilean-engine_fanout", type: "fanout", durable: false, autoDelete: true),
            ]
        )
        #expect(
            declared.queues == [
                AMQPTopology.Queue("bilean-engine", durable: true, arguments: ["x-queue-type": "quorum"]),
                AMQPTopology.Queue("bilean-engine.node-1", durable: true, arguments: ["x-queue-type": "quorum"]),
                AMQPTopology.Queue(
                    "bilean-engine_fanout_x",
                    durable: false,
                    arguments: ["x-expires": .int32(1_800_000)]
                ),
            ]
        )
        #expect(
            declared.bindings
                == self.topology.serverTopology(host: "node-1", fanoutQueue: "bilean-engine_fanout_x").bindings
        )
        #expect(quorum.controlExchangeDeclaration.durable)
        #expect(
            OsloRPCTopology.replyQueueDeclaration("reply_x")
                == AMQPTopology.Queue("reply_x", durable: false, arguments: ["x-expires": .int32(1_800_000)])
        )
        // Without quorum, nothing changes: classic queues, no arguments.
        let classic = self.topology.serverTopology(host: "h", fanoutQueue: "f").queues.prefix(2)
        #expect(classic.map(\.arguments) == [[:], [:]])
    }

    @Test func onlyAnInequivalentDeclarationGetsTheAdvice() {
        let quorum = OsloRPCTopology(exchange: "bilean", topic: "bilean-engine", quorum: true)
        var refused = AMQPError(code: .channelClosed, message: "the broker closed the channel")
        refused.replyCode = .preconditionFailed
        refused.replyText =
            "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'bilean-engine' in vhost '/': received the value 'quorum' of type 'longstr' but current is none"
        let advice = quorum.declarationAdvice(for: refused)
        #expect(advice?.contains("rabbit_quorum_queue (true)") == true, "\(advice ?? "nil")")
        #expect(advice?.contains("'bilean-engine' and 'bilean-engine.<host>'") == true)
        var other = refused
        other.replyText = "PRECONDITION_FAILED - queue 'x' in use"
        #expect(quorum.declarationAdvice(for: other) == nil)
        #expect(quorum.declarationAdvice(for: AMQPError(code: .connectionLost, message: "lost")) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(60), "60000"), (.milliseconds(1500), "1500"), (.microseconds(10), "1"), (.zero, "1"),
    ])
    func expirationIsWholeMilliseconds(duration: Duration, text: String) {
        #expect(OsloRPCTopology.expirationText(duration) == text)
    }
}
