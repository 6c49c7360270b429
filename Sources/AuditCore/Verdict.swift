/// The file-evidence verdict for one host and one KB (ARCHITECTURE.md "Verdict rules").
public enum FileVerdict: String, Sendable, Hashable, CaseIterable, Codable {
    case patched
    case vulnerable
    case prerequisiteMissing = "prerequisite-missing"
    case notApplicable = "not-applicable"
    case unknown
}

/// The verdict after reconciling file evidence with behavioural (probe) evidence.
public enum Verdict: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case patched
    case vulnerable
    /// The file says patched but the running service still misbehaves (DLL replaced, service not restarted).
    case serviceNotReloaded = "service-not-reloaded"
    case prerequisiteMissing = "prerequisite-missing"
    case notApplicable = "not-applicable"
    case unknown

    public init(_ file: FileVerdict) {
        switch file {
        case .patched: self = .patched
        case .vulnerable: self = .vulnerable
        case .prerequisiteMissing: self = .prerequisiteMissing
        case .notApplicable: self = .notApplicable
        case .unknown: self = .unknown
        }
    }

    /// Whether a host with this verdict counts as compliant (exit code 0 when all are).
    public var isCompliant: Bool { self == .patched || self == .notApplicable }

    /// Display order: worst first.
    public var severity: Int {
        switch self {
        case .vulnerable: 0
        case .serviceNotReloaded: 1
        case .prerequisiteMissing: 2
        case .unknown: 3
        case .patched: 4
        case .notApplicable: 5
        }
    }

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.severity < rhs.severity }

    /// One sentence on what the verdict means, for reports and `--help`.
    public var meaning: String {
        switch self {
        case .patched: "Every applicable file is at or above the version the hotfix ships (a later service-pack build counts)."
        case .vulnerable: "An applicable file is older than the version the hotfix ships, or a check that confirms this KB showed the defect."
        case .serviceNotReloaded: "The file on disk is patched, but the running SMTP service is not: a behavioural check failed, or its greeting announces an older smtpsvc.dll. Restart the service."
        case .prerequisiteMissing: "The host is below the service pack the hotfix requires, so the hotfix cannot be in place."
        case .notApplicable: "The component is not installed, or the KB has no files for the host's product and platform."
        case .unknown: "A fact needed to decide (product, architecture, service pack, a readable version) is missing."
        }
    }
}

/// Something odd in the evidence worth an auditor's look, reported beside the verdict.
public enum AnomalyKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The hotfix ID is recorded (Get-HotFix, systeminfo) but the file on disk is older than required.
    case hotfixRecordedFileOlder = "hotfix-recorded-file-older"
    /// The file's branch tag names another service pack or servicing branch than the row that applies.
    case foreignBranch = "foreign-branch"
    /// The probe says fixed although the file is older (another MTA in front of the host?).
    case probeContradictsFile = "probe-contradicts-file"
    /// The SMTP greeting announces a running smtpsvc.dll at or above the required version although the
    /// file on disk is older (inventory out of date, or another service answers on the address?).
    case runningVersionContradictsFile = "running-version-contradicts-file"
}

/// An anomaly with its evidence in words.
public struct Anomaly: Sendable, Hashable {
    public var kind: AnomalyKind
    public var detail: String
    public init(kind: AnomalyKind, detail: String) {
        self.kind = kind
        self.detail = detail
    }
}

/// The outcome of the file-evidence rules for one host and one KB, with its evidence.
public struct FileAssessment: Sendable, Hashable {
    public var verdict: FileVerdict
    /// Why, in one sentence (names the missing fact for `unknown`).
    public var reason: String
    public var fileName: String?
    public var requiredVersion: FileVersion?
    public var foundVersion: FileVersion?
    public var path: String?
    public var anomalies: [Anomaly]

    public init(verdict: FileVerdict, reason: String, fileName: String? = nil, requiredVersion: FileVersion? = nil,
                foundVersion: FileVersion? = nil, path: String? = nil, anomalies: [Anomaly] = []) {
        self.verdict = verdict
        self.reason = reason
        self.fileName = fileName
        self.requiredVersion = requiredVersion
        self.foundVersion = foundVersion
        self.path = path
        self.anomalies = anomalies
    }
}

extension Anomaly: CustomStringConvertible {
    /// `kind: detail`, as listings print it.
    public var description: String { "\(kind.rawValue): \(detail)" }
}
