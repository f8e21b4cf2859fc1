import AMQP
import Testing

@testable import BileanNotification

/// The listener's pure parts (its consuming loop runs against a real broker in the integration tests).
@Suite("NotificationListener")
struct NotificationListenerTests {
    @Test func textIsStorableInEveryDatabase() {
        // PostgreSQL refuses NUL in text: a publisher id or a quoted timestamp holding one must not block the queue.
        #expect(
            NotificationListener.storable("compute\u{0}host\u{1B}[31m", limit: 255) == "compute\u{FFFD}host\u{FFFD}[31m"
        )
        #expect(NotificationListener.storable(String(repeating: "é", count: 300), limit: 255).count == 255)
        #expect(NotificationListener.storable("plain", limit: 255) == "plain")
    }

    @Test func theTopologyNeverUsesAnotherConsumersQueue() throws {
        let configuration = ListenerConfiguration(
            connection: AMQPConnectionConfiguration(url: try AMQPURL("amqp://u:p@127.0.0.1:5672/"))
        )
        let topology = configuration.topology
        #expect(topology.queues.map(\.name) == ["bilean-notifications"])
        #expect(!topology.bindings.contains { $0.queue != "bilean-notifications" })
        #expect(configuration.routingKeys(for: "nova") == ["notifications.info", "versioned_notifications.info"])
        #expect(configuration.routingKeys(for: "glance") == ["notifications.info"])
    }
}
