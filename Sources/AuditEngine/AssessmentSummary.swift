import AuditCore

/// Counts of one assessment run.
public struct AssessmentSummary: Sendable, Hashable {
    /// The store's id of the run.
    public var runID: Int64
    /// When the run was made, ISO 8601 UTC.
    public var at: String
    public var kbs: [KBNumber]
    public var hostCount: Int
    public var resultCount: Int
    public var byVerdict: [Verdict: Int]
    /// platform (or `unknown`) → verdict → count
    public var byPlatform: [String: [Verdict: Int]]
    public var byKB: [KBNumber: [Verdict: Int]]
    /// Hosts with at least one verdict that is not compliant.
    public var nonCompliantHosts: Int

    /// An empty summary of a run over `kbs`.
    public init(runID: Int64, at: String, kbs: [KBNumber], hostCount: Int = 0, resultCount: Int = 0, byVerdict: [Verdict: Int] = [:],
                byPlatform: [String: [Verdict: Int]] = [:], byKB: [KBNumber: [Verdict: Int]] = [:], nonCompliantHosts: Int = 0) {
        self.runID = runID
        self.at = at
        self.kbs = kbs
        self.hostCount = hostCount
        self.resultCount = resultCount
        self.byVerdict = byVerdict
        self.byPlatform = byPlatform
        self.byKB = byKB
        self.nonCompliantHosts = nonCompliantHosts
    }

    /// 0 when every host is compliant; 3 otherwise (vulnerable, prerequisite-missing,
    /// service-not-reloaded or unknown found).
    public var exitCode: Int32 { nonCompliantHosts == 0 ? 0 : 3 }
}
