import SMTPProbe
/// The time a probe campaign waits on: how long each host's wait has run, when its deadline and
/// grace period are over, how new connections are spaced. Injected so that tests advance time
/// instead of waiting for it (see the tests' `ManualCampaignClock`); the CLI uses
/// ``SystemCampaignClock``.
public protocol CampaignClock: Sendable {
    /// Time elapsed since the clock's origin (monotonic).
    var now: Duration { get }
    /// Returns once ``now`` has reached `deadline`; throws `CancellationError` when the task is
    /// cancelled first. A sleep that returns early is harmless: every waiter checks ``now`` again.
    func sleep(until deadline: Duration) async throws
}

extension CampaignClock {
    /// Sleeps for `duration` from now.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration)
    }
}

/// Real time: the continuous (monotonic) clock, counted from when this value was made.
public struct SystemCampaignClock: CampaignClock {
    private let origin: ContinuousClock.Instant

    /// A clock whose origin is now.
    public init() { origin = .now }

    /// Time since the origin, from the continuous clock.
    public var now: Duration { ContinuousClock.now - origin }

    /// Sleeps on the continuous clock until `deadline` after the origin.
    public func sleep(until deadline: Duration) async throws {
        try await Task.sleep(until: origin + deadline, clock: .continuous)
    }
}
