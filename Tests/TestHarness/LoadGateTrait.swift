import Foundation
import Testing

/// Runs each test case (or each test case of a suite) inside ``LoadGate``, shared or exclusive.
///
/// Wall-clock measurements inside a test start after the gate is entered, so time spent waiting
/// for a load test to finish never counts against a deadline. The test then runs off the cooperative
/// pool (``offCooperativePool``): on 2 cores that pool has 2 threads, and synchronous tests of other
/// suites can hold both for tens of seconds, which stalled campaign continuations far past their
/// deadlines (a 1 s tarpit campaign took 48 s); a heavy test, for its part, does not hold them.
public struct LoadGateTrait: TestTrait, SuiteTrait, TestScoping {
    /// Whether the test holds the gate alone (a load test) or beside other shared holders.
    public let exclusive: Bool

    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        guard testCase != nil else { return nil }
        // A load test inside a timing-sensitive suite enters exclusive only (shared then exclusive would wait on itself).
        if !exclusive, test.traits.contains(where: { ($0 as? LoadGateTrait)?.exclusive == true }) { return nil }
        return self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        // A suite trait and a test trait may both ask: enter once (a second shared entry queued behind a
        // waiting load test would wait on this very test).
        guard !LoadGate.isHeld else { return try await function() }
        try await LoadGate.$isHeld.withValue(true) {
            let asked = ContinuousClock.now
            try await LoadGate.shared.with(exclusive: exclusive) {
                let entered = ContinuousClock.now
                defer { log(test, waited: entered - asked, ran: ContinuousClock.now - entered) }
                try await offCooperativePool { try await function() }
            }
        }
    }
}

extension LoadGateTrait {
    /// `HOTFIX_AUDIT_GATE_LOG=1 swift test` prints, per gated test, how long it waited for the gate
    /// and how long it ran inside it (Swift Testing's own durations include the wait).
    static let logging = ProcessInfo.processInfo.environment["HOTFIX_AUDIT_GATE_LOG"] != nil

    func log(_ test: Test, waited: Duration, ran: Duration) {
        guard Self.logging else { return }
        let seconds = { (d: Duration) in String(format: "%.2f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
        print("gate \(exclusive ? "exclusive" : "shared"): \(test.name) waited \(seconds(waited)) s, ran \(seconds(ran)) s")
    }
}

extension Trait where Self == LoadGateTrait {
    /// The test asserts wall-clock bounds (deadlines, "answered within its usual time"): it never
    /// runs while a `.loadTest` saturates the machine.
    public static var timingSensitive: Self { LoadGateTrait(exclusive: false) }

    /// The test takes much CPU or memory itself, enough to blur a load test's latency and RSS
    /// figures: it never runs beside a `.loadTest` either.
    public static var resourceHeavy: Self { LoadGateTrait(exclusive: false) }

    /// The test saturates the machine on purpose (floods, thousands of connections): it runs while
    /// no `.timingSensitive` or `.resourceHeavy` test does.
    public static var loadTest: Self { LoadGateTrait(exclusive: true) }
}
