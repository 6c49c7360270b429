import TestHarness
import Testing

/// Records the order in which gated bodies enter and leave.
private actor Log {
    var events: [String] = []
    func add(_ event: String) { events.append(event) }
}

/// Polls `condition` (an actor property) until it holds; the gate's queue is observed, not timed.
private func until(_ condition: @escaping @Sendable () async -> Bool) async {
    while !(await condition()) { await Task.yield() }
}

/// Enters `gate` shared as "shared 1" and stays inside until `leave()` is called.
private func holdShared(_ gate: LoadGate, _ log: Log) async -> (task: Task<Void, any Error>, leave: @Sendable () -> Void) {
    let (leave, leaveNow) = AsyncStream<Void>.makeStream()
    let task = Task {
        try await gate.with(exclusive: false) {
            await log.add("shared 1 in")
            for await _ in leave { break }
            await log.add("shared 1 out")
        }
    }
    await until { await log.events.contains("shared 1 in") }
    return (task, { leaveNow.yield() })
}

@Suite(.timeLimit(.minutes(1))) struct LoadGateTests {
    @Test func sharedEntriesOverlapAndAnExclusiveOneWaitsForThem() async throws {
        let gate = LoadGate()
        let log = Log()
        let first = await holdShared(gate, log)
        // A second shared entry is admitted while the first is inside.
        try await gate.with(exclusive: false) { await log.add("shared 2 in+out") }
        // An exclusive entry waits for the first to leave.
        async let exclusive: Void = gate.with(exclusive: true) { await log.add("exclusive in+out") }
        await until { await gate.queued == 1 }
        first.leave()
        try await first.task.value
        try await exclusive
        #expect(await log.events == ["shared 1 in", "shared 2 in+out", "shared 1 out", "exclusive in+out"])
    }

    @Test func entriesAreAdmittedInArrivalOrderSoALoadTestIsNotStarved() async throws {
        let gate = LoadGate()
        let log = Log()
        let first = await holdShared(gate, log)
        async let exclusive: Void = gate.with(exclusive: true) { await log.add("exclusive in+out") }
        await until { await gate.queued == 1 }
        // A shared entry arriving after the waiting exclusive one queues behind it, although the gate is
        // only held shared: otherwise a stream of shared entries could starve the load test for ever.
        async let late: Void = gate.with(exclusive: false) { await log.add("shared 2 in+out") }
        await until { await gate.queued == 2 }
        first.leave()
        try await first.task.value
        try await exclusive
        try await late
        #expect(await log.events == ["shared 1 in", "shared 1 out", "exclusive in+out", "shared 2 in+out"])
    }

    @Test func aThrowingBodyReleasesTheGate() async throws {
        struct Boom: Error {}
        let gate = LoadGate()
        await #expect(throws: Boom.self) { try await gate.with(exclusive: true) { throw Boom() } }
        // Were the gate still held, this would wait for ever (the suite's time limit would fail it).
        let entered = try await gate.with(exclusive: true) { true }
        #expect(entered)
        #expect(await gate.queued == 0)
    }
}
