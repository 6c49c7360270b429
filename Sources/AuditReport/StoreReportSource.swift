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

    /// A source over `snapshot`, limited to `kbs` (every assessed KB when empty).
    public init(snapshot: any StoreSnapshotReader, database: String, toolVersion: String, generatedAt: String, kbs: [KBNumber] = []) throws {
        self.snapshot = snapshot
        self.database = database
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.kbFilter = kbs
        let assessed = try snapshot.latestRun()?.kbs ?? []
        let wanted = kbs.isEmpty ? assessed : kbs.filter { assessed.isEmpty || assessed.contains($0) }
        self.manifests = assessed.isEmpty && kbs.isEmpty ? [] : try snapshot.manifests(wanted)
    }

    public func metadata() throws -> ReportMetadata {
        ReportMetadata(toolVersion: toolVersion, generatedAt: generatedAt, database: database,
                       inputs: try snapshot.inputs().map {
                           ReportInput(path: $0.path, kind: $0.kind, sha256: $0.sha256, importedAt: $0.importedAt)
                       },
                       assessedAt: try snapshot.latestRun()?.at, kbFilter: kbFilter)
    }

    public func kbs() throws -> [ReportKB] {
        manifests.map { ReportKB(kb: $0.kb, title: $0.title, prerequisiteServicePack: $0.prerequisiteServicePack, rows: $0.rows) }
    }

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
}
