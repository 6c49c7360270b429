import AuditCore

/// One host's results in one run, as the comparison needs them (a slice of ``HostReport``).
public struct ComparedHost: Sendable, Hashable {
    public var name: String
    public var address: String?
    public var results: [ComparedResult]

    public init(name: String, address: String? = nil, results: [ComparedResult]) {
        self.name = name
        self.address = address
        self.results = results
    }

    /// The slice of a full host report.
    public init(_ host: HostReport) {
        self.init(name: host.name, address: host.address,
                  results: host.results.map { ComparedResult(kb: $0.kb, verdict: $0.verdict, foundVersion: $0.foundVersion) })
    }

    var isCompliant: Bool { results.allSatisfy { $0.verdict.isCompliant } }
}

/// One host × KB verdict of a run, with the version found (to show what a regression rolled back to).
public struct ComparedResult: Sendable, Hashable {
    public var kb: KBNumber
    public var verdict: Verdict
    public var foundVersion: FileVersion?

    public init(kb: KBNumber, verdict: Verdict, foundVersion: FileVersion? = nil) {
        self.kb = kb
        self.verdict = verdict
        self.foundVersion = foundVersion
    }
}

/// Why two runs could not be compared.
public struct RunComparisonError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Compares the previous run's per-host results with the current run's, both streamed in host
/// name order (UTF-8 byte order, as SQLite's BINARY collation sorts), in one merge pass: memory
/// holds two hosts, the per-KB counts and at most ``limit`` listed changes, whatever the fleet.
/// Pure: no store, no clock. The store side feeds it two cursors; tests feed it arrays.
public struct RunComparison: Sendable {
    /// Most changes listed in ``ReportChanges/changes``; the rest are counted in ``ReportChanges/unlisted``.
    public var limit: Int

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
        var tally = Tally(limit: limit, kbs: kbs)
        var previousPoint = previous, currentPoint = current
        previousPoint.hosts = 0; previousPoint.compliantHosts = 0
        currentPoint.hosts = 0; currentPoint.compliantHosts = 0
        var lastBefore: String?, lastAfter: String?
        func pull(_ next: () throws -> ComparedHost?, _ last: inout String?, _ run: String, _ point: inout RunPoint) throws -> ComparedHost? {
            guard let host = try next() else { return nil }
            if let last, !Self.precedes(last, host.name) {
                throw RunComparisonError(description: "\(run) run: host '\(TerminalText.escaped(host.name))' comes after '\(TerminalText.escaped(last))': hosts must be sorted by name, each once")
            }
            last = host.name
            point.hosts += 1
            if host.isCompliant { point.compliantHosts += 1 }
            return host
        }
        var before = try pull(nextPrevious, &lastBefore, "previous", &previousPoint)
        var after = try pull(nextCurrent, &lastAfter, "current", &currentPoint)
        while before != nil || after != nil {
            if let b = before, let a = after, b.name == a.name {
                tally.pair(b, a)
                before = try pull(nextPrevious, &lastBefore, "previous", &previousPoint)
                after = try pull(nextCurrent, &lastAfter, "current", &currentPoint)
            } else if let b = before, after.map({ Self.precedes(b.name, $0.name) }) ?? true {
                for r in b.results { tally.add(.goneHost, host: b, kb: r.kb, before: r, after: nil) }
                before = try pull(nextPrevious, &lastBefore, "previous", &previousPoint)
            } else if let a = after {
                for r in a.results { tally.add(.newHost, host: a, kb: r.kb, before: nil, after: r) }
                after = try pull(nextCurrent, &lastAfter, "current", &currentPoint)
            }
        }
        return ReportChanges(previous: previousPoint, current: currentPoint,
                             byKB: tally.counts.keys.sorted().map { KBChangeCounts(kb: $0, counts: tally.counts[$0]!) },
                             changes: tally.listed, unlisted: tally.unlisted, newNonCompliance: tally.newNonCompliance)
    }

    /// Byte order of the names' UTF-8 (SQLite's BINARY collation).
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

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

    /// Counts and the bounded list, filled as the merge goes.
    private struct Tally {
        let limit: Int
        var counts: [KBNumber: [ChangeKind: Int]] = [:]
        var listed: [HostChange] = []
        var unlisted = 0
        var newNonCompliance = 0

        init(limit: Int, kbs: [KBNumber]) {
            self.limit = limit
            for kb in kbs { counts[kb] = [:] }
        }

        mutating func pair(_ before: ComparedHost, _ after: ComparedHost) {
            var previous: [KBNumber: ComparedResult] = [:]
            for r in before.results { previous[r.kb] = r }
            for r in after.results {
                if counts[r.kb] == nil { counts[r.kb] = [:] }
                if let kind = RunComparison.kind(before: previous[r.kb], after: r) {
                    add(kind, host: after, kb: r.kb, before: previous[r.kb], after: r)
                }
            }
            for r in before.results where counts[r.kb] == nil { counts[r.kb] = [:] }
        }

        mutating func add(_ kind: ChangeKind, host: ComparedHost, kb: KBNumber, before: ComparedResult?, after: ComparedResult?) {
            counts[kb, default: [:]][kind, default: 0] += 1
            if kind.addsNonCompliance(after: after?.verdict) { newNonCompliance += 1 }
            guard listed.count < limit else { unlisted += 1; return }
            listed.append(HostChange(kind: kind, host: host.name, address: host.address, kb: kb, before: before?.verdict,
                                     after: after?.verdict, beforeVersion: before?.foundVersion, afterVersion: after?.foundVersion))
        }
    }
}
