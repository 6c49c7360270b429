import AuditCore
@_exported import AuditEngine

/// One file that went into the database (a manifest or an inventory), identified by its SHA-256,
/// so that a reader can tell exactly which evidence a report was built from.
public struct ReportInput: Sendable, Hashable {
    public var path: String
    /// `manifest` or `inventory`.
    public var kind: String
    public var sha256: String
    /// ISO 8601 UTC.
    public var importedAt: String

    public init(path: String, kind: String, sha256: String, importedAt: String) {
        self.path = path
        self.kind = kind
        self.sha256 = sha256
        self.importedAt = importedAt
    }
}

/// Where a report comes from and when it was made: the header of every format.
public struct ReportMetadata: Sendable, Hashable {
    public var toolVersion: String
    /// ISO 8601 UTC (`2026-11-29T03:12:00Z`).
    public var generatedAt: String
    /// The database path the report was read from.
    public var database: String
    public var inputs: [ReportInput]
    /// When the assessment the report shows was run (ISO 8601 UTC); nil when never assessed.
    public var assessedAt: String?
    /// The KBs the report is limited to; empty for all.
    public var kbFilter: [KBNumber]

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
    public var kb: KBNumber
    public var title: String?
    public var prerequisiteServicePack: Int?
    public var rows: [ManifestRow]

    public init(kb: KBNumber, title: String? = nil, prerequisiteServicePack: Int? = nil, rows: [ManifestRow] = []) {
        self.kb = kb
        self.title = title
        self.prerequisiteServicePack = prerequisiteServicePack
        self.rows = rows
    }
}

/// Counts over the whole fleet, known before the hosts are streamed (the store computes them in SQL).
public struct ReportSummary: Sendable, Hashable {
    public var hostCount: Int
    /// Host × KB results per verdict.
    public var byVerdict: [Verdict: Int]
    /// Host × KB results per verdict, per host platform (`x86`, `x64`, `IA-64`, `unknown`).
    public var byPlatform: [String: [Verdict: Int]]
    /// Host results per verdict, per KB.
    public var byKB: [KBNumber: [Verdict: Int]]
    /// Hosts whose every verdict is compliant (``Verdict/isCompliant``).
    public var compliantHosts: Int

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
    public var name: String
    public var address: String?
    public var product: String?
    public var osName: String?
    public var servicePack: String?
    public var platform: String?
    /// The inventory files that described the host.
    public var sources: [String]
    /// ISO 8601 UTC of the newest evidence about the host.
    public var lastSeen: String?
    public var results: [HostKBResult]
    public var probes: [ProbeEvidence]
    /// The latest SMTP greeting the assessment used (nil: none recorded).
    public var greeting: GreetingObservation? = nil

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
