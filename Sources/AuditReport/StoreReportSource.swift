import AuditCore
import AuditEngine
import AuditStore

/// The report source over any store backend: the latest assessment and probe evidence, hosts
/// streamed in name order. Use it inside ``AuditStore/withSnapshot(_:)`` so that all of one report
/// comes from one read transaction.
public struct StoreReportSource: ReportSource {
    let snapshot: any StoreSnapshotReader
    let database: String
    let toolVersion: String
    let generatedAt: String
    let kbFilter: [KBNumber]
    private let manifests: [Manifest]
    /// The run the latest is compared with (nil: the one before it).
    let since: RunSelector?
    /// What the vendor feeds say (CVEs, severity per KB); nil when the store has none.
    public var feedKnowledge: FeedKnowledge?

    /// A source over `snapshot`, limited to `kbs` (every assessed KB when empty); "what changed"
    /// compares the latest run with `since` (the run before it when nil).
    public init(snapshot: any StoreSnapshotReader, database: String, toolVersion: String, generatedAt: String, kbs: [KBNumber] = [],
                since: RunSelector? = nil) throws {
        self.snapshot = snapshot
        self.since = since
        self.database = database
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.kbFilter = kbs
        let assessed = try snapshot.latestRun()?.kbs ?? []
        let wanted = kbs.isEmpty ? assessed : kbs.filter { assessed.isEmpty || assessed.contains($0) }
        self.manifests = assessed.isEmpty && kbs.isEmpty ? [] : try snapshot.manifests(wanted)
    }

    /// The header: tool, time, database and imported inputs, with the latest run's time.
    public func metadata() throws -> ReportMetadata {
        ReportMetadata(toolVersion: toolVersion, generatedAt: generatedAt, database: database,
                       inputs: try snapshot.inputs().map {
                           ReportInput(path: $0.path, kind: $0.kind, sha256: $0.sha256, importedAt: $0.importedAt)
                       },
                       assessedAt: try snapshot.latestRun()?.at, kbFilter: kbFilter)
    }

    /// The covered KBs from their imported manifests, with risk from the vendor feeds when known.
    public func kbs() throws -> [ReportKB] {
        manifests.map { ReportKB(kb: $0.kb, title: $0.title, prerequisiteServicePack: $0.prerequisiteServicePack, rows: $0.rows,
                                 risk: feedKnowledge?.risk(of: $0.kb)) }
    }

    /// Fleet counts computed in SQL, so that they are known before any host is streamed.
    public func summary() throws -> ReportSummary {
        var summary = ReportSummary()
        let counts = try snapshot.hostCounts(kbFilter)
        summary.hostCount = counts.hosts
        summary.compliantHosts = counts.compliant
        for item in try snapshot.verdictCounts(kbFilter) {
            summary.byVerdict[item.verdict, default: 0] += item.count
            summary.byPlatform[item.platform, default: [:]][item.verdict, default: 0] += item.count
            summary.byKB[item.kb, default: [:]][item.verdict, default: 0] += item.count
        }
        return summary
    }

    /// Streams the latest run's hosts in name order, each result with the manifest rows that apply to the host.
    public func forEachHost(_ body: (HostReport) throws -> Void) throws {
        let byKB = Dictionary(uniqueKeysWithValues: manifests.map { ($0.kb, $0) })
        try snapshot.forEachAssessedHost(kbFilter) { host in
            let results = host.results.map { stored in
                var result = stored
                if let manifest = byKB[result.kb], let product = host.product, let platform = host.platform, let sp = host.servicePack {
                    result.applicableRows = VerdictRules.applicableRows(manifest.rows, product: product, platform: platform, servicePack: sp.level)
                }
                return result
            }
            try body(HostReport(name: host.name, address: host.address, product: host.product?.name, osName: host.osName,
                                servicePack: host.servicePack?.description,
                                platform: host.platform?.rawValue ?? host.architectureText.map { "unknown (\($0))" },
                                sources: host.sources, lastSeen: host.lastSeen, results: results, probes: host.probes,
                                greeting: host.greeting))
        }
    }

    /// Compliance of every kept run, oldest first, for the trend chart.
    public func trend() throws -> [RunPoint] {
        try snapshot.runs().map { RunPoint(id: String($0.id), at: $0.at, hosts: $0.hosts, compliantHosts: $0.compliantHosts) }
    }

