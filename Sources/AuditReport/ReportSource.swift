import AuditCore

/// Where a report's content comes from. The store-backed source reads SQLite; hosts are streamed
/// one at a time so that a report of any fleet size runs in bounded memory.
public protocol ReportSource {
    func metadata() throws -> ReportMetadata
    func kbs() throws -> [ReportKB]
    func summary() throws -> ReportSummary
    /// Calls `body` for each host in name order, one at a time (never all in memory).
    func forEachHost(_ body: (HostReport) throws -> Void) throws
}

/// A report source over values held in memory: for tests, fixtures and small reports.
public struct InMemoryReportSource: ReportSource, Sendable {
    public var reportMetadata: ReportMetadata
    public var reportKBs: [ReportKB]
    public var hosts: [HostReport]
    /// Counted from `hosts` unless given.
    public var reportSummary: ReportSummary

    public init(metadata: ReportMetadata, kbs: [ReportKB], hosts: [HostReport], summary: ReportSummary? = nil) {
        self.reportMetadata = metadata
        self.reportKBs = kbs
        self.hosts = hosts.sorted { $0.name < $1.name }
        self.reportSummary = summary ?? ReportSummary.tallying(hosts)
    }

    public func metadata() throws -> ReportMetadata { reportMetadata }
    public func kbs() throws -> [ReportKB] { reportKBs }
    public func summary() throws -> ReportSummary { reportSummary }
    public func forEachHost(_ body: (HostReport) throws -> Void) throws {
        for host in hosts { try body(host) }
    }
}
