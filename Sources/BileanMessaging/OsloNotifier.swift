package import AMQP
package import BileanCore
package import Logging
import NIOCore

/// Publishes `billing.notify` notices on the bus in the oslo envelope, so that any oslo.messaging notification
/// listener (a mailer, Ceilometer, …) reads them like any OpenStack notification.
///
/// Each notice is published to every configured topic with publisher confirms (``AMQPReconnectingPublisher``);
/// the notice's id is the message id, so a consumer can drop the copy a lost confirmation may cause.
package final class OsloNotifier: BillingNoticeSender {
    private let publisher: AMQPReconnectingPublisher
    private let configuration: OsloNotifierConfiguration

    /// Creates a notifier.
    /// - Parameters:
    ///   - publisher: The publisher; its topology should be ``OsloNotifierConfiguration/topology``.
    ///   - configuration: Exchange, topics and publisher id.
    package init(publisher: AMQPReconnectingPublisher, configuration: OsloNotifierConfiguration) {
        self.publisher = publisher
        self.configuration = configuration
    }

    package func send(_ notice: BillingNotice) async throws {
        let body = try OsloEnvelope.notification(
            messageID: notice.id,
            publisherID: self.configuration.publisherID,
            eventType: BillingNotice.eventType,
            priority: "INFO",
            payload: notice.payload,
            timestamp: notice.timestamp
        )
        var properties = AMQPProperties()
        properties.contentType = "application/json"
        properties.contentEncoding = "utf-8"
        properties.messageID = notice.id
        properties.deliveryMode = self.configuration.durable ? 2 : 1
        for topic in self.configuration.topics {
            try await self.publisher.publish(
                ByteBuffer(string: body),
                exchange: self.configuration.exchange,
                routingKey: self.configuration.routingKey(topic: topic),
                properties: properties
            )
        }
    }

    /// Closes the connection.
    package func close() async {
        await self.publisher.close()
    }
}

/// Where notices go when no bus is configured (`transport_url` unset, or `[oslo_messaging_notifications] driver =
/// noop|log`): one log line each, then they are dropped.
package struct LoggingNoticeSender: BillingNoticeSender {
    private let logger: Logger

    /// Creates the sender.
    package init(logger: Logger) {
        self.logger = logger
    }

    package func send(_ notice: BillingNotice) async throws {
        self.logger.info(
            "billing.notify (not published: no notification transport)",
            metadata: [
                "user.id": "\(notice.userID)", "reason": "\(notice.reason.rawValue)",
                "timestamp": "\(notice.timestamp)", "message.id": "\(notice.id)",
            ]
        )
    }
}
