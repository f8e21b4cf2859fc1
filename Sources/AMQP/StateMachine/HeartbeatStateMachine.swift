/// Heartbeat bookkeeping of one connection: when to send a heartbeat frame, and when the broker is dead.
///
/// The scheme: once the heartbeat is negotiated (`heartbeat` seconds, not 0), the handler calls ``timerFired()`` every
/// ``Tuning/heartbeatTimerInterval``, half a heartbeat interval (a *tick*). ``frameReceived()`` and ``frameSent()``
/// only set a flag, so that they cost nothing on the hot path. At each tick:
///
/// - a tick with nothing received adds 1 to the ticks without a frame from the broker; a frame resets it. At 4
///   ticks (two heartbeat intervals, RabbitMQ's rule) the action is ``Action/deadPeer``. Because frames are only
///   looked at on ticks, the silence is then between 2 and 2.5 heartbeat intervals long.
/// - a tick with nothing sent since the previous one gives ``Action/sendHeartbeat``: an idle connection sends a
///   heartbeat every half interval, as RabbitMQ's own clients do (every timeout / 2). The broker, which gives up
///   after two silent intervals, then sees a frame at least once an interval even when this process is starved of
///   CPU for most of an interval.
struct HeartbeatStateMachine: Sendable {
    /// What to do on a tick.
    enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// Write a heartbeat frame (channel 0).
        case sendHeartbeat
        /// Close the connection with ``AMQPError/Code/deadPeer``: nothing came for two heartbeat intervals.
        case deadPeer
    }

    /// Ticks per heartbeat interval: the timer fires every heartbeat / 2.
    static let ticksPerInterval = 2
    /// Ticks of silence from the broker after which it is dead: two heartbeat intervals.
    static let deadPeerTicks = 2 * ticksPerInterval
    /// Ticks of silence towards the broker after which a heartbeat is sent: half a heartbeat interval.
    static let sendTicks = 1

    private var enabled = false
    private var receivedSinceLastTick = false
    private var sentSinceLastTick = false
    private var ticksWithoutReceiving = 0
    private var ticksWithoutSending = 0

    /// Creates the bookkeeping, disabled until ``start()``.
    init() {}

    /// Starts counting ticks (the heartbeat was negotiated and is not 0).
    mutating func start() {
        self.enabled = true
        self.ticksWithoutReceiving = 0
        self.ticksWithoutSending = 0
    }

    /// Stops counting: ticks return ``Action/none``.
    mutating func stop() {
        self.enabled = false
    }

    /// A frame (any frame) came from the broker.
    mutating func frameReceived() {
        self.receivedSinceLastTick = true
    }

    /// A frame (any frame) was written to the broker.
    mutating func frameSent() {
        self.sentSinceLastTick = true
    }

    /// The heartbeat timer fired: half a heartbeat interval passed.
    ///
    /// - Returns: What to do.
    mutating func timerFired() -> Action {
        guard self.enabled else { return .none }
        self.ticksWithoutReceiving = self.receivedSinceLastTick ? 0 : self.ticksWithoutReceiving + 1
        self.ticksWithoutSending = self.sentSinceLastTick ? 0 : self.ticksWithoutSending + 1
        self.receivedSinceLastTick = false
        self.sentSinceLastTick = false
        if self.ticksWithoutReceiving >= Self.deadPeerTicks {
            self.enabled = false
            return .deadPeer
        }
        if self.ticksWithoutSending >= Self.sendTicks {
            self.ticksWithoutSending = 0
            return .sendHeartbeat
        }
        return .none
    }
}
