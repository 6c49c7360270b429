import AuditCore
@_exported import AuditEngine

/// One file that went into the database (a manifest or an inventory), identified by its SHA-256,
/// so that a reader can tell exactly which evidence a report was built from.
public struct ReportInput: Sendable, Hashable {
    /// The file's path as given on import, so that a reader can find the evidence again.
    public var path: String
    /// `manifest` or `inventory`.
    public var kind: String
    /// Hex SHA-256 of the file's bytes at import, to prove which version of the file was used.
    public var sha256: String
    /// ISO 8601 UTC.
    public var importedAt: String

    /// One imported file as the store recorded it.
    public init(path: String, kind: String, sha256: String, importedAt: String) {
        self.path = path
        self.kind = kind
        self.sha256 = sha256
        self.importedAt = importedAt
    }
}

/// Where a report comes from and when it was made: the header of every format.
public struct ReportMetadata: Sendable, Hashable {
    /// The hotfix-audit version that wrote the report, so that differences between reports can be traced to the tool.
    public var toolVersion: String
    /// ISO 8601 UTC (`2026-11-29T03:12:00Z`).
    public var generatedAt: String
    /// The database path the report was read from.
    public var database: String
    /// Every manifest and inventory file the database holds, in import order: the report's provenance.
    public var inputs: [ReportInput]
    /// When the assessment the report shows was run (ISO 8601 UTC); nil when never assessed.
    public var assessedAt: String?
    /// The KBs the report is limited to; empty for all.
    public var kbFilter: [KBNumber]

    /// A report header; `assessedAt` and the KB filter are optional because a fresh database has neither.
    public init(toolVersion: String, generatedAt: String, database: String, inputs: [ReportInput] = [],
                assessedAt: String? = nil, kbFilter: [KBNumber] = []) {
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.database = database
        self.inputs = inputs
        self.assessedAt = assessedAt
        self.kbFilter = kbFilter
    }
}

/// A KB the report covers, with the file rows of its manifest.
public struct ReportKB: Sendable, Hashable {
    /// The hotfix (Knowledge Base article) this entry describes.
    public var kb: KBNumber
    /// The article's title as imported from its text; nil when the article had none.
    public var title: String?
    /// The service pack level the hotfix requires first (`1` for SP1); nil when the article states none.
    public var prerequisiteServicePack: Int?
    /// The article's file table: the files and versions that make a host patched, per product and platform.
    public var rows: [ManifestRow]
    /// The CVEs the KB fixes, with severity, CVSS and exploited flag, when a vendor feed names them.
    public var risk: KBRisk?

    /// A KB entry of the report; the store source fills it from the imported manifest and the vendor feeds.
    public init(kb: KBNumber, title: String? = nil, prerequisiteServicePack: Int? = nil, rows: [ManifestRow] = [], risk: KBRisk? = nil) {
        self.kb = kb
        self.risk = risk
        self.title = title
        self.prerequisiteServicePack = prerequisiteServicePack
        self.rows = rows
    }
}

/// Counts over the whole fleet, known before the hosts are streamed (the store computes them in SQL).
public struct ReportSummary: Sendable, Hashable {
    /// Hosts in the report (after the KB filter), the denominator of ``compliancePercent``.
    public var hostCount: Int
    /// Host × KB results per verdict.
    public var byVerdict: [Verdict: Int]
    /// Host × KB results per verdict, per host platform (`x86`, `x64`, `IA-64`, `unknown`).
    public var byPlatform: [String: [Verdict: Int]]
    /// Host results per verdict, per KB.
    public var byKB: [KBNumber: [Verdict: Int]]
    /// Hosts whose every verdict is compliant (``Verdict/isCompliant``).
    public var compliantHosts: Int

    /// Counts given directly (the store's SQL totals), or empty ones to fill with ``add(_:)``.
    public init(hostCount: Int = 0, byVerdict: [Verdict: Int] = [:], byPlatform: [String: [Verdict: Int]] = [:],
                byKB: [KBNumber: [Verdict: Int]] = [:], compliantHosts: Int = 0) {
        self.hostCount = hostCount
        self.byVerdict = byVerdict
        self.byPlatform = byPlatform
        self.byKB = byKB
        self.compliantHosts = compliantHosts
    }

    /// Share of compliant hosts, 0–100; 0 when there are no hosts.
    public var compliancePercent: Double {
        hostCount == 0 ? 0 : Double(compliantHosts) * 100 / Double(hostCount)
    }

    /// Total host × KB results.
    public var resultCount: Int { byVerdict.values.reduce(0, +) }

    /// Counts `hosts` the way the store's summary query does (for in-memory and generated sources).
    public static func tallying(_ hosts: some Sequence<HostReport>) -> ReportSummary {
        var summary = ReportSummary()
        for host in hosts { summary.add(host) }
        return summary
    }

    /// Adds one host's results to the counts.
    public mutating func add(_ host: HostReport) {
        hostCount += 1
        if host.results.allSatisfy({ $0.verdict.isCompliant }) { compliantHosts += 1 }
        let platform = host.platform ?? "unknown"
        for result in host.results {
            byVerdict[result.verdict, default: 0] += 1
            byPlatform[platform, default: [:]][result.verdict, default: 0] += 1
            byKB[result.kb, default: [:]][result.verdict, default: 0] += 1
        }
    }
}

/// One host as the report shows it: its facts, a result per KB and its probe sessions.
public struct HostReport: Sendable, Hashable {
    /// The host's name as in the inventory; hosts are listed and sorted by it.
    public var name: String
    /// The host's network address as inventoried; nil when no inventory gave one.
    public var address: String?
    /// The Windows product the host runs, which picks the manifest rows that apply; nil when unknown.
    public var product: String?
    /// The operating system name as the inventory reported it (shown verbatim); nil when not reported.
    public var osName: String?
    /// The installed service pack (`SP2`), which decides prerequisites and applicable rows; nil when unknown.
    public var servicePack: String?
    /// `x86`, `x64` or `IA-64`, or `unknown (TEXT)` for an architecture not recognised; nil when not inventoried.
    public var platform: String?
    /// The inventory files that described the host.
    public var sources: [String]
    /// ISO 8601 UTC of the newest evidence about the host.
    public var lastSeen: String?
    /// One verdict with its evidence per KB the host was assessed for, in KB order.
    public var results: [HostKBResult]
    /// The host's probe sessions (outcome and evidence per profile), shown as the evidence table.
    public var probes: [ProbeEvidence]
    /// The latest SMTP greeting the assessment used (nil: none recorded).
    public var greeting: GreetingObservation? = nil

    /// A host entry; everything but the name is optional so that sparse inventories still report.
    public init(name: String, address: String? = nil, product: String? = nil, osName: String? = nil,
                servicePack: String? = nil, platform: String? = nil, sources: [String] = [], lastSeen: String? = nil,
                results: [HostKBResult] = [], probes: [ProbeEvidence] = [], greeting: GreetingObservation? = nil) {
        self.greeting = greeting
        self.name = name
        self.address = address
        self.product = product
        self.osName = osName
        self.servicePack = servicePack
        self.platform = platform
        self.sources = sources
        self.lastSeen = lastSeen
        self.results = results
        self.probes = probes
    }

    /// The worst verdict of the host (nil without results).
    public var worstVerdict: Verdict? { results.map(\.verdict).min() }

    /// Whether every verdict of the host is compliant (true without results).
    public var isCompliant: Bool { results.allSatisfy { $0.verdict.isCompliant } }
}
