import AuditCore
import AuditEngine

/// The store every command reads and writes, whatever the backend (SQLite embedded by default,
/// PostgreSQL for several machines). Implementations keep every import all-or-nothing, enforce the
/// same constraints, and never let a backend type (GRDB, libpq) into these signatures.
public protocol AuditStore: AnyObject, Sendable {
    /// Where the store lives, as reports and messages name it (a file path, or a URL without its password).
    var location: String { get }
    /// The ids of the migrations applied, oldest first.
    func appliedMigrations() throws -> [String]

    // Manifests
    /// Stores `manifests` (all or nothing); a KB imported before has its rows replaced.
    func importManifests(_ manifests: [(Manifest, SourceFile)]) throws -> [ManifestImportSummary]
    /// Every KB in the store, by number.
    func storedKBs() throws -> [StoredKB]
    /// The manifest of `kb`, nil when it was never imported.
    func manifest(_ kb: KBNumber) throws -> Manifest?

    // Inventories and hosts
    /// Imports every stream in one transaction: all of them or nothing.
    func importInventories(streams: [InventoryStream]) throws -> InventoryImportSummary
    /// Every host in name order, one at a time.
    func forEachHost(_ body: (HostSummary) throws -> Void) throws
    /// The host called `name` (case-insensitive; a short name finds its unique FQDN), nil when unknown.
    func host(named name: String) throws -> HostDetail?

    // Probes
    /// The named hosts (each must exist) or every host, with the address the probe triggers.
    func probeTargets(names: [String]) throws -> [StoredProbeTarget]
    /// Opens a campaign before its first probe, so each session can be saved as soon as it is decided.
    func beginCampaign(id: String, probeDomain: String, listen: [String], profiles: [ProbeProfile],
                       listenOnly: Bool, startedAt: String) throws
    /// Saves decided sessions of an open campaign in one transaction of their own.
    func recordProbeSessions(campaign id: String, _ evidence: [ProbeEvidence]) throws
    /// Marks a campaign finished.
    func finishCampaign(id: String) throws
    /// Records greetings (and the running versions they announce) per host and time.
    func recordGreetings(_ observations: [GreetingObservation]) throws
    /// The newest greeting recorded for a host.
    func latestGreeting(hostName: String) throws -> GreetingObservation?
    /// The sessions of each check's latest campaign on a host.
    func latestProbeSessions(hostName: String) throws -> [ProbeEvidence]

    // Assessment
    /// Runs `body` in one write transaction that makes a new assessment run over `kbs` (every KB in
    /// the store when empty); nothing is kept when it throws. See ``AuditStore/assess(kbs:bindings:keepRuns:)``.
    func withAssessmentSession<T>(kbs: [KBNumber], keepRuns: Int, _ body: (any AssessmentSession) throws -> T) throws -> T
    /// The results of the latest run in host-name order, streamed; `nonCompliantOnly` skips compliant ones.
    func streamLatestResults(nonCompliantOnly: Bool, kbs: [KBNumber], host: String?, limit: Int?,
                             _ body: (AssessedResult) throws -> Void) throws

    // Reports
    /// Runs `body` on one consistent read snapshot of the store.
    func withSnapshot<T>(_ body: (any StoreSnapshotReader) throws -> T) throws -> T
}

/// One assessment run as a backend offers it to the engine: the manifests, every host's evidence
/// streamed in one pass, and somewhere to persist the results — all inside one write transaction.
public protocol AssessmentSession: AnyObject {
    /// The manifests of the run, in KB order.
    var manifests: [Manifest] { get }
    /// Streams every host's evidence (its files whose names the session's manifests list).
    /// `greeting` is the backend's id of the greeting whose version is in the evidence, if any.
    func forEachHost(_ body: (_ evidence: HostEvidence, _ greeting: Int64?) throws -> Void) throws
    /// Persists one distinct result of the run and returns its id.
    func storeResult(_ result: HostKBResult) throws -> Int64
    /// Persists one host's results (ids from ``storeResult(_:)``, in manifest order).
    func storeHost(id: Int64, outcome: HostOutcome, greeting: Int64?) throws
    /// Records the waivers the run was assessed with and what became of each (before ``finish(_:)``).
    func storeWaivers(_ waivers: StoredWaivers) throws
    /// Called once after the last host, with the run's counts; returns them with the run's id and time.
    func finish(_ summary: (_ runID: Int64, _ at: String) -> AssessmentSummary) throws -> AssessmentSummary
    /// The run's time (waivers are judged at it unless the caller gives another).
    var at: String { get }
    /// Asks that hosts' hotfix records of these KBs (those superseding the run's KBs) come with the evidence too.
    func includeRecords(of kbs: Set<KBNumber>)
}

