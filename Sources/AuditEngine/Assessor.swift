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
    /// Supersedence credit (feed and/or files) for hosts that record a later KB.
    private let supersedence: SupersedenceEvidence
    /// One nil credit per manifest (hosts when no supersedence can apply share it).
    private let noCredits: [SupersedenceChain?]

    private struct FileKey: Hashable {
        var manifest: Int
        var context: VerdictRules.HostContext
        var files: [EvidenceFile]
        var recorded: Bool
        var credit: SupersedenceChain?
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
        var credits: [SupersedenceChain?]
        var probes: [AppliedBehaviour?]
        var running: FileVersion?
    }
    private var fileMemo: [FileKey: FileMemo] = [:]
    private var evidenceMemo: [EvidenceKey: StoredResult] = [:]
    private var hostMemo: [HostKey: HostOutcome] = [:]
    /// The waivers of the run and which of them were used (nil: none given).
    public private(set) var waivers: WaiverMatcher?
    /// Results turned into accepted risks so far.
    public private(set) var acceptedResults = 0
    private struct WaivedKey: Hashable {
        var original: Int64
        var waiver: Waiver
        var expired: Bool
    }
    private var waivedMemo: [WaivedKey: StoredResult] = [:]
    /// The full results by stored id, kept only when waivers may need to rewrite them.
    private var resultsByID: [Int64: HostKBResult] = [:]
    private var nextSlot = 0
    private var nextOutcome = 0
    private var buckets: [[EvidenceFile]]
    /// No behaviour evidence for any KB (shared by every host that was not probed).
    private let notProbed: [AppliedBehaviour?]

    private let verdicts = Verdict.order
    private let platformNames = Platform.allCases.map(\.rawValue) + ["unknown"]
    private var verdictCounts: [Int]
    private var platformCounts: [Int]
    private var kbCounts: [Int]
    private var hostCount = 0
    private var resultCount = 0
    private var nonCompliantHosts = 0

    /// An assessor for `manifests` (results come in this order); `bindings` says which checks'
    /// outcomes are evidence for which KB. `memoLimit` bounds each memo (entries).
    /// `waivers` (nil: none) turns covered non-compliant results into accepted risks at the matcher's date;
    /// `supersedence` credits hosts that record a KB replacing one of the run's.
    public init(manifests: [Manifest], bindings: CheckBindings = CheckBindings(), waivers: WaiverMatcher? = nil, memoLimit: Int = 50_000,
                supersedence: SupersedenceEvidence = .none) {
        self.manifests = manifests
        self.waivers = waivers
        self.supersedence = supersedence
        noCredits = Array(repeating: nil, count: manifests.count)
        let registered = Set(CheckRegistry.all.map(\.id))
        manifestChecks = manifests.map { manifest in
            bindings.checks(confirming: manifest.kb).filter { registered.contains($0) }
        }
        manifestKeys = manifests.map { Set($0.rows.map { $0.fileName.lowercased() }) }
        self.memoLimit = memoLimit
        buckets = Array(repeating: [], count: manifests.count)
        notProbed = Array(repeating: nil, count: manifests.count)
        verdictCounts = Array(repeating: 0, count: verdicts.count)
        platformCounts = Array(repeating: 0, count: verdicts.count * platformNames.count)
        kbCounts = Array(repeating: 0, count: verdicts.count * manifests.count)
    }


    /// Decides one host against every KB. `persist` is called once per distinct result and returns
    /// the id the store keeps it under; the outcome lists (id, verdict) per KB in manifest order.
    public func assess(_ host: HostEvidence, persist: (HostKBResult) throws -> Int64) rethrows -> HostOutcome {
        hostCount += 1
        // Bounded memos, emptied between hosts (never while one host's results refer to their entries).
        // With waivers the memos refer to each other's results, so they are emptied together.
        if waivers != nil {
            if hostMemo.count >= memoLimit || fileMemo.count >= memoLimit { forgetAll() }
        } else {
            if hostMemo.count >= memoLimit { hostMemo.removeAll(keepingCapacity: true) }
            if fileMemo.count >= memoLimit {
                fileMemo.removeAll(keepingCapacity: true)
                evidenceMemo.removeAll(keepingCapacity: true)
            }
        }
        let recorded = manifests.map { host.recordedKBs.contains($0.kb) }
        let probes = appliedBehaviour(host.behaviour)
        let credits = supersedence.canCredit
            ? manifests.map { supersedence.credit(for: $0.kb, host: host.context, recorded: host.recordedKBs) } : noCredits
        let key = HostKey(context: host.context, files: host.files, recorded: recorded, credits: credits, probes: probes,
                          running: host.runningVersion)
        var outcome: HostOutcome
        if let known = hostMemo[key] {
            outcome = known
        } else {
            var results: [StoredResult] = []
            results.reserveCapacity(manifests.count)
            sortIntoBuckets(host.files)
            for index in manifests.indices {
                results.append(try decide(manifest: index, context: host.context, recorded: recorded[index], credit: credits[index],
                                          probe: probes[index], running: host.runningVersion, persist: persist))
            }
            outcome = HostOutcome(id: nextOutcome, results: results, compliant: results.allSatisfy { $0.verdict.isCompliant })
            nextOutcome += 1
            hostMemo[key] = outcome
        }
        if waivers != nil, !outcome.compliant { outcome = try waive(outcome, of: host, persist: persist) }
        count(outcome, platform: host.context.platform)
        return outcome
    }

    /// The host's outcome with every non-compliant result a waiver covers rewritten: an accepted risk
    /// while the waiver is in force, or the same verdict with the expired waiver named. Alike hosts
    /// share file evidence but not names, so this runs per host, after the memo.
    private func waive(_ outcome: HostOutcome, of host: HostEvidence, persist: (HostKBResult) throws -> Int64) rethrows -> HostOutcome {
        var results = outcome.results
        var changed = false
        for (index, stored) in outcome.results.enumerated() where !stored.verdict.isCompliant {
            let decision = waivers!.decide(host: host.name, address: host.address, kb: manifests[index].kb, verdict: stored.verdict)
            guard let note = ResultWaiver(decision) else { continue }
            let key = WaivedKey(original: stored.id, waiver: note.waiver, expired: note.expired)
            if let known = waivedMemo[key] {
                results[index] = known
            } else {
                // Every id in an outcome was made since the memos were last emptied, so its result is here.
                var result = resultsByID[stored.id]!
                let w = note.waiver
                if note.expired {
                    result.reason += "; waiver \(w.place) (\(w.owner)) expired \(w.expires.dateString): no longer accepted"
                } else {
                    result.verdict = .acceptedRisk
                    result.reason += "; accepted risk until \(w.expires.dateString) by \(w.owner) (\(w.place)): \(w.reason)"
                }
                result.waiver = note
                let waived = StoredResult(id: try persist(result), verdict: result.verdict)
                waivedMemo[key] = waived
                results[index] = waived
            }
            if !note.expired { acceptedResults += 1 }
            changed = true
        }
        guard changed else { return outcome }
        nextOutcome += 1
        return HostOutcome(id: nextOutcome, results: results, compliant: results.allSatisfy { $0.verdict.isCompliant })
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
        guard !behaviour.isEmpty else { return notProbed }
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

    private func decide(manifest index: Int, context: VerdictRules.HostContext, recorded: Bool, credit: SupersedenceChain?,
                        probe: AppliedBehaviour?,
                        running: FileVersion?, persist: (HostKBResult) throws -> Int64) rethrows -> StoredResult {
        let manifest = manifests[index]
        let key = FileKey(manifest: index, context: context, files: buckets[index], recorded: recorded, credit: credit)
        let file: FileMemo
        if let known = fileMemo[key] {
            file = known
        } else {
            let installed = buckets[index].map {
                InstalledFile(host: "", path: $0.path, fileName: $0.fileName, version: $0.version, versionText: $0.versionText, size: $0.size)
            }
            let assessment = supersedence.apply(
                to: VerdictRules.assess(host: context, kb: manifest.kb, prerequisiteServicePack: manifest.prerequisiteServicePack,
                                        rows: manifest.rows, files: installed, hotfixRecorded: recorded),
                manifest: manifest, host: context, recorded: recorded, credit: credit, hasFileEvidence: !installed.isEmpty)
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
        if waivers != nil, !combined.verdict.isCompliant { resultsByID[stored.id] = result }
        return stored
    }

    /// Empties every memo at once (they refer to each other's entries), bounding memory.
    private func forgetAll() {
        hostMemo.removeAll(keepingCapacity: true)
        fileMemo.removeAll(keepingCapacity: true)
        evidenceMemo.removeAll(keepingCapacity: true)
        resultsByID.removeAll(keepingCapacity: true)
        waivedMemo.removeAll(keepingCapacity: true)
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
    /// The id the store persisted the result under.
    public var id: Int64
    /// The result's verdict (kept so counts need not read the result back).
    public var verdict: Verdict
}

/// What a host comes to: (id, verdict) per KB in manifest order. Hosts alike share one outcome;
/// `id` tells distinct outcomes apart (a store may cache its encoding of one by it).
public struct HostOutcome: Sendable {
    /// Tells distinct outcomes apart within a run (alike hosts share one).
    public var id: Int
    /// One stored result per KB, in manifest order.
    public var results: [StoredResult]
    /// Whether every result is compliant.
    public var compliant: Bool
}

extension Verdict {
    /// ``Verdict/allCases``, built once (the synthesized property makes a new array per call).
    static let order = Verdict.allCases

    /// Position in ``Verdict/allCases`` (for flat count arrays); `allCases` is built once.
    var index: Int { Verdict.order.firstIndex(of: self)! }
}
