package import AMQP
package import BileanCore
package import CoreMetrics
import Foundation
package import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The notification listener (`bilean-notification`): consumes OpenStack notifications from Bilean's own queue and
/// bills them, a batch per transaction.
///
/// For each batch of deliveries (those that arrived together, at most ``ListenerConfiguration/batchSize``): every
/// body is parsed and converted; the billing facts and the messages set aside go to the engine in one transaction
/// (with the processed message ids); only after it commits is the batch acknowledged, with one `multiple` ack. A
/// crash before the commit loses nothing (the broker delivers the batch again); a crash between the commit and the
/// ack bills nothing twice (the message ids are recorded). A body that cannot be understood is set aside (the
/// rejected-notifications table and a warning) and acknowledged with the rest: it never blocks the queue.
///
/// When the database fails, the batch is retried with backoff and stays unacknowledged; a batch that keeps failing
/// is retried one message at a time. A message the engine refuses is set aside with the engine's reason at once; one
/// on which it keeps failing is set aside only once a probe read shows that the database answers (an outage never
/// sets messages aside), so that one bad message does not hold back the others.
package struct NotificationListener: Service {
    let configuration: ListenerConfiguration
    let engine: any IngestService
    let parser: NotificationParser
    let converter: NotificationConverter
    let logger: Logger
    /// What the listener has done; logged when it stops.
    package let statistics: ListenerStatistics
    let backoff = AMQPBackoff(initial: .milliseconds(200), maximum: .seconds(30))
    /// How far behind it is, reported with each batch and when idle.
    package let lag: ListenerLag
    let metrics: ListenerMetrics
    /// The `definition` label of each definition, by its line in the definitions file.
    let definitionLabels: [Int: String]

    /// Creates a listener.
    /// - Parameters:
    ///   - configuration: The broker, exchanges, queue and batch size.
    ///   - definitions: The definitions file.
    ///   - engine: The billing engine.
    ///   - statistics: Where to count (a new object by default).
    ///   - logger: The background logger.
    ///   - metrics: Where ``ListenerMetrics`` go (nowhere by default).
    package init(
        configuration: ListenerConfiguration,
        definitions: ResourceDefinitions,
        engine: any IngestService,
        statistics: ListenerStatistics = ListenerStatistics(),
        logger: Logger,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.configuration = configuration
        self.engine = engine
        var parserConfiguration = NotificationParser.Configuration()
        parserConfiguration.maximumBodySize = configuration.maximumBodySize
        self.parser = NotificationParser(configuration: parserConfiguration)
        self.converter = NotificationConverter(definitions: definitions)
        self.statistics = statistics
        self.logger = logger
        self.lag = ListenerLag(listener: configuration.reporterName)
        self.metrics = ListenerMetrics(factory: metrics)
        var labels: [Int: String] = [:]
        for definition in definitions.definitions { labels[definition.line] = "\(definition.eventTypes)" }
        self.definitionLabels = labels
    }

    /// Consumes until a graceful shutdown (or cancellation): the batch being billed still commits, and the
    /// connection closes; deliveries not yet acknowledged go back to the queue and bill nothing twice when they come
    /// again (a rejected message without a message id is then recorded again).
    package func run() async throws {
        let consumer = AMQPReconnectingConsumer(
            configuration: self.configuration.connection,
            queue: self.configuration.queue,
            topology: self.configuration.topology,
            prefetchCount: self.configuration.prefetch,
            logger: self.logger
        )
        let stopping = Stopping()
        self.logger.info(
            "notification listener starting",
            metadata: [
                "queue": "\(self.configuration.queue)",
                "exchanges": "\(self.configuration.exchanges.joined(separator: ","))",
                "broker": "\(self.configuration.connection.url.hosts.map { "\($0.host):\($0.port)" })",
                "prefetch": "\(self.configuration.prefetch)",
                "batch_size": "\(self.configuration.batchSize)",
                "batches_in_flight": "\(self.configuration.batchesInFlight)",
            ]
        )
        self.lag.probing { await consumer.readyMessageCount() }
        // Until its first batch or heartbeat, nothing is known: a freeze waits (after an upgrade, a restart).
        await self.recordBehind()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await self.reportWhileIdle(consumer, stopping: stopping) }
                    group.addTask { await self.lag.runProbes() }
                    await self.consume(consumer, stopping: stopping)
                    group.cancelAll()
                }
            } onCancel: {
                stopping.request()
                Task { await consumer.close() }
            }
        } onGracefulShutdown: {
            stopping.request()
            // The loop may be waiting for a delivery: closing the consumer ends that wait. A batch being billed
            // finishes first; its ack then fails and the broker delivers it again, which bills nothing twice.
            Task { await consumer.close() }
        }
        // Nothing drains the queue now: freezes wait until a listener reports again.
        await self.recordBehind()
        let figures = self.statistics.snapshot
        self.logger.info(
            "notification listener stopped",
            metadata: [
                "deliveries": "\(figures.deliveries)", "billed": "\(figures.billed)",
                "ignored": "\(figures.ignored)", "duplicates": "\(figures.duplicates)",
                "rejected": "\(figures.rejected)", "commits": "\(figures.commits)",
                "failed_commits": "\(figures.failedCommits)",
                "first_delivery_us": "\(figures.firstDelivery?.microseconds ?? 0)",
                "last_commit_us": "\(figures.lastCommit?.microseconds ?? 0)",
            ]
        )
    }

    /// Records that this listener is behind (starting or stopping); a failure is only logged.
    func recordBehind() async {
        do {
            try await self.engine.reportListener(self.lag.behind)
        } catch {
            self.logger.warning(
                "cannot record the listener's lag report",
                metadata: ["error": "\(String(reflecting: error))"]
            )
        }
    }

    /// Reports the lag when no batch did for a while: a freeze waits while a listener is silent.
    func reportWhileIdle(_ consumer: AMQPReconnectingConsumer, stopping: Stopping) async {
        let interval = self.configuration.reportInterval
        var reconnectsCounted = 0
        var lastRefresh = ContinuousClock.now
        while !stopping.isRequested && !Task.isCancelled {
            try? await Task.sleep(for: min(interval, .seconds(1)))
            let reconnects = max(0, consumer.connectionCount - 1)
            if reconnects > reconnectsCounted {
                self.metrics.reconnects.increment(by: Int64(reconnects - reconnectsCounted))
                reconnectsCounted = reconnects
            }
            if ContinuousClock.now - lastRefresh >= Self.metricsRefreshInterval {
                // The lag gauges, whether or not a report is due (a passive declare every few seconds).
                lastRefresh = .now
                await self.lag.probeNow()
                self.metrics.record(self.lag.report(excluding: nil, at: BillingTime(date: Date()), marking: false))
            }
            guard !stopping.isRequested, !Task.isCancelled, self.lag.isReportDue(every: interval) else { continue }
            let report = await self.lag.probedReport(excluding: nil)
            self.metrics.record(report)
            do {
                try await self.engine.reportListener(report)
            } catch {
                self.logger.warning(
                    "cannot record the listener's lag report",
                    metadata: ["error": "\(String(reflecting: error))"]
                )
            }
        }
    }

    /// One delivery, read.
    struct Item: Sendable {
        var delivery: AMQPDelivery
        var message: NotificationBatch.Message?
        var rejection: RejectedNotification?
        /// Who sent it and what it is, once parsed (not the parsed body, which is dropped after conversion: a
        /// batch in flight keeps only its billing facts).
        var origin: Origin?
        /// The `definition` label of its metrics.
        var definition = ListenerMetrics.other
    }

    /// The consuming loop: while batches commit (up to ``ListenerConfiguration/batchesInFlight`` at once, e.g. on
    /// several engines over RPC), the next is received and parsed. A batch is closed when it is full, when nothing
    /// more is waiting and a commit can start, or when ``ListenerConfiguration/batchMaxWait`` has passed since its
    /// first delivery and a commit can start; while every commit slot is busy it keeps taking what arrives, up to
    /// ``ListenerConfiguration/batchSize``. Batches are acknowledged strictly in order, each as soon as it and every
    /// batch before it have committed (the contiguous prefix), by an acknowledger running beside the loop: nothing
    /// billed stays unacknowledged while the queue is idle, and a crash loses nothing.
    func consume(_ consumer: AMQPReconnectingConsumer, stopping: Stopping) async {
        var iterator = consumer.makeAsyncIterator()
        let (committing, commits) = AsyncStream.makeStream(of: Committing.self)
        let (slots, freed) = AsyncStream.makeStream(of: Void.self)
        let slotCount = max(1, self.configuration.batchesInFlight)
        for _ in 0..<slotCount { freed.yield() }
        var room = slots.makeAsyncIterator()
        let busy = BusySlots()
        async let acknowledged: Void = self.acknowledgeInOrder(committing, freeing: freed, busy: busy)
        let batchSize = max(1, self.configuration.batchSize)
        do {
            while !stopping.isRequested, let first = try await iterator.next(upTo: batchSize) {
                let opened = ContinuousClock.now
                var batch = self.prepare(first)
                while batch.deliveries.count < batchSize && !stopping.isRequested {
                    let canCommit = busy.count < slotCount
                    if canCommit && ContinuousClock.now - opened >= self.configuration.batchMaxWait { break }
                    let more = iterator.takeAvailable(upTo: batchSize - batch.deliveries.count)
                    if !more.isEmpty {
                        batch.append(self.prepare(more))
                    } else if canCommit {
                        break
                    } else {
                        // Every commit slot is busy: what arrives meanwhile joins this batch.
                        try await Task.sleep(for: Self.fillPollInterval)
                    }
                }
                self.metrics.batchSize.record(batch.deliveries.count)
                batch.lagID = self.lag.received(
                    batch.deliveries.count,
                    buffered: iterator.bufferedCount,
                    at: BillingTime(date: Date())
                )
                // Room for one more commit: an earlier batch was acknowledged (or the acknowledger stopped).
                guard await room.next() != nil, !stopping.isRequested else {
                    if let id = batch.lagID { self.lag.finished(id) }
                    break
                }
                let prepared = batch
                busy.add(1)
                commits.yield(
                    Committing(batch: prepared, task: Task { try await self.settle(prepared, stopping: stopping) })
                )
            }
        } catch {
            if !stopping.isRequested {
                self.logger.error(
                    "notification listener failed",
                    metadata: ["error": "\(String(reflecting: error))"]
                )
            }
        }
        // The batches in hand still commit and are acknowledged in order. On a shutdown an ack may find the
        // connection closed already; the broker then delivers those messages again, and that changes nothing.
        commits.finish()
        await acknowledged
        await consumer.close()
    }

    /// How often a batch waiting for a commit slot looks for more deliveries.
    static let fillPollInterval = Duration.milliseconds(1)
    /// How often the lag gauges are refreshed when no batch refreshes them.
    static let metricsRefreshInterval = Duration.seconds(5)

    /// How many commits are in flight.
    final class BusySlots: Sendable {
        private let value = Atomic(0)

        var count: Int { self.value.load(ordering: .acquiring) }

        func add(_ delta: Int) { self.value.add(delta, ordering: .acquiringAndReleasing) }
    }

    /// A batch being committed.
    struct Committing: Sendable {
        var batch: PreparedBatch
        var task: Task<IngestReport?, any Error>
    }

    /// Acknowledges the committing batches in order as each commits; stops acknowledging at the first that did not
    /// (a shutdown interrupted it: it and the later ones are delivered again). Frees a slot after each.
    func acknowledgeInOrder(
        _ committing: AsyncStream<Committing>,
        freeing freed: AsyncStream<Void>.Continuation,
        busy: BusySlots
    ) async {
        var acknowledging = true
        for await entry in committing {
            let report = try? await entry.task.value
            if acknowledging, let report {
                await self.acknowledge(entry.batch, report: report)
            } else {
                acknowledging = false
                if let id = entry.batch.lagID { self.lag.finished(id) }
            }
            busy.add(-1)
            freed.yield()
        }
        freed.finish()
    }

    /// What identifies a parsed notification in a record of it set aside.
    struct Origin: Sendable {
        var messageID: String
        var eventType: String
        var publisherID: String?
    }

    /// A batch of deliveries, read.
    struct PreparedBatch: Sendable {
        var deliveries: [AMQPDelivery]
        /// The deliveries that go to the engine (billed or set aside); the others are ignored by design.
        var items: [Item]
        var ignored: Int
        /// The ignored ones by `definition` label.
        var ignoredByDefinition: [String: Int] = [:]
        /// Its id in ``NotificationListener/lag``.
        var lagID: Int?

        /// Adds deliveries prepared later (from the same channel).
        mutating func append(_ other: PreparedBatch) {
            self.deliveries += other.deliveries
            self.items += other.items
            self.ignored += other.ignored
            self.ignoredByDefinition.merge(other.ignoredByDefinition, uniquingKeysWith: +)
        }
    }

    /// Parses and converts a batch of deliveries.
    func prepare(_ deliveries: [AMQPDelivery]) -> PreparedBatch {
        let received = BillingTime(date: Date())
        self.statistics.update {
            $0.deliveries += deliveries.count
            if $0.firstDelivery == nil { $0.firstDelivery = received }
        }
        var items: [Item] = []
        items.reserveCapacity(deliveries.count)
        var ignored = 0
        var ignoredByDefinition: [String: Int] = [:]
        var receivedByDefinition: [String: Int] = [:]
        for delivery in deliveries {
            let item = self.read(delivery, at: received)
            receivedByDefinition[item.definition, default: 0] += 1
            if item.message == nil && item.rejection == nil {
                ignored += 1
                ignoredByDefinition[item.definition, default: 0] += 1
            } else {
                items.append(item)
            }
        }
        for (definition, count) in receivedByDefinition { self.metrics.count("received", definition, by: count) }
        return PreparedBatch(
            deliveries: deliveries,
            items: items,
            ignored: ignored,
            ignoredByDefinition: ignoredByDefinition
        )
    }

    /// Bills a prepared batch (what it sets aside included); an empty one only reports the lag.
    /// - Returns: What was billed, or `nil` when a shutdown interrupted the retries (nothing committed).
    func settle(_ batch: PreparedBatch, stopping: Stopping) async throws -> IngestReport? {
        if batch.items.isEmpty {
            if self.lag.isReportDue(every: .milliseconds(250)) {
                // Nothing to bill, but the lag still counts: a burst of notifications Bilean ignores is a backlog.
                try? await self.engine.reportListener(await self.lag.probedReport(excluding: batch.lagID))
            }
            return IngestReport()
        }
        return try await self.commit(batch.items, lagID: batch.lagID, stopping: stopping)
    }

    /// Acknowledges a committed batch (with every earlier delivery of its channel: one `multiple` ack).
    func acknowledge(_ batch: PreparedBatch, report: IngestReport) async {
        defer { if let id = batch.lagID { self.lag.finished(id) } }
        let done = BillingTime(date: Date())
        for (definition, count) in batch.ignoredByDefinition { self.metrics.count("ignored", definition, by: count) }
        self.statistics.update {
            $0.ignored += batch.ignored
            $0.billed += report.billed
            $0.duplicates += report.duplicates
            $0.rejected += report.rejected
            $0.lastCommit = done
        }
        if let last = batch.deliveries.last {
            do {
                try await last.ack(multiple: true)
            } catch {
                // The channel is gone: the broker delivers these messages again, and their ids are recorded.
                self.logger.warning(
                    "cannot acknowledge a billed batch; it will be delivered again and changes nothing",
                    metadata: ["error": "\(String(reflecting: error))", "count": "\(batch.deliveries.count)"]
                )
            }
        }
        self.logger.debug(
            "notifications billed",
            metadata: [
                "count": "\(batch.deliveries.count)", "billed": "\(report.billed)", "ignored": "\(batch.ignored)",
                "duplicates": "\(report.duplicates)", "rejected": "\(report.rejected)",
            ]
        )
    }

    /// Parses and converts one delivery.
    func read(_ delivery: AMQPDelivery, at received: BillingTime) -> Item {
        var item = Item(delivery: delivery)
        let body = delivery.body.readableBytesView
        do throws(NotificationRejection) {
            let parsed = try self.parser.parse(body)
            item.origin = Origin(
                messageID: parsed.messageID,
                eventType: parsed.eventType,
                publisherID: parsed.publisherID
            )
            var matched: EventDefinition?
            defer { if let matched { item.definition = self.definitionLabels[matched.line] ?? ListenerMetrics.other } }
            switch try self.converter.convert(parsed, matched: &matched) {
            case .facts(let facts):
                item.message = NotificationBatch.Message(messageID: parsed.messageID, facts: facts)
            case .ignored(let reason):
                self.logger.trace(
                    "notification ignored",
                    metadata: [
                        "message.id": "\(parsed.messageID)", "event_type": "\(parsed.eventType)",
                        "reason": "\(reason)",
                    ]
                )
            }
        } catch {
            item.rejection = self.rejection(
                code: "\(error.code)",
                reason: error.message,
                messageID: error.messageID ?? item.origin?.messageID,
                eventType: error.eventType ?? item.origin?.eventType,
                publisherID: item.origin?.publisherID,
                delivery: delivery,
                at: received
            )
        }
        return item
    }

    /// A record of a message set aside, logged.
    func rejection(
        code: String,
        reason: String,
        messageID: String?,
        eventType: String?,
        publisherID: String?,
        delivery: AMQPDelivery,
        at time: BillingTime
    ) -> RejectedNotification {
        let body = delivery.body.readableBytesView
        let rejection = RejectedNotification(
            id: RandomID.timeOrdered(),
            receivedAt: time,
            messageID: messageID.map { Self.storable($0, limit: 255) },
            eventType: eventType.map { Self.storable($0, limit: 255) },
            publisherID: publisherID.map { Self.storable($0, limit: 255) },
            code: Self.storable(code, limit: 64),
            reason: Self.storable(reason, limit: 2048),
            exchange: delivery.exchange,
            routingKey: delivery.routingKey,
            bodySize: body.count,
            bodyExcerpt: RejectedNotification.excerpt(of: body)
        )
        self.logger.warning(
            "notification set aside",
            metadata: [
                "code": "\(code)", "reason": "\(reason)", "message.id": "\(messageID ?? "-")",
                "event_type": "\(eventType ?? "-")", "exchange": "\(delivery.exchange)",
                "routing_key": "\(delivery.routingKey)", "rejection.id": "\(rejection.id)",
            ]
        )
        return rejection
    }

    /// Text from a notification as the rejected-notifications table can keep it: control characters (NUL, which
    /// PostgreSQL refuses in text, among them) replaced by U+FFFD, and at most `limit` characters.
    static func storable(_ text: String, limit: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(limit * 2) {
            scalars.append(scalar.properties.generalCategory == .control ? "\u{FFFD}" : scalar)
        }
        return String(String(scalars).prefix(limit))
    }

    /// Commits a batch, retrying on failure; after a few failures, one message at a time.
    /// - Returns: What was done, or `nil` when a shutdown interrupted the retries.
    func commit(_ items: [Item], lagID: Int? = nil, stopping: Stopping) async throws -> IngestReport? {
        var batch = NotificationBatch(
            messages: items.compactMap(\.message),
            rejections: items.compactMap(\.rejection)
        )
        var failures = 0
        let started = ContinuousClock.now
        while !stopping.isRequested {
            do {
                // The lag recorded with the batch: what still waits once it commits.
                let lag = await self.lag.reportForCommit(excluding: lagID)
                batch.report = lag
                let report = try await self.engine.ingest(batch)
                self.statistics.update { $0.commits += 1 }
                self.metrics.commitDuration.recordSince(started)
                self.metrics.record(lag)
                self.count(items, report)
                return report
            } catch {
                failures += 1
                self.statistics.update { $0.failedCommits += 1 }
                // Only the engine's verdict on the batch blames it; an engine that is down, slow or failing does not.
                let refused = (error as? BileanError).map { Self.blamesTheMessages($0.code) } ?? false
                self.logger.warning(
                    "cannot bill a batch of notifications; retrying",
                    metadata: [
                        "error": "\(String(reflecting: error))", "attempt": "\(failures)",
                        "count": "\(items.count)",
                    ]
                )
                if items.count > 1 && (refused || failures >= Self.attemptsBeforeSplitting) {
                    return try await self.commitEach(items, stopping: stopping)
                }
                if items.count == 1 && refused {
                    return try await self.commitSetAside(items[0], error: error, stopping: stopping)
                }
                // An internal error is the database's fault until a probe shows that it answers: only then is the
                // message itself blamed and set aside (else it waits, unacknowledged, however long the outage).
                if items.count == 1 && failures >= Self.attemptsBeforeSettingAside {
                    if await self.databaseAnswers() {
                        return try await self.commitSetAside(items[0], error: error, stopping: stopping)
                    }
                    failures = Self.attemptsBeforeSplitting
                }
                try await self.pause(afterFailures: failures, stopping: stopping)
            }
        }
        return nil
    }

    /// Counts the outcomes of a committed batch by definition (an engine of an earlier release names no duplicates:
    /// during an upgrade they count as billed).
    func count(_ items: [Item], _ report: IngestReport) {
        var duplicateIDs = Set(report.duplicateIDs)
        var outcomes: [String: [String: Int]] = [:]
        for item in items {
            let outcome: String
            if let message = item.message {
                outcome = duplicateIDs.remove(message.messageID) != nil ? "duplicate" : "billed"
            } else {
                outcome = "rejected"
            }
            outcomes[outcome, default: [:]][item.definition, default: 0] += 1
        }
        for (outcome, byDefinition) in outcomes {
            for (definition, count) in byDefinition { self.metrics.count(outcome, definition, by: count) }
        }
    }

    /// Commits each message of a batch on its own.
    func commitEach(_ items: [Item], stopping: Stopping) async throws -> IngestReport? {
        var total = IngestReport()
        for item in items {
            guard let report = try await self.commit([item], stopping: stopping) else { return nil }
            total.billed += report.billed
            total.duplicates += report.duplicates
            total.rejected += report.rejected
        }
        return total
    }

    /// Sets aside a message that the engine keeps refusing, with the engine's reason.
    func commitSetAside(_ item: Item, error: any Error, stopping: Stopping) async throws -> IngestReport? {
        let code: String
        let reason: String
        if let error = error as? BileanError, Self.blamesTheMessages(error.code) {
            code = "engine_refused"
            reason = error.description
        } else {
            code = "engine_failed"
            reason = "billing failed \(Self.attemptsBeforeSettingAside) times: \(String(describing: error))"
        }
        let rejection = self.rejection(
            code: code,
            reason: reason,
            messageID: item.origin?.messageID,
            eventType: item.origin?.eventType,
            publisherID: item.origin?.publisherID,
            delivery: item.delivery,
            at: BillingTime(date: Date())
        )
        var failures = 0
        while !stopping.isRequested {
            do {
                let report = try await self.engine.ingest(NotificationBatch(rejections: [rejection]))
                self.statistics.update { $0.commits += 1 }
                self.metrics.count("rejected", item.definition)
                return report
            } catch {
                // The database itself is failing: wait for it, keeping the message unacknowledged.
                failures += 1
                self.statistics.update { $0.failedCommits += 1 }
                self.logger.warning(
                    "cannot record a rejected notification; retrying",
                    metadata: ["error": "\(String(reflecting: error))", "attempt": "\(failures)"]
                )
                try await self.pause(afterFailures: failures, stopping: stopping)
            }
        }
        return nil
    }

    /// Whether the database answers a read now (the probe before a message is blamed for a failure).
    func databaseAnswers() async -> Bool {
        (try? await self.engine.probe()) != nil
    }

    /// Waits before a retry; returns early on shutdown.
    func pause(afterFailures failures: Int, stopping: Stopping) async throws {
        let delay = self.backoff.delay(afterFailures: failures)
        let step = Duration.milliseconds(100)
        var waited = Duration.zero
        while waited < delay && !stopping.isRequested {
            try await Task.sleep(for: step)
            waited += step
        }
    }

    /// Whether an engine error is a verdict on the messages (invalid, unknown, conflicting), not an outage (an
    /// internal error, no engine running, a timeout over RPC).
    static func blamesTheMessages(_ code: BileanError.Code) -> Bool {
        code == .invalidInput || code == .notFound || code == .conflict
    }

    /// Failed attempts of a whole batch before it is retried one message at a time.
    static let attemptsBeforeSplitting = 3
    /// Failed attempts of a single message before it is set aside.
    static let attemptsBeforeSettingAside = 5

    /// A shutdown request, shared with the graceful-shutdown handler.
    final class Stopping: Sendable {
        private let requested = Atomic(false)

        var isRequested: Bool { self.requested.load(ordering: .acquiring) }

        func request() { self.requested.store(true, ordering: .releasing) }
    }
}