extension AssessmentSession {
    /// Backends that only read the run's KBs' records give no supersedence credit from records.
    public func includeRecords(of kbs: Set<KBNumber>) {}
}

extension AuditStore {
    /// Assesses every host against `kbs` (every KB in the store when empty) with the engine, in one pass,
    /// keeping the newest `keepRuns` runs. Behaviour evidence applies only to the KBs `bindings` says its
    /// check confirms.
    public func assess(kbs: [KBNumber] = [], bindings: CheckBindings = CheckBindings(), keepRuns: Int = 30,
                       waivers: WaiverFile? = nil, waiversAt: UTCDateTime? = nil,
                       supersedence: SupersedenceEvidence = .none) throws -> AssessmentSummary {
        try withAssessmentSession(kbs: kbs, keepRuns: keepRuns) { session in
            let date = waiversAt ?? UTCDateTime(iso8601: session.at) ?? UTCDateTime(year: 1970, month: 1, day: 1)!
            let engine = Assessor(manifests: session.manifests, bindings: bindings,
                                  waivers: waivers.map { WaiverMatcher(waivers: $0.waivers, at: date) }, supersedence: supersedence)
            session.includeRecords(of: supersedence.superseding(session.manifests.map(\.kb)))
            try session.forEachHost { evidence, greeting in
                let outcome = try engine.assess(evidence, persist: session.storeResult)
                try session.storeHost(id: evidence.id, outcome: outcome, greeting: greeting)
            }
            if let waivers, let matcher = engine.waivers {
                try session.storeWaivers(StoredWaivers(file: waivers, matcher: matcher, acceptedResults: engine.acceptedResults))
            }
            return try session.finish(engine.summary)
        }
    }

    /// The results of the latest run in host-name order (``streamLatestResults(nonCompliantOnly:kbs:host:limit:_:)`` with defaults).
    public func latestResults(nonCompliantOnly: Bool = false, kbs: [KBNumber] = [], host: String? = nil, limit: Int? = nil,
                              _ body: (AssessedResult) throws -> Void) throws {
        try streamLatestResults(nonCompliantOnly: nonCompliantOnly, kbs: kbs, host: host, limit: limit, body)
    }
}

/// What a report reads, all from one snapshot.
public protocol StoreSnapshotReader {
    /// Every input file recorded at import, by kind and path.
    func inputs() throws -> [StoreInput]
    /// When the latest assessment ran and which KBs it covered; nil when never assessed.
    func latestRun() throws -> (at: String, kbs: [KBNumber])?
    /// The manifests of `kbs` (every KB when empty), by KB number.
    func manifests(_ kbs: [KBNumber]) throws -> [Manifest]
    /// Result counts of the latest run per platform, KB and verdict.
    func verdictCounts(_ kbs: [KBNumber]) throws -> [(platform: String, kb: KBNumber, verdict: Verdict, count: Int)]
    /// Hosts with results in the latest run, and how many are compliant on every KB.
    func hostCounts(_ kbs: [KBNumber]) throws -> (hosts: Int, compliant: Int)
    /// Every host of run `run` (the latest when nil) in name order with its results and latest probe
    /// sessions, one at a time.
    func forEachAssessedHost(_ kbs: [KBNumber], run: Int64?, _ body: (AssessedHost) throws -> Void) throws
    /// The hosts of run `run` (the latest when nil) in name order, pulled one at a time (two runs can be
    /// read side by side); probe sessions only when `withProbes`.
    func assessedHosts(_ kbs: [KBNumber], run: Int64?, withProbes: Bool) throws -> any AssessedHostCursor
    /// Every kept run, oldest first, with its host counts.
    func runs() throws -> [StoredRun]
    /// The waivers run `run` (the latest when nil) was assessed with; nil when none were given.
    func waivers(run: Int64?) throws -> StoredWaivers?
}

