import AuditCore

/// The decision for one host and one KB with the evidence behind it: the one result shape that the
/// engine produces, the store persists (typed columns, no text parsed back) and the reports render.
public struct HostKBResult: Sendable, Hashable {
    public var kb: KBNumber
    /// The verdict after all evidence is reconciled.
    public var verdict: Verdict
    /// What the installed files alone say.
    public var fileVerdict: FileVerdict
    /// The combined outcome of the behavioural check applied to this KB; nil when no check that
    /// confirms this KB has probed the host.
    public var probeOutcome: ProbeOutcome?
    /// The behavioural check whose outcome was applied (nil: no check confirms this KB, or not probed).
    public var check: CheckID?
    /// The running smtpsvc.dll version the greeting announced, when it was evidence for this KB.
    public var runningVersion: FileVersion?
    /// Which evidence decided, in words (from the rules and the check's own texts).
    public var reason: String
    /// The manifest file the file verdict rests on.
    public var fileName: String?
    public var requiredVersion: FileVersion?
    public var foundVersion: FileVersion?
    /// Where the deciding file was found on the host.
    public var path: String?
    public var anomalies: [Anomaly]
    /// The manifest rows that apply to the host's product, platform and service pack (filled by
    /// readers that have the manifests at hand; not stored with the result).
    public var applicableRows: [ManifestRow]
    /// The waiver that made the result an accepted risk, or that had expired (nil: none covered it).
    public var waiver: ResultWaiver?

    /// A result; every piece of evidence but the verdicts and the reason is optional.
    public init(kb: KBNumber, verdict: Verdict, fileVerdict: FileVerdict, probeOutcome: ProbeOutcome? = nil, reason: String,
                fileName: String? = nil, requiredVersion: FileVersion? = nil, foundVersion: FileVersion? = nil,
                path: String? = nil, anomalies: [Anomaly] = [], applicableRows: [ManifestRow] = [],
                check: CheckID? = nil, runningVersion: FileVersion? = nil, waiver: ResultWaiver? = nil) {
        self.kb = kb
        self.waiver = waiver
        self.verdict = verdict
        self.fileVerdict = fileVerdict
        self.probeOutcome = probeOutcome
        self.check = check
        self.runningVersion = runningVersion
        self.reason = reason
        self.fileName = fileName
        self.requiredVersion = requiredVersion
        self.foundVersion = foundVersion
        self.path = path
        self.anomalies = anomalies
        self.applicableRows = applicableRows
    }

    /// Whether this result counts as compliant (the one rule: ``Verdict/isCompliant``).
    public var isCompliant: Bool { verdict.isCompliant }
}
