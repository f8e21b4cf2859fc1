import BileanCore
import BileanStore

/// The writes of one engine operation, collected while it runs and flushed in a few multi-row statements
/// before it commits: a batch of notifications costs a handful of statements, not a dozen per event.
struct PendingWrites {
    /// Resources known in this operation (looked up or changed), by id.
    private(set) var resources: [String: Resource] = [:]
    /// Ids looked up in the store, whether they existed or not.
    private(set) var lookedUp: Set<String> = []
    /// Ids of changed resources, in the order of their first change.
    private var changed: [String] = []
    private var changedSet: Set<String> = []
    /// New history entries.
    private(set) var timeline: [TimelineRecord] = []
    /// New consumptions.
    var consumptions: [Consumption] = []
    /// New audit events.
    var events: [Event] = []
    /// Users whose pending freeze actions are cancelled (thawed).
    private var cancelledCloudActions: Set<String> = []
    /// New cloud actions (a freeze's, or a thaw's restarts), written after the cancellations.
    private(set) var cloudActions: [CloudAction] = []
    /// Users whose record of stopped resources is forgotten (thawed).
    private var forgottenStops: Set<String> = []

    /// Cancels a thawed user's freeze actions that have not run yet (stored, or new in this operation), and forgets
    /// what its freeze stopped.
    mutating func cancelCloudActions(of userID: String) {
        self.cancelledCloudActions.insert(userID)
        self.forgottenStops.insert(userID)
        self.cloudActions.removeAll { $0.userID == userID }
    }

    /// Cancels a user's pending restarts (it is frozen again).
    mutating func cancelRestarts(of userID: String) {
        self.cancelledRestarts.insert(userID)
        self.cloudActions.removeAll { $0.userID == userID && $0.kind == .start }
    }

    /// Users whose pending restarts are cancelled.
    private var cancelledRestarts: Set<String> = []

    /// Queues a cloud action.
    mutating func append(_ action: CloudAction) {
        self.cloudActions.append(action)
    }

    /// Records resources looked up in the store (`ids` that are absent from `found` do not exist).
    mutating func remember(lookedUp ids: [String], found: [Resource]) {
        self.lookedUp.formUnion(ids)
        for resource in found where self.resources[resource.id] == nil {
            self.resources[resource.id] = resource
        }
    }

    /// The current state of a resource, from this operation or the store.
    func resource(_ id: String, in transaction: any StoreTransaction) async throws -> Resource? {
        if let resource = self.resources[id] { return resource }
        if self.lookedUp.contains(id) { return nil }
        return try await transaction.resource(id)
    }

    /// Records a resource's new state.
    mutating func save(_ resource: Resource) {
        self.resources[resource.id] = resource
        self.lookedUp.insert(resource.id)
        if self.changedSet.insert(resource.id).inserted { self.changed.append(resource.id) }
    }

    /// Adds an entry to a resource's history.
    mutating func append(_ record: TimelineRecord) {
        self.timeline.append(record)
    }

    /// A resource's whole history: the stored entries and those of this operation.
    func timeline(of resourceID: String, in transaction: any StoreTransaction) async throws -> [TimelineRecord] {
        var stored = try await transaction.timeline(resourceID: resourceID)
        for index in stored.indices {
            let key = RateKey(resourceID: resourceID, messageID: stored[index].entry.messageID)
            if let rate = self.rateUpdates[key] { stored[index].entry.rate = rate }
        }
        return stored + self.timeline.filter { $0.resourceID == resourceID }
    }

    /// Changes the rate of an entry of a resource's history (new in this operation, or stored).
    mutating func updateRate(resourceID: String, messageID: String, rate: Rate) {
        if let index = self.timeline.firstIndex(where: {
            $0.resourceID == resourceID && $0.entry.messageID == messageID
        }) {
            self.timeline[index].entry.rate = rate
        } else {
            self.rateUpdates[RateKey(resourceID: resourceID, messageID: messageID)] = rate
        }
    }

    struct RateKey: Hashable {
        var resourceID: String
        var messageID: String
    }

    /// New rates of stored history entries.
    private var rateUpdates: [RateKey: Rate] = [:]

    /// The user's live resources as they stand in this operation.
    func liveResources(of userID: String, stored: [Resource]) -> [Resource] {
        var byID = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in self.changed {
            guard let resource = self.resources[id], resource.userID == userID else { continue }
            byID[id] = resource
        }
        return byID.values.filter { $0.deletedAt == nil }.sorted { $0.id < $1.id }
    }

    /// Writes everything collected, then forgets it.
    mutating func flush(to transaction: any StoreTransaction) async throws {
        try await transaction.saveResources(self.changed.compactMap { self.resources[$0] })
        try await transaction.appendTimeline(self.timeline)
        for (key, rate) in self.rateUpdates.sorted(by: {
            ($0.key.resourceID, $0.key.messageID) < ($1.key.resourceID, $1.key.messageID)
        }) {
            try await transaction.updateTimelineRate(resourceID: key.resourceID, messageID: key.messageID, rate: rate)
        }
        self.rateUpdates = [:]
        try await transaction.insertConsumptions(self.consumptions)
        try await transaction.insertEvents(self.events)
        for userID in self.cancelledCloudActions.sorted() {
            try await transaction.deleteCloudActions(userID: userID)
        }
        self.cancelledCloudActions = []
        for userID in self.cancelledRestarts.sorted() {
            try await transaction.deleteCloudActions(userID: userID, kind: .start)
        }
        self.cancelledRestarts = []
        for userID in self.forgottenStops.sorted() {
            try await transaction.deleteStoppedResources(userID: userID)
        }
        self.forgottenStops = []
        try await transaction.insertCloudActions(self.cloudActions)
        self.cloudActions = []
        self.changed = []
        self.changedSet = []
        self.timeline = []
        self.consumptions = []
        self.events = []
    }
}
