import AMQP
import Foundation
import Logging
import NIOCore

/// `amqp-bench --url URL --count N --size B --prefetch P [--window W] [--channels K]`: our client's side of
/// scripts/bench-amqp (which uses one channel, as pika does; `--channels K` publishes on K channels at once).
/// `amqp-bench --url URL --drain-queue Q --count N --prefetch P`: the raw drain of scripts/bench-notifications.
///
/// On a fresh exclusive, non-durable queue (as the pika side does): publishes N messages of B bytes with publisher
/// confirms (up to W unconfirmed, default 1000), then consumes them with one ack per message at prefetch P, checking
/// the count. Prints `{"publish_per_s": x, "consume_per_s": y, "publish_cpu_us": a, "consume_cpu_us": b}`: publish
/// from the first publish to the last confirmation, consume from the first delivery to the last ack written; the
/// `_cpu_us` figures are this process's CPU time (user + system) per message in each phase.
@main
struct AMQPBench {
    static func main() async throws {
        var options: [String: String] = [:]
        var arguments = CommandLine.arguments.dropFirst()
        while let name = arguments.popFirst() {
            guard name.hasPrefix("--"), let value = arguments.popFirst() else {
                FileHandle.standardError.write(
                    Data("usage: amqp-bench --url URL --count N --size B --prefetch P\n".utf8)
                )
                exit(2)
            }
            options[String(name.dropFirst(2))] = value
        }
        let url = try AMQPURL(options["url"] ?? "amqp://guest:guest@127.0.0.1:5672/")
        let count = Int(options["count"] ?? "") ?? 100_000
        let size = Int(options["size"] ?? "") ?? 1024
        let prefetch = UInt16(options["prefetch"] ?? "") ?? 500
        let window = Int(options["window"] ?? "") ?? 1000
        let channels = max(1, Int(options["channels"] ?? "") ?? 1)

        var logger = Logger(label: "amqp-bench")
        logger.logLevel = .warning
        let connection = try await AMQPConnection.connect(
            configuration: AMQPConnectionConfiguration(url: url, connectionName: "amqp-bench"),
            logger: logger
        )
        if let drainQueue = options["drain-queue"] {
            try await Self.drain(drainQueue, count: count, prefetch: prefetch, on: connection)
            return
        }
        let channel = try await connection.openChannel()
        let queue = try await channel.queueDeclare("", exclusive: true).name
        try await channel.confirmSelect()
        let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: size)

        let publishStart = ContinuousClock.now
        let publishCPUStart = Self.cpuTime()
        if channels == 1 {
            try await Self.publish(count, body: body, to: queue, on: channel, window: window)
        } else {
            // --channels K: K tasks, each on its own channel (one Erlang channel process each on the broker).
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<channels {
                    let share = count / channels + (index < count % channels ? 1 : 0)
                    group.addTask {
                        let own = try await connection.openChannel()
                        try await own.confirmSelect()
                        try await Self.publish(share, body: body, to: queue, on: own, window: window)
                    }
                }
                try await group.waitForAll()
            }
        }
        let publishTime = ContinuousClock.now - publishStart
        let publishCPU = Self.cpuTime() - publishCPUStart

        let consumerChannel = try await connection.openChannel()
        try await consumerChannel.qos(prefetchCount: prefetch)
        let consumer = try await consumerChannel.consume(queue: queue)
        var received = 0
        var consumeStart: ContinuousClock.Instant?
        var consumeCPUStart = Duration.zero
        for try await delivery in consumer {
            if consumeStart == nil {
                consumeStart = .now
                consumeCPUStart = Self.cpuTime()
            }
            guard delivery.body.readableBytes == size else {
                FileHandle.standardError.write(Data("amqp-bench: a body of the wrong size\n".utf8))
                exit(1)
            }
            try await delivery.ack()
            received += 1
            if received == count { break }
        }
        let consumeTime = ContinuousClock.now - (consumeStart ?? .now)
        let consumeCPU = Self.cpuTime() - consumeCPUStart
        try await connection.close()
        guard received == count else {
            FileHandle.standardError.write(Data("amqp-bench: received \(received) of \(count)\n".utf8))
            exit(1)
        }
        func rate(_ duration: Duration) -> Int {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return seconds > 0 ? Int((Double(count) / seconds).rounded()) : 0
        }
        func perMessage(_ duration: Duration) -> String {
            let microseconds =
                Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
            return String(format: "%.2f", microseconds / Double(count))
        }
        print(
            "{\"publish_per_s\": \(rate(publishTime)), \"consume_per_s\": \(rate(consumeTime)), "
                + "\"publish_cpu_us\": \(perMessage(publishCPU)), \"consume_cpu_us\": \(perMessage(consumeCPU))}"
        )
    }

    /// `--drain-queue Q`: consumes `count` messages already in Q (declared by someone else) with one ack each at
    /// prefetch P, no processing, and prints `{"drained": N, "seconds": S, "rate": R}`, timed from the first
    /// delivery to the last ack: the raw drain rate that scripts/bench-notifications compares Bilean's with.
    static func drain(_ queue: String, count: Int, prefetch: UInt16, on connection: AMQPConnection) async throws {
        let channel = try await connection.openChannel()
        try await channel.qos(prefetchCount: prefetch)
        let consumer = try await channel.consume(queue: queue)
        var received = 0
        var start: ContinuousClock.Instant?
        for try await delivery in consumer {
            if start == nil { start = .now }
            try await delivery.ack()
            received += 1
            if received == count { break }
        }
        let elapsed = ContinuousClock.now - (start ?? .now)
        try await connection.close()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "{\"drained\": \(received), \"seconds\": \(String(format: "%.3f", seconds)), "
                + "\"rate\": \(seconds > 0 ? Int((Double(received) / seconds).rounded()) : 0)}"
        )
    }

    /// Publishes `count` messages with confirms, at most `window` unconfirmed.
    static func publish(
        _ count: Int,
        body: ByteBuffer,
        to queue: String,
        on channel: AMQPChannel,
        window: Int
    )
        async throws
    {
        var pending = Deque<AMQPPublishReceipt>()
        for _ in 0..<count {
            pending.append(try await channel.publish(body, routingKey: queue))
            if pending.count >= window, let oldest = pending.popFirst() {
                try await oldest.confirmed()
            }
        }
        while let receipt = pending.popFirst() {
            try await receipt.confirmed()
        }
    }

    /// This process's CPU time so far, user and system.
    static func cpuTime() -> Duration {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func duration(_ time: timeval) -> Duration {
            .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
        }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }
}

/// A minimal FIFO for the receipts in flight.
struct Deque<Element> {
    private var items: [Element] = []
    private var head = 0

    var count: Int { self.items.count - self.head }

    mutating func append(_ item: Element) {
        self.items.append(item)
    }

    mutating func popFirst() -> Element? {
        guard self.head < self.items.count else { return nil }
        defer {
            self.head += 1
            if self.head > 4096 && self.head * 2 > self.items.count {
                self.items.removeFirst(self.head)
                self.head = 0
            }
        }
        return self.items[self.head]
    }
}
