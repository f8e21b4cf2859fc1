package import BileanCore

/// The scheduler's settings (`[scheduler]`), with their defaults.
package struct SchedulerConfiguration: Sendable, Hashable {
    /// This scheduler's name in the jobs' `owner` column: unique per process.
    package var owner: String
    /// The longest sleep between two looks at the jobs table (`[scheduler] poll_interval`, 1 s): a job another
    /// process scheduled is fired at most this late.
    package var pollInterval: Duration = .seconds(1)
    /// How far ahead jobs are leased, to be fired on time from memory (`[scheduler] look_ahead`, 60 s).
    package var lookAheadSeconds: Int64 = 60
    /// How long a lease holds without renewal (`[scheduler] lease_time`, 30 s): the jobs of a scheduler that died are
    /// taken over this long after its last renewal. Renewed at every poll.
    package var leaseSeconds: Int64 = 30
    /// How many jobs are leased at most at once.
    package var claimLimit = 2000
    /// How many due jobs run in one transaction (`[scheduler] batch_size`, 200).
    package var batchSize = 200
    /// How many notices or freeze actions are read at once.
    package var outboxBatch = 100

    /// Creates the settings.
    /// - Parameter owner: This scheduler's unique name.
    package init(owner: String) {
        self.owner = owner
    }
}
