import NIOCore

/// The command/data/idle timeouts, write-stall and linger limits of the sessions on one event loop, checked by one
/// repeating task every ``tick`` instead of one scheduled task per session: a task per session costs,
/// on every connection, a queue insertion, an O(n) removal when it is cancelled, and a promise failed
/// with `cancelled`. A deadline is acted on at most one tick late (the tick is a twentieth of the
/// shortest timeout, 10 ms to 1 s). Runs only while sessions are registered. Loop-confined: every
/// method is called on ``eventLoop``.
package final class SessionTimeouts: @unchecked Sendable {
    /// The loop whose sessions this sweep checks; every call happens on it.
    package let eventLoop: any EventLoop
    /// How often the sessions' deadlines are checked.
    package let tick: TimeAmount
    private var sessions: [ObjectIdentifier: ResponderHandler] = [:]
    private var task: RepeatedTask?

    /// A sweep for `eventLoop`, checking every `tick` while it has sessions.
    package init(eventLoop: any EventLoop, tick: TimeAmount) {
        self.eventLoop = eventLoop
        self.tick = tick
    }

    /// The tick for `limits`: a twentieth of the shortest timeout (command, data, idle, write stall),
    /// between 10 ms and 1 s.
    package static func tick(for limits: ResponderLimits) -> TimeAmount {
        let shortest = min(limits.commandTimeoutMilliseconds, limits.dataTimeoutMilliseconds,
                           limits.idleSessionMilliseconds, limits.writeStallTimeoutMilliseconds)
        return .milliseconds(Int64(min(1000, max(10, shortest / 20))))
    }

    /// Sessions being watched.
    package var count: Int { sessions.count }

    /// Watches `handler`'s deadlines (starting the sweep for the first session).
    package func add(_ handler: ResponderHandler) {
        eventLoop.assertInEventLoop()
        sessions[ObjectIdentifier(handler)] = handler
        if task == nil {
            task = eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { _ in self.check() }
        }
    }

    /// Stops watching `handler` (stopping the sweep after the last session).
    package func remove(_ handler: ResponderHandler) {
        eventLoop.assertInEventLoop()
        guard sessions.removeValue(forKey: ObjectIdentifier(handler)) != nil else { return }
        if sessions.isEmpty {
            task?.cancel()
            task = nil
        }
    }

    private func check() {
        let now = eventLoop.now
        // Collected first: acting on a deadline may close a session, which removes it from `sessions`.
        let due = sessions.values.filter { $0.isDue(now) }
        for handler in due { handler.deadlinePassed(now: now) }
    }
}
