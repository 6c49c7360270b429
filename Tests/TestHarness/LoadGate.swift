import Testing

/// A process-wide reader/writer gate that keeps the responder load tests apart from the tests that
/// assert wall-clock bounds or measure memory.
///
/// `swift test` runs the suites of every test target in parallel in one process; on 2 cores a load
/// test (1,000 connections, 10,000-line floods) starves everything beside it for seconds, so a
/// deadline check elsewhere fails although nothing is wrong. Timing-sensitive and resource-heavy
/// tests enter shared (they still run beside each other and beside everything else); load tests
/// enter exclusive, so they never overlap one. Waiters are admitted in arrival order, so a load
/// test is not starved by a stream of shared entries, and a shared entry waits at most for the
/// load test ahead of it.
///
/// Only real time needs the gate. Campaign, listen-only and greeting-scan waits are measured on an
/// injected `CampaignClock`, so tests of those deadlines and of the rate limit drive a manual clock
/// and enter no gate (`CampaignDeadlineTests`, the rate-limit and listen-only tests). What stays
/// gated: the load tests themselves (thousands of real sockets), and tests whose bounds are
/// wall-clock by nature — real peers and relays on loopback, the CLI as a subprocess, importers that
/// must refuse hostile input within seconds.
public actor LoadGate {
    /// The one gate of the test process (all test targets link this module once).
    public static let shared = LoadGate()

    /// Whether the current task already holds the gate (through a suite's trait and a test's own).
    @TaskLocal public static var isHeld = false

    private var readers = 0
    private var writer = false
    private var waiting: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    /// A gate of its own (tests of the gate itself; everything else uses ``shared``).
    public init() {}

    /// How many entries wait to be admitted.
    public var queued: Int { waiting.count }

    /// Runs `body` holding the gate shared or exclusive; the gate is released when it returns or throws.
    public nonisolated func with<T>(exclusive: Bool, _ body: () async throws -> T) async throws -> T {
        await acquire(exclusive: exclusive)
        do {
            let result = try await body()
            await release(exclusive: exclusive)
            return result
        } catch {
            await release(exclusive: exclusive)
            throw error
        }
    }

    func acquire(exclusive: Bool) async {
        if waiting.isEmpty && admits(exclusive) {
            enter(exclusive)
            return
        }
        await withCheckedContinuation { waiting.append((exclusive, $0)) }
    }

    func release(exclusive: Bool) {
        if exclusive { writer = false } else { readers -= 1 }
        while let next = waiting.first, admits(next.exclusive) {
            waiting.removeFirst()
            enter(next.exclusive)
            next.continuation.resume()
        }
    }

    private func admits(_ exclusive: Bool) -> Bool { exclusive ? !writer && readers == 0 : !writer }

    private func enter(_ exclusive: Bool) {
        if exclusive { writer = true } else { readers += 1 }
    }
}
