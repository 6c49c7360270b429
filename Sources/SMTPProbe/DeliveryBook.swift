/// The responder's evidence: delivery records by token, and strays. Shared between the
/// responder's event loops and the campaign tasks that wait for deliveries.
///
/// Memory is bounded per token: the first ``recordsPerToken`` transactions are kept in full, later
/// ones only counted — except that the first one to reach DATA, and the first to send premature
/// data, are kept as well when none of the kept ones did (what ``ProbeClassifier`` decides on), up
/// to two more. A host retrying forever, or a load generator reusing one token, cannot grow memory.
/// Only tokens the responder issued reach the book, so the number of tokens is the campaign's.
public final class DeliveryBook: Sendable {
    private struct Key: Hashable { var session: Int; var transaction: Int }

    /// One token's evidence.
    private struct TokenLog {
        /// Kept records in arrival order, and where each transaction's record is.
        var records: [DeliveryRecord] = []
        var index: [Key: Int] = [:]
        /// Every transaction that named the token, kept or not.
        var count = 0
        /// Transactions counted but not kept that are still open: their later updates are not new
        /// deliveries. Bounded by the open sessions; a transaction leaves when it finishes.
        var unkept: Set<Key> = []

        /// The record decides something no kept record does yet.
        func wants(_ record: DeliveryRecord) -> Bool {
            if record.dataCommandReceived, !records.contains(where: \.dataCommandReceived) { return true }
            if Self.isPremature(record), !records.contains(where: Self.isPremature) { return true }
            return false
        }

        static func isPremature(_ record: DeliveryRecord) -> Bool { record.sentMessageDataEarly }

        mutating func keep(_ record: DeliveryRecord, _ key: Key) {
            index[key] = records.count
            records.append(record)
        }
    }

    private struct State {
        var tokens: [String: TokenLog] = [:]
        var strays: [StrayRecord] = []
        var strayCount = 0
        var watchers: [String: @Sendable () -> Void] = [:]
    }
    private let state = LockedBox(State())

    /// Transactions kept in full per token (beyond them: a count, plus at most two deciding records).
    public let recordsPerToken: Int

    /// Records kept at most per token: ``recordsPerToken`` and the two deciding extras.
    public var recordLimitPerToken: Int { recordsPerToken + 2 }

    /// A book keeping `recordsPerToken` transactions in full per token (at least 1): a host retrying forever cannot grow memory.
    public init(recordsPerToken: Int = 8) {
        self.recordsPerToken = max(1, recordsPerToken)
    }

    /// Stores or updates a record (keyed by session and transaction).
    public func update(_ record: DeliveryRecord) {
        let keepFirst = recordsPerToken
        let limit = recordLimitPerToken
        let watcher = state.withLock { state -> (@Sendable () -> Void)? in
            let key = Key(session: record.sessionID, transaction: record.transactionID)
            Self.update(&state.tokens[record.token, default: TokenLog()], with: record, key: key, keepFirst: keepFirst, limit: limit)
            return state.watchers[record.token]
        }
        watcher?()
    }

    private static func update(_ log: inout TokenLog, with record: DeliveryRecord, key: Key, keepFirst: Int, limit: Int) {
        if let index = log.index[key] {
            log.records[index] = record
            return
        }
        let known = log.unkept.contains(key)
        if !known { log.count += 1 }
        if log.records.count < keepFirst && !known || log.records.count < limit && log.wants(record) {
            if known { log.unkept.remove(key) }
            log.keep(record, key)
        } else if record.finished {
            if known { log.unkept.remove(key) }
        } else if !known {
            log.unkept.insert(key)
        }
    }

    /// Calls `changed` (outside the book's lock) whenever a record for `token` changes (one watcher per token).
    package func watch(_ token: String, _ changed: @escaping @Sendable () -> Void) {
        state.withLock { $0.watchers[token.lowercased()] = changed }
    }

    /// Stops the watcher of `token` (its probe is decided or gone).
    package func unwatch(_ token: String) {
        _ = state.withLock { $0.watchers.removeValue(forKey: token.lowercased()) }
    }

    /// Strays kept for the log; later ones are only counted, so hostile peers cannot grow memory.
    public static let strayLimit = 1000

    /// Records a refused recipient, keeping the first ``strayLimit`` and counting the rest.
    public func addStray(_ stray: StrayRecord) {
        state.withLock { state in
            state.strayCount += 1
            if state.strays.count < Self.strayLimit { state.strays.append(stray) }
        }
    }

    /// How many strays arrived, including those beyond ``strayLimit``.
    public var strayCount: Int { state.withLock { $0.strayCount } }

    /// Kept delivery attempts for one token, in arrival order (see the type's note on bounds).
    public func records(for token: String) -> [DeliveryRecord] {
        state.withLock { $0.tokens[token.lowercased()]?.records ?? [] }
    }

    /// Every transaction that named `token`, including those not kept.
    public func deliveryCount(for token: String) -> Int {
        state.withLock { $0.tokens[token.lowercased()]?.count ?? 0 }
    }

    /// Kept records and the full count, read together (what ``ProbeClassifier`` takes).
    public func deliveries(for token: String) -> (records: [DeliveryRecord], count: Int) {
        state.withLock { state in
            guard let log = state.tokens[token.lowercased()] else { return ([], 0) }
            return (log.records, log.count)
        }
    }

    /// Every kept delivery record, grouped by token.
    public var allRecords: [String: [DeliveryRecord]] {
        state.withLock { state in
            state.tokens.compactMapValues { log in
                log.records.isEmpty ? nil : log.records.sorted { ($0.sessionID, $0.transactionID) < ($1.sessionID, $1.transactionID) }
            }
        }
    }

    /// The strays kept, oldest first, for the log.
    public var strays: [StrayRecord] { state.withLock { $0.strays } }
}
