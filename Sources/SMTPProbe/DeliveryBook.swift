/// The responder's evidence: delivery records by token, and strays. Shared between the
/// responder's event loops and the campaign tasks that wait for deliveries.
public final class DeliveryBook: Sendable {
    private struct Key: Hashable { var session: Int; var transaction: Int }
    private struct State {
        var byToken: [String: [Key: DeliveryRecord]] = [:]
        var order: [String: [Key]] = [:]
        var strays: [StrayRecord] = []
        var strayCount = 0
        var watchers: [String: AsyncStream<Void>.Continuation] = [:]
    }
    private let state = LockedBox(State())

    public init() {}

    /// Stores or updates a record (keyed by session and transaction).
    public func update(_ record: DeliveryRecord) {
        let watcher = state.withLock { state -> AsyncStream<Void>.Continuation? in
            let key = Key(session: record.sessionID, transaction: record.transactionID)
            if state.byToken[record.token, default: [:]].updateValue(record, forKey: key) == nil {
                state.order[record.token, default: []].append(key)
            }
            return state.watchers[record.token]
        }
        watcher?.yield()
    }

    /// Signals `continuation` whenever a record for `token` changes (one watcher per token).
    func watch(_ token: String, _ continuation: AsyncStream<Void>.Continuation) {
        state.withLock { $0.watchers[token.lowercased()] = continuation }
    }

    func unwatch(_ token: String) {
        _ = state.withLock { $0.watchers.removeValue(forKey: token.lowercased()) }
    }

    /// Strays kept for the log; later ones are only counted, so hostile peers cannot grow memory.
    public static let strayLimit = 1000

    public func addStray(_ stray: StrayRecord) {
        state.withLock { state in
            state.strayCount += 1
            if state.strays.count < Self.strayLimit { state.strays.append(stray) }
        }
    }

    /// How many strays arrived, including those beyond ``strayLimit``.
    public var strayCount: Int { state.withLock { $0.strayCount } }

    /// Delivery attempts for one token, in arrival order.
    public func records(for token: String) -> [DeliveryRecord] {
        state.withLock { state in
            let records = state.byToken[token.lowercased()] ?? [:]
            return (state.order[token.lowercased()] ?? []).compactMap { records[$0] }
        }
    }

    /// Every delivery record, grouped by token.
    public var allRecords: [String: [DeliveryRecord]] {
        state.withLock { state in
            state.byToken.mapValues { Array($0.values).sorted { ($0.sessionID, $0.transactionID) < ($1.sessionID, $1.transactionID) } }
        }
    }

    public var strays: [StrayRecord] { state.withLock { $0.strays } }
}
