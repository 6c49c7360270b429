import Dispatch

/// Runs jobs on a private serial dispatch queue (its own thread), not on Swift's cooperative pool.
public final class BlockingWorkExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "hotfix-audit.tests.blocking")

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// Runs a test body that blocks (waits on processes, sockets, sleeps) on its own thread, so that
/// it cannot starve the cooperative pool that other suites' async tests (probe campaigns, lab
/// relays) run on — on 2 cores that pool has 2 threads. Task locals (the current test) carry over,
/// so `#expect` inside still reports to this test.
public func offCooperativePool<T>(_ body: () async throws -> T) async throws -> T {
    try await withTaskExecutorPreference(BlockingWorkExecutor()) { try await body() }
}
