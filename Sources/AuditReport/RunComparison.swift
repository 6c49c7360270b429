import AuditCore

/// One host's results in one run, as the comparison needs them (a slice of ``HostReport``).
public struct ComparedHost: Sendable, Hashable {
    /// The host's name, the key both runs are merged on.
    public var name: String
    /// The host's network address, carried into ``HostChange/address`` for display.
    public var address: String?
    /// The host's verdicts in that run, one per assessed KB.
    public var results: [ComparedResult]

    /// A host slice as the store cursor or a test provides it.
    public init(name: String, address: String? = nil, results: [ComparedResult]) {
        self.name = name
        self.address = address
        self.results = results
    }

    /// The slice of a full host report.
    public init(_ host: HostReport) {
        self.init(name: host.name, address: host.address,
                  results: host.results.map(ComparedResult.init))
    }

    var isCompliant: Bool { results.allSatisfy { $0.verdict.isCompliant } }
}

/// One host × KB verdict of a run, with the version found (to show what a regression rolled back to).
public struct ComparedResult: Sendable, Hashable {
    /// The slice of a full result the comparison needs.
    public init(_ result: HostKBResult) {
        self.init(kb: result.kb, verdict: result.verdict, foundVersion: result.foundVersion)
    }

    /// The hotfix the verdict is for.
    public var kb: KBNumber
    /// The verdict in that run; whether it moved between runs decides the ``ChangeKind``.
    public var verdict: Verdict
    /// The file version the probe found; nil when none was found or the host was not probed.
    public var foundVersion: FileVersion?

    /// A result as the store cursor or a test provides it.
    public init(kb: KBNumber, verdict: Verdict, foundVersion: FileVersion? = nil) {
        self.kb = kb
        self.verdict = verdict
        self.foundVersion = foundVersion
    }
}

/// Why two runs could not be compared.
public struct RunComparisonError: Error, CustomStringConvertible, Sendable {
    /// The message for the user: a `--since` naming no kept run (with the runs that are kept) or hosts out of order.
    public var description: String
}

/// Compares the previous run's per-host results with the current run's, both streamed in host
/// key order (``HostFacts/key(_:)``, UTF-8 byte order, as the store sorts), in one merge pass: memory
/// holds two hosts, the per-KB counts and at most ``limit`` listed changes, whatever the fleet.
/// Pure: no store, no clock. The store side feeds it two cursors; tests feed it arrays.
public struct RunComparison: Sendable {
    /// Most changes listed in ``ReportChanges/changes``; the rest are counted in ``ReportChanges/unlisted``.
    public var limit: Int

    /// A comparison listing at most `limit` changes (the rest are only counted).
    public init(limit: Int = ReportLimits.listedChanges) { self.limit = limit }

    /// Compares two runs given as arrays or any sequences (sorted by name).
    public func compare(previous: RunPoint, current: RunPoint,
                        previousHosts: some Sequence<ComparedHost>, currentHosts: some Sequence<ComparedHost>,
                        kbs: [KBNumber] = []) throws -> ReportChanges {
        var before = previousHosts.makeIterator(), after = currentHosts.makeIterator()
        return try compare(previous: previous, current: current, nextPrevious: { before.next() }, nextCurrent: { after.next() }, kbs: kbs)
    }

    /// Compares two runs pulled host by host (nil ends a run). The host and compliant-host counts of
    /// the returned run points are counted from the streams; `kbs` are listed even without changes.
    public func compare(previous: RunPoint, current: RunPoint,
                        nextPrevious: () throws -> ComparedHost?, nextCurrent: () throws -> ComparedHost?,
                        kbs: [KBNumber] = []) throws -> ReportChanges {
        var accumulator = Accumulator(previous: previous, current: current, limit: limit, kbs: kbs)
        // Hosts are ordered and matched by their store key (``HostFacts/key(_:)``: lowercased, no trailing
        // dot) in UTF-8 byte order, as the store streams them (`ORDER BY name_key`, BINARY collation);
        // each host's key is computed once, when it is pulled.
        typealias Keyed = (host: ComparedHost, key: String)
        var lastBefore: Keyed?, lastAfter: Keyed?
        func pull(_ next: () throws -> ComparedHost?, _ last: inout Keyed?, _ run: String) throws -> Keyed? {
            guard let host = try next() else { return nil }
            let keyed = (host: host, key: HostFacts.key(host.name))
            if let last, !last.key.utf8.lexicographicallyPrecedes(keyed.key.utf8) {
                throw RunComparisonError(description: "\(run) run: host '\(TerminalText.escaped(host.name))' comes after '\(TerminalText.escaped(last.host.name))': hosts must be sorted by name, each once")
            }
            last = keyed
            return keyed
        }
        var before = try pull(nextPrevious, &lastBefore, "previous")
        var after = try pull(nextCurrent, &lastAfter, "current")
        while before != nil || after != nil {
            if let b = before, let a = after, b.key == a.key {
                accumulator.add(previous: b.host, current: a.host)
                before = try pull(nextPrevious, &lastBefore, "previous")
                after = try pull(nextCurrent, &lastAfter, "current")
            } else if let b = before, after.map({ b.key.utf8.lexicographicallyPrecedes($0.key.utf8) }) ?? true {
                accumulator.add(previous: b.host, current: nil)
                before = try pull(nextPrevious, &lastBefore, "previous")
            } else if let a = after {
                accumulator.add(previous: nil, current: a.host)
                after = try pull(nextCurrent, &lastAfter, "current")
            }
        }
        return accumulator.changes
    }

