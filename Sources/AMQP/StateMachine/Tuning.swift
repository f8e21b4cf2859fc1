/// The connection parameters agreed in `connection.tune` / `connection.tune-ok`.
struct Tuning: Sendable, Hashable {
    /// The highest channel number; 0 means no limit (65535).
    var channelMax: UInt16
    /// The largest frame, overhead included, in bytes; 0 means no limit. Never below 4096 otherwise.
    var frameMax: UInt32
    /// The heartbeat interval, in seconds; 0 means no heartbeats.
    var heartbeat: UInt16

    /// Creates tuning values as they are.
    init(channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16) {
        self.channelMax = channelMax
        self.frameMax = frameMax
        self.heartbeat = heartbeat
    }

    /// Negotiates the client's wishes with the broker's `connection.tune`.
    ///
    /// For each value, 0 from the client takes the broker's; 0 from the broker (no limit, or no heartbeat) takes the
    /// client's; otherwise the lower value wins. The spec's rule for `channel_max` and `frame_max` (the client may
    /// lower, never raise, a limit) and RabbitMQ's for the heartbeat (if either side says 0, the other value is used).
    /// A `frame_max` other than 0 is at least 4096, the spec's FRAME-MIN-SIZE.
    ///
    /// - Parameters:
    ///   - channelMax: The client's `channel_max`; 0 takes the broker's.
    ///   - frameMax: The client's `frame_max`; 0 takes the broker's.
    ///   - heartbeat: The client's heartbeat; 0 takes the broker's.
    ///   - tune: The broker's proposal.
    init(channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16, tune: AMQPMethod.Connection.Tune) {
        self.channelMax = Self.negotiate(channelMax, tune.channelMax)
        let frameMax = Self.negotiate(frameMax, tune.frameMax)
        self.frameMax = frameMax == 0 ? 0 : max(frameMax, AMQPFrame.minimumFrameSize)
        self.heartbeat = Self.negotiate(heartbeat, tune.heartbeat)
    }

    private static func negotiate<Value: FixedWidthInteger>(_ client: Value, _ server: Value) -> Value {
        if client == 0 { return server }
        if server == 0 { return client }
        return min(client, server)
    }

    /// The highest channel number the client may open.
    var highestChannelID: UInt16 { self.channelMax == 0 ? .max : self.channelMax }

    /// How often the handler calls ``ConnectionStateMachine/heartbeatTimerFired()``: half the heartbeat interval
    /// (see ``HeartbeatStateMachine``); `nil` without heartbeats.
    var heartbeatTimerInterval: Duration? {
        self.heartbeat == 0
            ? nil : .milliseconds(Int64(self.heartbeat) * 1000 / Int64(HeartbeatStateMachine.ticksPerInterval))
    }

    /// The `connection.tune-ok` to send.
    var tuneOk: AMQPMethod.Connection.TuneOk {
        AMQPMethod.Connection.TuneOk(channelMax: self.channelMax, frameMax: self.frameMax, heartbeat: self.heartbeat)
    }
}
