import NIOPosix

/// The thread of the SQLite writer, as a task executor: a write transaction runs on it from `BEGIN IMMEDIATE` to
/// `COMMIT` (with ``withTaskExecutorPreference(_:isolation:operation:)``), so that its statements, its lock wait
/// and its fsync neither hop between threads nor hold one of Swift's cooperative threads, which stay free for the
/// API and the listener meanwhile.
final class SQLiteWriterExecutor: TaskExecutor {
    private let thread: NIOThreadPool

    /// Starts the thread.
    init() {
        self.thread = NIOThreadPool(numberOfThreads: 1)
        self.thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = self.asUnownedTaskExecutor()
        self.thread.submit { _ in job.runSynchronously(on: executor) }
    }

    /// Stops the thread once its queued jobs have run.
    func shutdown() async throws {
        try await self.thread.shutdownGracefully()
    }
}
