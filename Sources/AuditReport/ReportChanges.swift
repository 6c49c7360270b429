import AuditCore

/// One assessment run as a point of the compliance trend.
public struct RunPoint: Sendable, Hashable {
    /// The run's identity in the store (shown, and accepted by `--since`).
    public var id: String
    /// When the run was assessed, ISO 8601 UTC.
    public var at: String
    /// Hosts assessed in that run; the denominator of ``compliancePercent``.
    public var hosts: Int
    /// Hosts whose every verdict is compliant in that run.
    public var compliantHosts: Int

    /// A trend point from a stored run's counts (the store and tests build them; renderers only read).
    public init(id: String, at: String, hosts: Int, compliantHosts: Int) {
        self.id = id
        self.at = at
        self.hosts = hosts
        self.compliantHosts = compliantHosts
    }

    /// Share of compliant hosts, 0–100 (0 without hosts).
    public var compliancePercent: Double { hosts == 0 ? 0 : Double(compliantHosts) * 100 / Double(hosts) }
}

/// How one host × KB result moved between two runs. Kinds do not overlap: a regression is not
/// also listed as newly non-compliant.
public enum ChangeKind: String, Sendable, Hashable, CaseIterable {
    /// Was `patched`, is now `vulnerable` or `service-not-reloaded` (a rolled-back or replaced DLL).
    case regression
    /// Was compliant (or not assessed for this KB), is now non-compliant; not a regression.
    case newlyNonCompliant = "newly-non-compliant"
    /// Was non-compliant, is now compliant.
    case newlyCompliant = "newly-compliant"
    /// The host was not in the previous run.
    case newHost = "new-host"
    /// The host was in the previous run and is not in this one.
    case goneHost = "gone-host"

    /// Heading in the HTML report.
    public var label: String {
        switch self {
        case .regression: "Regressions"
        case .newlyNonCompliant: "Newly non-compliant"
        case .newlyCompliant: "Newly compliant"
        case .newHost: "New hosts"
        case .goneHost: "Gone hosts"
        }
    }

    /// Whether the change adds non-compliance (what `assess --fail-on new` gates on): regressions,
    /// newly non-compliant results and new hosts that are non-compliant.
    public func addsNonCompliance(after: Verdict?) -> Bool {
        switch self {
        case .regression, .newlyNonCompliant: true
        case .newHost: after.map { !$0.isCompliant } ?? false
        case .newlyCompliant, .goneHost: false
        }
    }
}

/// One host × KB result that changed between the previous run and this one.
public struct HostChange: Sendable, Hashable {
    /// How the result moved; decides the section it is listed under and whether it gates `--fail-on new`.
    public var kind: ChangeKind
    /// The host's name as in the inventory, the key the change is listed and sorted by.
    public var host: String
    /// The host's network address, shown beside the name; nil when the inventory gave none.
    public var address: String?
    /// The hotfix whose verdict changed (for new and gone hosts, each KB of the host).
    public var kb: KBNumber
    /// The verdict in the previous run (nil: not assessed then).
    public var before: Verdict?
    /// The verdict now (nil: the host is gone).
    public var after: Verdict?
    /// The file version found in the previous run, to show what a regression rolled back from; nil when none was found or not assessed.
    public var beforeVersion: FileVersion?
    /// The file version found now (for a regression, the rolled-back or replaced DLL); nil when none was found or the host is gone.
    public var afterVersion: FileVersion?

    /// A change as ``RunComparison`` records it; versions are optional because only probed results carry them.
    public init(kind: ChangeKind, host: String, address: String? = nil, kb: KBNumber, before: Verdict?, after: Verdict?,
                beforeVersion: FileVersion? = nil, afterVersion: FileVersion? = nil) {
        self.kind = kind
        self.host = host
        self.address = address
        self.kb = kb
        self.before = before
        self.after = after
        self.beforeVersion = beforeVersion
        self.afterVersion = afterVersion
    }
}

/// Counts of changes of each kind for one KB.
public struct KBChangeCounts: Sendable, Hashable {
    /// The hotfix these counts are for; one entry per KB in ``ReportChanges/byKB``.
    public var kb: KBNumber
    /// Number of host results per kind of change; kinds with no change may be missing (read them through the subscript).
    public var counts: [ChangeKind: Int]

    /// Counts for one KB, empty by default so that the comparison can add to them as it merges hosts.
    public init(kb: KBNumber, counts: [ChangeKind: Int] = [:]) {
        self.kb = kb
        self.counts = counts
    }

    /// Changes of one kind for this KB, 0 when there were none (so renderers need no optional handling).
    public subscript(kind: ChangeKind) -> Int { counts[kind] ?? 0 }
}

/// What changed between two runs: counts per KB (always complete) and the changed results
/// (sorted by host, then KB; at most ``ReportLimits/listedChanges`` of them, ``unlisted`` more).
public struct ReportChanges: Sendable, Hashable {
    /// The earlier run compared against (the one before the latest, or the run `--since` named).
    public var previous: RunPoint
    /// The run the report shows, normally the latest assessment.
    public var current: RunPoint
    /// Per KB, in KB order; KBs without changes are included when either run assessed them.
    public var byKB: [KBChangeCounts]
    /// The changed host × KB results, sorted by host then KB; bounded, see ``unlisted`` for the rest.
    public var changes: [HostChange]
    /// Changes counted but not listed (the list is bounded so that memory stays flat).
    public var unlisted: Int

    /// The outcome of a comparison; ``newNonCompliance`` is counted from `changes` unless given (pass it when the list was cut off).
    public init(previous: RunPoint, current: RunPoint, byKB: [KBChangeCounts] = [], changes: [HostChange] = [], unlisted: Int = 0,
                newNonCompliance: Int? = nil) {
        self.newNonCompliance = newNonCompliance ?? changes.filter { $0.kind.addsNonCompliance(after: $0.after) }.count
        self.previous = previous
        self.current = current
        self.byKB = byKB
        self.changes = changes
        self.unlisted = unlisted
    }

    /// Changes of one kind over all KBs.
    public func total(_ kind: ChangeKind) -> Int { byKB.reduce(0) { $0 + $1[kind] } }

    /// Whether anything became non-compliant (regressions, newly non-compliant, non-compliant new
    /// hosts): the `--fail-on new` condition. Counted, so it holds even past the listing limit.
    public var addsNonCompliance: Bool { newNonCompliance > 0 }

    /// Results that became non-compliant (including those of new hosts).
    public var newNonCompliance: Int

    /// The listed changes by host name (for renderers that show them beside each host).
    func changesByHost() -> [String: [HostChange]] { Dictionary(grouping: changes, by: \.host) }
}
