/// Lets one task at a time through, in arrival order, without blocking a thread.
///
/// SQLite has one writer; the SQLite driver runs every transaction on its one connection through this gate.
actor AsyncSerialGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Waits until the gate is free and takes it.
    func enter() async {
        guard self.busy else {
            self.busy = true
            return
        }
        await withCheckedContinuation { self.waiters.append($0) }
    }

    /// Frees the gate, handing it to the next waiter if there is one.
    func leave() {
        if self.waiters.isEmpty {
            self.busy = false
        } else {
            self.waiters.removeFirst().resume()
        }
    }
}
