import AMQP
import Synchronization

/// The channel an ``OsloRPCClient`` publishes its requests on (in confirm mode), apart from the channel that
/// consumes its replies, so that it can be replaced alone.
///
/// RabbitMQ 3.10 can refuse (nack) every later publish of a channel that first published to a quorum queue while
/// the queue elected a new leader. A request the broker refuses is published again on a new channel of the same
/// connection: the calls waiting for their replies, and the other requests in flight, are not disturbed. The
/// refused channel is left open (its outstanding confirms still arrive) until the connection closes.
final class PublishChannel: Sendable {
    private struct Current {
        var channel: AMQPChannel
        /// 0 for the first channel, then 1, 2, … for each replacement.
        var serial: Int
    }

    private let current: Mutex<Current>

    init(_ channel: AMQPChannel) {
        self.current = Mutex(Current(channel: channel, serial: 0))
    }

    /// The channel to publish on, and its serial (to name it in ``replace(serial:with:)``).
    var channel: (channel: AMQPChannel, serial: Int) {
        self.current.withLock { ($0.channel, $0.serial) }
    }

    /// Makes `replacement` the channel to publish on, unless the channel `serial` was replaced already (by
    /// another request refused at the same time).
    /// - Returns: Whether `replacement` is now the channel (if not, close it).
    func replace(serial: Int, with replacement: AMQPChannel) -> Bool {
        self.current.withLock { current in
            guard current.serial == serial else { return false }
            current = Current(channel: replacement, serial: serial + 1)
            return true
        }
    }
}
