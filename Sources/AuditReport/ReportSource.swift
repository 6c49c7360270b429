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
}

extension ReportSource {
    /// No earlier run known.
    public func changes() throws -> ReportChanges? { nil }
    /// No run history known.
    public func trend() throws -> [RunPoint] { [] }
    /// No waivers.
    public func waivers() throws -> ReportWaivers? { nil }
}

/// A report source over values held in memory: for tests, fixtures and small reports.
public struct InMemoryReportSource: ReportSource, Sendable {
    public var reportMetadata: ReportMetadata
    public var reportKBs: [ReportKB]
    public var hosts: [HostReport]
    /// Counted from `hosts` unless given.
    public var reportSummary: ReportSummary
    public var reportChanges: ReportChanges?
    public var reportTrend: [RunPoint]
    public var reportWaivers: ReportWaivers?

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

    public func metadata() throws -> ReportMetadata { reportMetadata }
    public func kbs() throws -> [ReportKB] { reportKBs }
    public func summary() throws -> ReportSummary { reportSummary }
    public func forEachHost(_ body: (HostReport) throws -> Void) throws {
        for host in hosts { try body(host) }
    }
    public func changes() throws -> ReportChanges? { reportChanges }
    public func trend() throws -> [RunPoint] { reportTrend }
    public func waivers() throws -> ReportWaivers? { reportWaivers }
}
