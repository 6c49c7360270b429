import SMTPProbe
/// Wakes one waiting task: on a change of what it waits for (``signal()``), or when a campaign
/// clock reaches a time (``wait(until:clock:)``). A signal that arrives while nobody waits is kept
/// for the next wait, so no change is lost between a check and the wait that follows it.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = LockedBox(State())

    /// Wakes the waiter now, or the next one to wait.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Waits for a signal, for `clock` to reach `deadline`, or for cancellation, whichever comes first.
    /// The timer re-sleeps until the clock really is at the deadline: it never wakes the waiter early.
    /// It is a child task, so it runs where the waiter runs (its executor preference included) and
    /// is cancelled with it.
    func wait(until deadline: Duration, clock: any CampaignClock) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                while clock.now < deadline {
                    do { try await clock.sleep(until: deadline) } catch { return }
                }
                signal()
            }
            await waitForSignal()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
    }
}
