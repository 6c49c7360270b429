import AuditCore

/// Where a report's content comes from. The store-backed source reads SQLite; hosts are streamed
/// one at a time so that a report of any fleet size runs in bounded memory.
public protocol ReportSource {
    func metadata() throws -> ReportMetadata
    func kbs() throws -> [ReportKB]
    func summary() throws -> ReportSummary
    /// Calls `body` for each host in name order, one at a time (never all in memory).
    func forEachHost(_ body: (HostReport) throws -> Void) throws
    /// What changed against the previous run (or the run `--since` names); nil when there is no
    /// earlier run to compare with. Build it with ``RunComparison``.
    func changes() throws -> ReportChanges?
    /// The compliance of each kept run, oldest first (the current one last); empty when unknown.
    func trend() throws -> [RunPoint]
    /// The waivers the shown run was assessed with; nil when it had none.
    func waivers() throws -> ReportWaivers?
    /// Non-compliant hosts riskiest first, from vendor-feed knowledge; empty without feeds.
    func riskRanking() throws -> [HostRisk]
}

extension ReportSource {
    /// No earlier run known.
    public func changes() throws -> ReportChanges? { nil }
    /// No run history known.
    public func trend() throws -> [RunPoint] { [] }
    /// No waivers.
    public func waivers() throws -> ReportWaivers? { nil }
    /// No risk ranking unless the source has vendor-feed knowledge.
    public func riskRanking() throws -> [HostRisk] { [] }
}

/// A report source over values held in memory: for tests, fixtures and small reports.
public struct InMemoryReportSource: ReportSource, Sendable {
    /// Returned by ``metadata()``: the header the renderers print.
    public var reportMetadata: ReportMetadata
    /// Returned by ``kbs()``: the KBs the report covers, with their manifest rows.
    public var reportKBs: [ReportKB]
    /// The hosts streamed by ``forEachHost(_:)``, kept sorted by name as the protocol promises.
    public var hosts: [HostReport]
    /// Counted from `hosts` unless given.
    public var reportSummary: ReportSummary
    /// Returned by ``changes()``; nil for a report without a "what changed" section.
    public var reportChanges: ReportChanges?
    /// Returned by ``trend()``: run points, oldest first; empty for no trend chart.
    public var reportTrend: [RunPoint]
    /// Returned by ``waivers()``; nil when the run was assessed without waivers.
    public var reportWaivers: ReportWaivers?

    /// A source over the given values; hosts are sorted by name and the summary is tallied from them when not given.
    public init(metadata: ReportMetadata, kbs: [ReportKB], hosts: [HostReport], summary: ReportSummary? = nil,
                changes: ReportChanges? = nil, trend: [RunPoint] = [], waivers: ReportWaivers? = nil) {
        self.reportMetadata = metadata
        self.reportKBs = kbs
        self.hosts = hosts.sorted { $0.name < $1.name }
        self.reportSummary = summary ?? ReportSummary.tallying(hosts)
        self.reportChanges = changes
        self.reportTrend = trend
        self.reportWaivers = waivers
    }

    /// The header given at creation; nothing is read or computed.
    public func metadata() throws -> ReportMetadata { reportMetadata }
    /// The KBs given at creation, in the order given.
    public func kbs() throws -> [ReportKB] { reportKBs }
    /// The fleet counts given at creation, or those tallied from ``hosts``.
    public func summary() throws -> ReportSummary { reportSummary }
    /// Calls `body` for each held host in name order, stopping at the first error it throws.
    public func forEachHost(_ body: (HostReport) throws -> Void) throws {
        for host in hosts { try body(host) }
    }
    /// The comparison given at creation; nil (no "what changed" section) unless one was given.
    public func changes() throws -> ReportChanges? { reportChanges }
    /// The run history given at creation; empty (no trend chart) unless one was given.
    public func trend() throws -> [RunPoint] { reportTrend }
    /// The waiver record given at creation; nil (no waiver section) unless one was given.
    public func waivers() throws -> ReportWaivers? { reportWaivers }
}