    /// The kind of change of one KB on a host present in both runs, or nil when nothing that matters changed.
    static func kind(before: ComparedResult?, after: ComparedResult) -> ChangeKind? {
        guard let before else { return after.verdict.isCompliant ? nil : .newlyNonCompliant }
        switch (before.verdict.isCompliant, after.verdict.isCompliant) {
        case (true, false):
            return before.verdict == .patched && (after.verdict == .vulnerable || after.verdict == .serviceNotReloaded)
                ? .regression : .newlyNonCompliant
        case (false, true): return .newlyCompliant
        default: return nil
        }
    }

    /// The comparison fed one host at a time, for a store that pairs the runs itself (e.g. one SQL
    /// query joining both runs by host name): give each host once, with its previous and current
    /// results (nil on the side where it is absent), in host name order; read ``changes`` at the end.
    /// Memory: the per-KB counts and at most `limit` listed changes.
    public struct Accumulator: Sendable {
        let limit: Int
        private var previousPoint: RunPoint
        private var currentPoint: RunPoint
        private var counts: [KBNumber: [ChangeKind: Int]] = [:]
        private var listed: [HostChange] = []
        private var unlisted = 0
        private var newNonCompliance = 0

        /// Starts a comparison of `previous` with `current` (their host counts are recounted from what is added).
        public init(previous: RunPoint, current: RunPoint, limit: Int = ReportLimits.listedChanges, kbs: [KBNumber] = []) {
            self.limit = limit
            previousPoint = previous
            currentPoint = current
            previousPoint.hosts = 0; previousPoint.compliantHosts = 0
            currentPoint.hosts = 0; currentPoint.compliantHosts = 0
            for kb in kbs { counts[kb] = [:] }
        }

        /// Adds one host: in both runs, only in the previous one (gone) or only in the current one (new).
        public mutating func add(previous before: ComparedHost?, current after: ComparedHost?) {
            if let before {
                previousPoint.hosts += 1
                if before.isCompliant { previousPoint.compliantHosts += 1 }
                for r in before.results where counts[r.kb] == nil { counts[r.kb] = [:] }
            }
            if let after {
                currentPoint.hosts += 1
                if after.isCompliant { currentPoint.compliantHosts += 1 }
                for r in after.results where counts[r.kb] == nil { counts[r.kb] = [:] }
            }
            switch (before, after) {
            case let (b?, a?):
                var previous: [KBNumber: ComparedResult] = [:]
                for r in b.results { previous[r.kb] = r }
                for r in a.results {
                    if let kind = RunComparison.kind(before: previous[r.kb], after: r) { record(kind, host: a, kb: r.kb, before: previous[r.kb], after: r) }
                }
            case let (b?, nil):
                for r in b.results { record(.goneHost, host: b, kb: r.kb, before: r, after: nil) }
            case let (nil, a?):
                for r in a.results { record(.newHost, host: a, kb: r.kb, before: nil, after: r) }
            case (nil, nil):
                break
            }
        }

        private mutating func record(_ kind: ChangeKind, host: ComparedHost, kb: KBNumber, before: ComparedResult?, after: ComparedResult?) {
            counts[kb, default: [:]][kind, default: 0] += 1
            if kind.addsNonCompliance(after: after?.verdict) { newNonCompliance += 1 }
            guard listed.count < limit else { unlisted += 1; return }
            listed.append(HostChange(kind: kind, host: host.name, address: host.address, kb: kb, before: before?.verdict,
                                     after: after?.verdict, beforeVersion: before?.foundVersion, afterVersion: after?.foundVersion))
        }

        /// What changed, from the hosts added so far.
        public var changes: ReportChanges {
            ReportChanges(previous: previousPoint, current: currentPoint,
                          byKB: counts.keys.sorted().map { KBChangeCounts(kb: $0, counts: counts[$0]!) },
                          changes: listed, unlisted: unlisted, newNonCompliance: newNonCompliance)
        }
    }
}
