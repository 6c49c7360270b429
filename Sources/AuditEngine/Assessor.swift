import AuditCore

/// The assessor: per-host evidence in, typed host × KB results and the run's counts out. Pure (no
/// SQL, no I/O): a store feeds it one host at a time and persists what it yields.
///
/// Most of a fleet is alike, so the work is memoised twice (both bounded): the file assessment per
/// (KB, host facts, relevant files, hotfix recorded), and a whole host's outcome per (facts, files,
/// records, behaviour, running version). Each distinct result is handed to `persist` once and then
/// referred to by the id the store gave it.
public final class Assessor {
    /// The KBs of the run, in the order results are produced.
    public let manifests: [Manifest]
    /// Per manifest, the checks (in registry order) whose outcomes are evidence for it.
    private let manifestChecks: [[CheckID]]
    private let manifestKeys: [Set<String>]
    private var refManifests: [Int64: [Int]] = [:]
    private let memoLimit: Int

    private struct FileKey: Hashable {
        var manifest: Int
        var context: VerdictRules.HostContext
        var files: [EvidenceFile]
        var recorded: Bool
    }
    private struct FileMemo {
        var assessment: FileAssessment
        var requirement: FileVersion?
        var slot: Int
    }
    private struct EvidenceKey: Hashable {
        var slot: Int
        var probe: AppliedBehaviour?
        var running: FileVersion?
    }
    private struct HostKey: Hashable {
        var context: VerdictRules.HostContext
        var files: [EvidenceFile]
        var recorded: [Bool]
        var probes: [AppliedBehaviour?]
        var running: FileVersion?
    }
    private var fileMemo: [FileKey: FileMemo] = [:]
    private var evidenceMemo: [EvidenceKey: StoredResult] = [:]
    private var hostMemo: [HostKey: HostOutcome] = [:]
    private var nextSlot = 0
    private var nextOutcome = 0
    private var buckets: [[EvidenceFile]]

    private let verdicts = Verdict.allCases
    private let platformNames = Platform.allCases.map(\.rawValue) + ["unknown"]
    private var verdictCounts: [Int]
    private var platformCounts: [Int]
    private var kbCounts: [Int]
    private var hostCount = 0
    private var resultCount = 0
    private var nonCompliantHosts = 0

    /// An assessor for `manifests` (results come in this order); `bindings` says which checks'
    /// outcomes are evidence for which KB. `memoLimit` bounds each memo (entries).
    public init(manifests: [Manifest], bindings: CheckBindings = CheckBindings(), memoLimit: Int = 50_000) {
        self.manifests = manifests
        let registered = Set(CheckRegistry.all.map(\.id))
        manifestChecks = manifests.map { manifest in
            bindings.checks(confirming: manifest.kb).filter { registered.contains($0) }
        }
        manifestKeys = manifests.map { Set($0.rows.map { $0.fileName.lowercased() }) }
        self.memoLimit = memoLimit
        buckets = Array(repeating: [], count: manifests.count)
        verdictCounts = Array(repeating: 0, count: verdicts.count)
        platformCounts = Array(repeating: 0, count: verdicts.count * platformNames.count)
        kbCounts = Array(repeating: 0, count: verdicts.count * manifests.count)
    }

    /// The lowercased file names any manifest of the run lists: a store need only send a host's files
    /// whose names are among them.
    public var relevantFileNames: Set<String> { manifestKeys.reduce(into: []) { $0.formUnion($1) } }

    /// Decides one host against every KB. `persist` is called once per distinct result and returns
    /// the id the store keeps it under; the outcome lists (id, verdict) per KB in manifest order.
    public func assess(_ host: HostEvidence, persist: (HostKBResult) throws -> Int64) rethrows -> HostOutcome {
        hostCount += 1
        let recorded = manifests.map { host.recordedKBs.contains($0.kb) }
        let probes = appliedBehaviour(host.behaviour)
        let key = HostKey(context: host.context, files: host.files, recorded: recorded, probes: probes, running: host.runningVersion)
        let outcome: HostOutcome
        if let known = hostMemo[key] {
            outcome = known
        } else {
            var results: [StoredResult] = []
            results.reserveCapacity(manifests.count)
            sortIntoBuckets(host.files)
            for index in manifests.indices {
                results.append(try decide(manifest: index, context: host.context, recorded: recorded[index],
                                          probe: probes[index], running: host.runningVersion, persist: persist))
            }
            outcome = HostOutcome(id: nextOutcome, results: results, compliant: results.allSatisfy { $0.verdict.isCompliant })
            nextOutcome += 1
            if hostMemo.count >= memoLimit { hostMemo.removeAll(keepingCapacity: true) }
            hostMemo[key] = outcome
        }
        count(outcome, platform: host.context.platform)
        return outcome
    }

    /// The counts of every host assessed so far.
    public func summary(runID: Int64, at: String) -> AssessmentSummary {
        var summary = AssessmentSummary(runID: runID, at: at, kbs: manifests.map(\.kb), hostCount: hostCount,
                                        resultCount: resultCount, nonCompliantHosts: nonCompliantHosts)
        for (v, verdict) in verdicts.enumerated() {
            if verdictCounts[v] > 0 { summary.byVerdict[verdict] = verdictCounts[v] }
            for (p, platform) in platformNames.enumerated() where platformCounts[p * verdicts.count + v] > 0 {
                summary.byPlatform[platform, default: [:]][verdict] = platformCounts[p * verdicts.count + v]
            }
            for (k, manifest) in manifests.enumerated() where kbCounts[k * verdicts.count + v] > 0 {
                summary.byKB[manifest.kb, default: [:]][verdict] = kbCounts[k * verdicts.count + v]
            }
        }
        return summary
    }

