import AuditCore
import Foundation
import NIOCore
import SMTPProbe
import NIOPosix

/// What a greeting-only scan learnt from one host.
public struct GreetingScanResult: Sendable, Hashable {
    /// The host as the inventory names it.
    public var host: String
    /// The address connected to.
    public var address: String
    /// The greeting read; nil when the host could not be reached or sent none.
    public var observation: GreetingObservation?
    /// Why no greeting was read (nil when one was).
    public var failure: String?
    /// The conversation, `C: ` / `S: ` lines, host text escaped.
    public var transcript: String
}

/// The cheapest scan of a fleet: connect, read the greeting, `QUIT` — no trigger message, no
/// responder, no delivery. The greeting's `Version:` is the running smtpsvc.dll's. Runs with the
/// same bounds as a probe campaign's trigger: connect timeout, conversation timeout, hosts at once
/// and new connections per second.
public struct GreetingScanner: Sendable {
    /// Bound on opening the TCP connection to a host.
    public var connectTimeoutMilliseconds: Int
    /// Bound on the whole conversation with one host (greeting and QUIT).
    public var timeoutMilliseconds: Int
    /// Hosts read at the same time.
    public var concurrency: Int
    /// New connections per second across the scan, so that a large fleet is not hit at once.
    public var ratePerSecond: Int
    /// Port for addresses that name none.
    public var defaultSMTPPort: Int
    private let group: any EventLoopGroup
    private let clock: any CampaignClock

    /// A scanner; the defaults are those of `probe --greeting-only`, and `clock` paces connections and deadlines.
    public init(connectTimeoutMilliseconds: Int = 5000, timeoutMilliseconds: Int = 60_000, concurrency: Int = 256,
                ratePerSecond: Int = 200, defaultSMTPPort: Int = 25,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, clock: any CampaignClock = SystemCampaignClock()) {
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.concurrency = max(1, concurrency)
        self.ratePerSecond = max(1, ratePerSecond)
        self.defaultSMTPPort = defaultSMTPPort
        self.group = group
        self.clock = clock
    }

    /// The same bounds as `configuration`'s trigger.
    public init(configuration: CampaignConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.init(connectTimeoutMilliseconds: configuration.connectTimeoutMilliseconds,
                  timeoutMilliseconds: configuration.triggerTimeoutMilliseconds, concurrency: configuration.concurrency,
                  ratePerSecond: configuration.ratePerSecond, defaultSMTPPort: configuration.defaultSMTPPort, group: group)
    }

    /// Reads every target's greeting (bounded concurrency, rate-limited); results in target order.
    public func scan(targets: [ProbeTarget], campaign: String,
                     progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) async -> [GreetingScanResult] {
        let limiter = RateLimiter(perSecond: ratePerSecond, clock: clock)
        let done = LockedBox(0)
        var results = [GreetingScanResult?](repeating: nil, count: targets.count)
        await withTaskGroup(of: (Int, GreetingScanResult).self) { group in
            var next = 0
            func addNext() {
                guard next < targets.count else { return }
                let index = next
                next += 1
                group.addTask {
                    await limiter.acquire()
                    let result = await read(targets[index], campaign: campaign)
                    let count = done.withLock { value -> Int in value += 1; return value }
                    progress?(count, targets.count)
                    return (index, result)
                }
            }
            for _ in 0..<min(concurrency, targets.count) { addNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                addNext()
            }
        }
        return results.compactMap { $0 }
    }

    /// One host: connect, read the greeting, `QUIT`.
    public func read(_ target: ProbeTarget, campaign: String) async -> GreetingScanResult {
        var result = GreetingScanResult(host: target.host, address: target.address, observation: nil, failure: nil, transcript: "")
        guard let (host, port) = splitHostPort(target.address, defaultPort: defaultSMTPPort) else {
            result.failure = "bad address '\(TerminalText.escaped(target.address))'"
            return result
        }
        let seenAt = Date().timeIntervalSince1970
        do {
            result = try await withSMTPClient(
                host: host, port: port, group: group, connectTimeoutMilliseconds: connectTimeoutMilliseconds,
                timeoutMilliseconds: timeoutMilliseconds, transcriptCap: 4096
            ) { conversation in
                let reply = try await conversation.readWhole()
                var done = result
                done.observation = GreetingObservation(host: target.host, seenAt: seenAt, source: .greetingOnly, campaign: campaign,
                                                       greeting: SMTPGreeting(text: TriggerClient.greetingText(reply)))
                try? await conversation.send("QUIT")
                _ = try? await conversation.read()
                done.transcript = conversation.transcript.text
                return done
            } onFailure: { conversation, error in
                var failed = result
                failed.failure = TerminalText.escaped("\(error)")
                failed.transcript = conversation.transcript.text
                return failed
            }
        } catch {
            result.failure = TerminalText.escaped("\(error)")
        }
        return result
    }
}
