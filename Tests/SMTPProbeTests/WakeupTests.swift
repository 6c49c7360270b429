import Foundation
import TestHarness
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// The campaign's wake-up: a change signalled before the wait is not lost, and a timer that fires
/// before the clock has reached the deadline (the old campaign's NIO wake-up, scheduled in whole
/// milliseconds rounded down, fired up to 1 ms early and was never re-armed) cannot end the wait.
@Suite struct WakeupTests {
    /// A clock whose sleeps always return early (after 1 ms of real time), whatever the deadline.
    final class EarlyWakingClock: CampaignClock, @unchecked Sendable {
        private let lock = NSLock()
        private var current: Duration = .zero
        var now: Duration { lock.withLock { current } }
        func set(_ value: Duration) { lock.withLock { current = value } }
        func sleep(until deadline: Duration) async throws { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func aSignalBeforeTheWaitIsKept() async {
        let wakeup = Wakeup()
        wakeup.signal()
        let clock = ManualCampaignClock()
        await wakeup.wait(until: .seconds(3600), clock: clock)
        #expect(clock.now == .zero, "returned on the kept signal, not on the clock")
    }

    // The waits run as `async let` children off the cooperative pool: other suites' blocking tests
    // cannot stall them, so the real-time bounds below only catch a wait that does not end.
    @Test func theWaitEndsWhenTheClockReachesTheDeadlineAndNotBefore() async throws { try await offCooperativePool {
        let wakeup = Wakeup()
        let clock = ManualCampaignClock()
        let done = LockedBox(false)
        func waitThenMark() async {
            await wakeup.wait(until: .seconds(10), clock: clock)
            done.withLock { $0 = true }
        }
        async let waiter: Void = waitThenMark()
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .milliseconds(9_999))
        try await Task.sleep(for: .milliseconds(100))
        #expect(!done.withLock { $0 })
        clock.advance(by: .milliseconds(1))
        await waiter
        #expect(done.withLock { $0 })
    } }

    @Test func aTimerThatFiresEarlyCannotEndTheWaitBeforeTheDeadline() async throws { try await offCooperativePool {
        let wakeup = Wakeup()
        let clock = EarlyWakingClock()
        let done = LockedBox(false)
        func waitThenMark() async {
            await wakeup.wait(until: .seconds(1), clock: clock)
            done.withLock { $0 = true }
        }
        async let waiter: Void = waitThenMark()
        try await Task.sleep(for: .milliseconds(200))
        #expect(!done.withLock { $0 }, "dozens of early timer firings, and still waiting")
        clock.set(.seconds(1))
        let reached = ContinuousClock.now
        await waiter
        #expect(ContinuousClock.now - reached < .seconds(5), "ends once the clock is at the deadline")
    } }

    @Test func cancellingTheWaiterEndsTheWait() async {
        let wakeup = Wakeup()
        let clock = ManualCampaignClock()
        let waiter = Task { await wakeup.wait(until: .seconds(3600), clock: clock) }
        waiter.cancel()
        await waiter.value
        #expect(clock.now == .zero)
    }
}
