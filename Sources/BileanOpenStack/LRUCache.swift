/// A bounded least-recently-used map with O(1) lookup, insertion and eviction. Not thread-safe: its owner
/// guards it (``KeystoneTokenValidator`` keeps it in a `Mutex`).
struct LRUCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var key: Key
        var value: Value
        var newer: Int?
        var older: Int?
    }

    /// The most entries kept.
    let capacity: Int
    private var nodes: [Node] = []
    private var index: [Key: Int] = [:]
    private var free: [Int] = []
    private var newest: Int?
    private var oldest: Int?

    /// Creates an empty cache.
    /// - Parameter capacity: The most entries kept (at least 1).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// How many entries are kept.
    var count: Int { self.index.count }

    /// The value of a key, which becomes the most recently used.
    mutating func value(for key: Key) -> Value? {
        guard let slot = self.index[key] else { return nil }
        self.unlink(slot)
        self.linkNewest(slot)
        return self.nodes[slot].value
    }

    /// Sets a key's value, as the most recently used; the least recently used entry goes when the cache is full.
    mutating func set(_ value: Value, for key: Key) {
        if let slot = self.index[key] {
            self.nodes[slot].value = value
            self.unlink(slot)
            self.linkNewest(slot)
            return
        }
        if self.index.count >= self.capacity, let oldest = self.oldest {
            self.remove(slot: oldest)
        }
        let node = Node(key: key, value: value, newer: nil, older: nil)
        let slot: Int
        if let reused = self.free.popLast() {
            self.nodes[reused] = node
            slot = reused
        } else {
            self.nodes.append(node)
            slot = self.nodes.count - 1
        }
        self.index[key] = slot
        self.linkNewest(slot)
    }

    /// Removes a key.
    mutating func removeValue(for key: Key) {
        guard let slot = self.index[key] else { return }
        self.remove(slot: slot)
    }

    private mutating func remove(slot: Int) {
        self.unlink(slot)
        self.index.removeValue(forKey: self.nodes[slot].key)
        self.free.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let node = self.nodes[slot]
        if let newer = node.newer { self.nodes[newer].older = node.older } else { self.newest = node.older }
        if let older = node.older { self.nodes[older].newer = node.newer } else { self.oldest = node.newer }
        self.nodes[slot].newer = nil
        self.nodes[slot].older = nil
    }

    private mutating func linkNewest(_ slot: Int) {
        self.nodes[slot].older = self.newest
        self.nodes[slot].newer = nil
        if let newest = self.newest { self.nodes[newest].newer = slot }
        self.newest = slot
        if self.oldest == nil { self.oldest = slot }
    }
}