    // MARK: - One host

    /// Per manifest, the first bound check with sessions on the host, and its combined outcome.
    private func appliedBehaviour(_ behaviour: [BehaviourEvidence]) -> [AppliedBehaviour?] {
        guard !behaviour.isEmpty else { return Array(repeating: nil, count: manifests.count) }
        var combined: [CheckID: ProbeOutcome] = [:]
        for evidence in behaviour {
            if let outcome = ProbeOutcome.combine(evidence.outcomes) { combined[evidence.check] = outcome }
        }
        return manifestChecks.map { bound in
            bound.lazy.compactMap { check in combined[check].map { AppliedBehaviour(check: check, outcome: $0) } }.first
        }
    }

    private func sortIntoBuckets(_ files: [EvidenceFile]) {
        for index in buckets.indices { buckets[index].removeAll(keepingCapacity: true) }
        for file in files {
            let indices: [Int]
            if let known = refManifests[file.ref] {
                indices = known
            } else {
                let key = file.fileName.lowercased()
                indices = manifestKeys.indices.filter { manifestKeys[$0].contains(key) }
                refManifests[file.ref] = indices
            }
            for index in indices { buckets[index].append(file) }
        }
    }

    private func decide(manifest index: Int, context: VerdictRules.HostContext, recorded: Bool, probe: AppliedBehaviour?,
                        running: FileVersion?, persist: (HostKBResult) throws -> Int64) rethrows -> StoredResult {
        let manifest = manifests[index]
        let key = FileKey(manifest: index, context: context, files: buckets[index], recorded: recorded)
        let file: FileMemo
        if let known = fileMemo[key] {
            file = known
        } else {
            let installed = buckets[index].map {
                InstalledFile(host: "", path: $0.path, fileName: $0.fileName, version: $0.version, versionText: $0.versionText, size: $0.size)
            }
            let assessment = VerdictRules.assess(host: context, kb: manifest.kb, prerequisiteServicePack: manifest.prerequisiteServicePack,
                                                 rows: manifest.rows, files: installed, hotfixRecorded: recorded)
            if fileMemo.count >= memoLimit {
                fileMemo.removeAll(keepingCapacity: true)
                evidenceMemo.removeAll(keepingCapacity: true)
            }
            file = FileMemo(assessment: assessment, requirement: VerdictRules.runningRequirement(host: context, rows: manifest.rows),
                            slot: nextSlot)
            nextSlot += 1
            fileMemo[key] = file
        }
        // The greeting is evidence only for a KB with an applicable Smtpsvc.dll row.
        let runningEvidence = file.requirement.flatMap { required in running.map { RunningVersionEvidence(version: $0, required: required) } }
        let evidenceKey = EvidenceKey(slot: file.slot, probe: probe, running: runningEvidence?.version)
        if let known = evidenceMemo[evidenceKey] { return known }
        let check = probe.flatMap { CheckRegistry.check($0.check) } ?? CheckRegistry.defaultCheck
        let combined = VerdictRules.combine(file: file.assessment, probe: probe?.outcome, check: check, running: runningEvidence)
        let fileResult = file.assessment
        let result = HostKBResult(kb: manifest.kb, verdict: combined.verdict, fileVerdict: fileResult.verdict,
                                  probeOutcome: probe?.outcome, reason: combined.reason, fileName: fileResult.fileName,
                                  requiredVersion: fileResult.requiredVersion, foundVersion: fileResult.foundVersion,
                                  path: fileResult.path, anomalies: combined.anomalies, check: probe?.check,
                                  runningVersion: runningEvidence?.version)
        let stored = StoredResult(id: try persist(result), verdict: combined.verdict)
        evidenceMemo[evidenceKey] = stored
        return stored
    }

    private func count(_ outcome: HostOutcome, platform: Platform?) {
        let platformIndex = platform.flatMap { Platform.allCases.firstIndex(of: $0) } ?? platformNames.count - 1
        for (manifestIndex, stored) in outcome.results.enumerated() {
            let v = stored.verdict.index
            verdictCounts[v] += 1
            platformCounts[platformIndex * verdicts.count + v] += 1
            kbCounts[manifestIndex * verdicts.count + v] += 1
        }
        resultCount += outcome.results.count
        if !outcome.compliant { nonCompliantHosts += 1 }
    }
}

/// The outcome of a behavioural check applied to one KB of a host.
struct AppliedBehaviour: Hashable {
    var check: CheckID
    var outcome: ProbeOutcome
}

/// A result as the store keeps it: the id it was persisted under and its verdict.
public struct StoredResult: Sendable, Hashable {
    public var id: Int64
    public var verdict: Verdict
}

/// What a host comes to: (id, verdict) per KB in manifest order. Hosts alike share one outcome;
/// `id` tells distinct outcomes apart (a store may cache its encoding of one by it).
public struct HostOutcome: Sendable {
    public var id: Int
    public var results: [StoredResult]
    /// Whether every result is compliant.
    public var compliant: Bool
}

extension Verdict {
    /// Position in ``Verdict/allCases`` (for flat count arrays).
    var index: Int { Verdict.allCases.firstIndex(of: self)! }
}
