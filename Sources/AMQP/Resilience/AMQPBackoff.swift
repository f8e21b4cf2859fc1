/// How long to wait between attempts to reconnect: exponential, capped, with jitter (so that many clients that lost
/// the same broker do not come back at the same instant).
public struct AMQPBackoff: Sendable, Hashable {
    /// The delay before the second attempt (the first is immediate).
    public var initial: Duration
    /// The longest delay.
    public var maximum: Duration

    /// Creates a backoff.
    ///
    /// - Parameters:
    ///   - initial: Defaults to 100 ms; each failure doubles it.
    ///   - maximum: Defaults to 10 s.
    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay after `failures` failed attempts in a row: `initial × 2^(failures − 1)`, capped at ``maximum``,
    /// then a random 50–100 % of it.
    ///
    /// - Parameter failures: Failed attempts so far (1 after the first failure); 0 gives no delay.
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = self.initial
        for _ in 1..<min(failures, 40) {
            delay *= 2
            if delay >= self.maximum { break }
        }
        delay = min(delay, self.maximum)
        return delay * Double.random(in: 0.5...1.0)
    }
}
