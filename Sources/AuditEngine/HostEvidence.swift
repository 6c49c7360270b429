import AuditCore

/// One installed file of a host as the engine sees it. `ref` is the store's interned id of the
/// (path, file name) pair: two files with the same ref have the same path and name, which lets the
/// engine compare hosts by ids rather than by strings.
public struct EvidenceFile: Sendable {
    public var ref: Int64
    public var path: String
    public var fileName: String
    public var version: FileVersion?
    /// The version text as the inventory gave it.
    public var versionText: String
    public var size: Int?

    /// A file of a host.
    public init(ref: Int64, path: String, fileName: String, version: FileVersion?, versionText: String, size: Int?) {
        self.ref = ref
        self.path = path
        self.fileName = fileName
        self.version = version
        self.versionText = versionText
        self.size = size
    }
}

extension EvidenceFile: Hashable {
    /// Equal when ref, version, version text and size are: path and name follow from the ref.
    public static func == (lhs: EvidenceFile, rhs: EvidenceFile) -> Bool {
        lhs.ref == rhs.ref && lhs.version == rhs.version && lhs.size == rhs.size && lhs.versionText == rhs.versionText
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ref)
        hasher.combine(version)
        hasher.combine(size)
        hasher.combine(versionText)
    }
}

/// The outcomes of one behavioural check's latest campaign on a host (one per profile); the engine
/// combines them and applies the result only to the KBs the check confirms.
public struct BehaviourEvidence: Sendable, Hashable {
    public var check: CheckID
    public var outcomes: [ProbeOutcome]

    /// The sessions of `check` on one host.
    public init(check: CheckID, outcomes: [ProbeOutcome]) {
        self.check = check
        self.outcomes = outcomes
    }
}

/// Everything the engine needs to decide one host against every KB of a run: its facts, its files
/// whose names a manifest lists, the KBs it records as installed, behaviour evidence per check and
/// the running version its latest greeting announced.
public struct HostEvidence: Sendable {
    /// The store's key for the host (opaque to the engine).
    public var id: Int64
    public var context: VerdictRules.HostContext
    public var files: [EvidenceFile]
    /// KB numbers the host's hotfix records list.
    public var recordedKBs: Set<KBNumber>
    public var behaviour: [BehaviourEvidence]
    /// The version the latest greeting announced (nil: no greeting, or one without a version).
    public var runningVersion: FileVersion?

    /// One host's evidence.
    public init(id: Int64, context: VerdictRules.HostContext, files: [EvidenceFile] = [], recordedKBs: Set<KBNumber> = [],
                behaviour: [BehaviourEvidence] = [], runningVersion: FileVersion? = nil) {
        self.id = id
        self.context = context
        self.files = files
        self.recordedKBs = recordedKBs
        self.behaviour = behaviour
        self.runningVersion = runningVersion
    }
}