extension StoreSnapshotReader {
    /// Every host of the latest run in name order (see ``forEachAssessedHost(_:run:_:)``).
    public func forEachAssessedHost(_ kbs: [KBNumber], _ body: (AssessedHost) throws -> Void) throws {
        try forEachAssessedHost(kbs, run: nil, body)
    }
}

/// Hosts of one run pulled in name order (``StoreSnapshotReader/assessedHosts(_:run:withProbes:)``).
public protocol AssessedHostCursor: AnyObject {
    /// The next host, nil after the last.
    func next() throws -> AssessedHost?
}

/// A kept assessment run: when, over which KBs, how many hosts and how many compliant on every KB.
public struct StoredRun: Sendable, Hashable {
    /// The run's id (what `report --since` takes).
    public var id: Int64
    /// ISO 8601 UTC.
    public var at: String
    /// The KBs the run assessed.
    public var kbs: [KBNumber]
    /// Hosts with results in the run.
    public var hosts: Int
    /// Hosts whose every result in the run is compliant.
    public var compliantHosts: Int

    /// A run.
    public init(id: Int64, at: String, kbs: [KBNumber], hosts: Int, compliantHosts: Int) {
        self.id = id
        self.at = at
        self.kbs = kbs
        self.hosts = hosts
        self.compliantHosts = compliantHosts
    }
}

/// An input file recorded at import.
public struct StoreInput: Sendable, Hashable {
    /// The input's path as given at import.
    public var path: String
    /// `manifest`, `inventory` (or `feed`).
    public var kind: String
    /// SHA-256 (hex) of the bytes read.
    public var sha256: String
    /// The format the input was read as.
    public var format: String
    /// When it was imported, ISO 8601 UTC.
    public var importedAt: String

    /// An input.
    public init(path: String, kind: String, sha256: String, format: String, importedAt: String) {
        self.path = path
        self.kind = kind
        self.sha256 = sha256
        self.format = format
        self.importedAt = importedAt
    }
}

/// A host as the store holds it: the merged facts of its inventories (the same ``HostFacts`` an
/// importer reads, typed), which sources described it and when. The one host shape that results,
/// listings and reports carry; the facts read through it (`host.name` is `host.facts.name`).
@dynamicMemberLookup
public struct StoredHost: Sendable, Hashable {
    /// The merged, typed facts (name, address, product, service pack, platform).
    public var facts: HostFacts
    /// The inventory formats that described the host.
    public var sources: [String]
    /// ISO 8601 UTC of the newest evidence about the host.
    public var lastSeen: String

    /// A host's facts.
    public init(facts: HostFacts, sources: [String] = [], lastSeen: String) {
        self.facts = facts
        self.sources = sources
        self.lastSeen = lastSeen
    }

    /// A fact of the host.
    public subscript<T>(dynamicMember path: KeyPath<HostFacts, T>) -> T { facts[keyPath: path] }
}

/// One host with its latest results and probe sessions, as reports stream them. The facts read
/// through it (`assessed.name` is `assessed.host.name`).
@dynamicMemberLookup
public struct AssessedHost: Sendable {
    /// The host's facts.
    public var host: StoredHost
    /// One result per KB of the run.
    public var results: [HostKBResult]
    /// The sessions of each check's latest campaign on the host.
    public var probes: [ProbeEvidence]
    /// The greeting the latest assessment used (nil: none recorded).
    public var greeting: GreetingObservation?

    /// A host with its results.
    public init(host: StoredHost, results: [HostKBResult] = [], probes: [ProbeEvidence] = [], greeting: GreetingObservation? = nil) {
        self.host = host
        self.results = results
        self.probes = probes
        self.greeting = greeting
    }

    /// A fact of the host.
    public subscript<T>(dynamicMember path: KeyPath<StoredHost, T>) -> T { host[keyPath: path] }
}
