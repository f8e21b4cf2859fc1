package import BileanCore
import BileanStore
import Logging

extension Engine {
    package func ingest(_ batch: NotificationBatch) async throws -> IngestReport {
        for message in batch.messages {
            try Self.checkID(message.messageID, field: "message_id")
            for fact in message.facts {
                switch fact {
                case .resource(let event): try Self.check(event)
                case .user(let event): try Self.checkID(event.userID, field: "user_id")
                }
            }
        }
        let now = self.now()
        let ingested = try await self.transaction("ingest notifications") { transaction in
            var report = IngestReport()
            if let lag = batch.report {
                let within = self.configuration.freezeHold.isWithinLimits(lag)
                try await transaction.recordListenerReport(lag, at: now, withinLimits: within)
            }
            var fresh = try await transaction.markProcessed(batch.messages.map(\.messageID), at: now)
            // Resource facts are applied together, a run at a time; a project's creation or deletion is applied
            // where it comes, so that a deletion stops the resources created before it in the batch.
            var run: [ResourceEvent] = []
            for message in batch.messages {
                // `remove` also makes a second copy of a message within the batch a duplicate.
                guard fresh.remove(message.messageID) != nil else {
                    report.duplicates += 1
                    report.duplicateIDs.append(message.messageID)
                    continue
                }
                report.billed += 1
                var seen: Set<EventKey> = []
                for fact in message.facts {
                    switch fact {
                    case .resource(let event):
                        if seen.insert(EventKey(event)).inserted { run.append(event) }
                    case .user(let event):
                        try await self.applyFresh(run, now: now, in: transaction)
                        run = []
                        try await self.apply(event, now: now, in: transaction)
                    }
                }
            }
            try await self.applyFresh(run, now: now, in: transaction)
            // A rejected message is not recorded as processed, so that it can be replayed once the definitions or
            // the publisher are fixed; a redelivered one is not recorded twice.
            var recorded = try await transaction.rejectedMessageIDs(among: batch.rejections.compactMap(\.messageID))
            var rejections: [RejectedNotification] = []
            for rejection in batch.rejections {
                if let messageID = rejection.messageID, !recorded.insert(messageID).inserted { continue }
                rejections.append(rejection)
            }
            try await transaction.insertRejectedNotifications(rejections)
            report.rejected = rejections.count
            return report
        }
        // After the commit, in a transaction of its own: a prune that fails is only logged.
        await self.pruneIfDue()
        return ingested
    }

    /// Applies a project's creation or deletion in a transaction.
    func apply(_ event: UserEvent, now: BillingTime, in transaction: any StoreTransaction) async throws {
        switch event.action {
        case .create:
            // A name Bilean cannot keep (blank, too long, control characters) is left out, not fatal.
            var name = event.name
            if let given = name, (try? Self.checkName(given)) == nil { name = nil }
            _ = try await self.createUserLocked(id: event.userID, name: name, now: now, in: transaction)
        case .delete:
            let deleted = try await self.deleteUserLocked(id: event.userID, at: event.time, now: now, in: transaction)
            if !deleted {
                self.logger.info(
                    "project deletion for a project without an account; nothing to do",
                    metadata: ["user.id": "\(event.userID)", "message.id": "\(event.messageID)"]
                )
            }
        }
    }

    package func listRejectedNotifications(_ query: ListQuery) async throws -> [RejectedNotification] {
        var query = try self.validated(query, .rejectedNotifications)
        query.userID = nil
        return try await self.transaction("list rejected notifications", readOnly: true) { transaction in
            try await transaction.rejectedNotifications(query)
        }
    }

    package func rejectedNotification(_ id: String) async throws -> RejectedNotification {
        try Self.checkID(id, field: "id")
        return try await self.transaction("show rejected notification", readOnly: true) { transaction in
            guard let rejection = try await transaction.rejectedNotification(id) else {
                throw BileanError.notFound("Rejected notification", id)
            }
            return rejection
        }
    }
}