    /// The latest run compared with `since` (or the run before it); nil when there is no earlier run.
    public func changes() throws -> ReportChanges? {
        let runs = try snapshot.runs()
        guard let current = runs.last else { return nil }
        guard let previous = try since.map({ try $0.resolve(in: runs) }) ?? (runs.count > 1 ? runs[runs.count - 2] : nil) else { return nil }
        let before = try snapshot.assessedHosts(kbFilter, run: previous.id, withProbes: false)
        let after = try snapshot.assessedHosts(kbFilter, run: current.id, withProbes: false)
        func point(_ run: StoredRun) -> RunPoint { RunPoint(id: String(run.id), at: run.at, hosts: run.hosts, compliantHosts: run.compliantHosts) }
        func compared(_ host: AssessedHost?) -> ComparedHost? {
            host.map { host in
                ComparedHost(name: host.name, address: host.address,
                             results: host.results.map(ComparedResult.init))
            }
        }
        return try RunComparison().compare(previous: point(previous), current: point(current),
                                           nextPrevious: { compared(try before.next()) }, nextCurrent: { compared(try after.next()) },
                                           kbs: manifests.map(\.kb))
    }

    /// The waivers the latest run was assessed with, split into expired and unused; nil when it had none.
    /// The `limit` riskiest non-compliant hosts of the latest run: a host's risk is the highest Microsoft
    /// severity × the number of CVEs fixed by the KBs it is not compliant on (``HostRisk``). One extra pass
    /// over the hosts (no probe sessions), only when the feeds know CVEs for the report's KBs; memory holds
    /// at most twice `limit` hosts.
    public func riskRanking() throws -> [HostRisk] {
        try riskRanking(limit: 100)
    }

    /// See ``riskRanking()``.
    public func riskRanking(limit: Int) throws -> [HostRisk] {
        guard let knowledge = feedKnowledge, manifests.contains(where: { !knowledge.cves(fixedBy: $0.kb).isEmpty }) else { return [] }
        let cursor = try snapshot.assessedHosts(kbFilter, run: nil, withProbes: false)
        var ranked: [HostRisk] = []
        while let host = try cursor.next() {
            let missing = host.results.filter { !$0.verdict.isCompliant }.map(\.kb)
            guard !missing.isEmpty else { continue }
            ranked.append(HostRisk(host: host.name, kbs: missing, knowledge: knowledge))
            if ranked.count >= 2 * limit { ranked = Array(HostRisk.ranked(ranked).prefix(limit)) }
        }
        return Array(HostRisk.ranked(ranked).prefix(limit))
    }

    /// The waivers stored with the latest run, with the expired and the unused ones listed apart.
    public func waivers() throws -> ReportWaivers? {
        guard let stored = try snapshot.waivers(run: nil) else { return nil }
        return ReportWaivers(file: stored.file, sha256: stored.sha256, appliedAt: stored.appliedAt, waivers: stored.waivers.map(\.waiver),
                             acceptedResults: stored.acceptedResults,
                             expired: stored.waivers.filter { $0.state == .expired || $0.state == .expiredNeeded }.map(\.waiver),
                             unused: stored.waivers.filter { $0.state == .unused }.map(\.waiver))
    }
}

/// Which earlier run "what changed" compares with: a run id, or the last run on or before a date.
public enum RunSelector: Sendable, Hashable {
    case run(Int64)
    case date(UTCDateTime)

    /// `12` (a run id) or `2026-11-30` / `2026-11-30T12:00Z` (the last run at or before it); nil otherwise.
    public init?(_ text: String) {
        if let id = Int64(text), id > 0 {
            self = .run(id)
        } else if text.count >= 10, text.first?.isNumber == true, let date = UTCDateTime(iso8601: text) {
            self = .date(date)
        } else {
            return nil
        }
    }

    /// The kept run it names; an error saying which runs exist when there is none.
    func resolve(in runs: [StoredRun]) throws -> StoredRun {
        let kept = runs.map { "\($0.id) (\($0.at))" }.joined(separator: ", ")
        switch self {
        case .run(let id):
            guard let run = runs.first(where: { $0.id == id }) else {
                throw RunComparisonError(description: "--since \(id): no such run is kept (kept runs: \(kept.isEmpty ? "none" : kept))")
            }
            return run
        case .date(let date):
            // A date alone means the end of that day.
            let limit = date.hour == 0 && date.minute == 0 ? date.dateString + "T23:59:59Z" : date.iso8601
            guard let run = runs.last(where: { $0.at <= limit }) else {
                throw RunComparisonError(description: "--since \(date.dateString): no kept run on or before it (kept runs: \(kept.isEmpty ? "none" : kept))")
            }
            return run
        }
    }
}
