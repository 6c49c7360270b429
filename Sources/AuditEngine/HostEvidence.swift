import AuditCore

/// One installed file of a host as the engine sees it. `ref` is the store's interned id of the
/// (path, file name) pair: two files with the same ref have the same path and name, which lets the
/// engine compare hosts by ids rather than by strings.
public struct EvidenceFile: Sendable {
    /// The store's interned id of the file's (path, name).
    public var ref: Int64
    /// Full path as the inventory reported it (may be empty when only the name is known).
    public var path: String
    /// The file name, compared case-insensitively with manifest rows.
    public var fileName: String
    /// The parsed version; nil when the inventory's text could not be read as one.
    public var version: FileVersion?
    /// The version text as the inventory gave it when it is not exactly the four parts (nil: it is).
    public var storedVersionText: String?
    /// Size in bytes, when the inventory gave it.
    public var size: Int?

    /// The version text as the inventory gave it.
    public var versionText: String { storedVersionText ?? version?.numericString ?? "" }

    /// A file of a host; `versionText` equal to the version's four parts need not be kept.
    public init(ref: Int64, path: String, fileName: String, version: FileVersion?, versionText: String, size: Int?) {
        self.init(ref: ref, path: path, fileName: fileName, version: version,
                  storedVersionText: version?.numericString == versionText ? nil : versionText, size: size)
    }

    /// A file of a host whose version text, when nil, is the version's four parts (as stores keep it).
    public init(ref: Int64, path: String, fileName: String, version: FileVersion?, storedVersionText: String?, size: Int?) {
        self.ref = ref
        self.path = path
        self.fileName = fileName
        self.version = version
        self.storedVersionText = storedVersionText
        self.size = size
    }
}

extension EvidenceFile: Hashable {
    /// Equal when ref, version, stored version text and size are: path and name follow from the ref.
    public static func == (lhs: EvidenceFile, rhs: EvidenceFile) -> Bool {
        lhs.ref == rhs.ref && lhs.version == rhs.version && lhs.size == rhs.size && lhs.storedVersionText == rhs.storedVersionText
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ref)
        hasher.combine(version)
        hasher.combine(size)
        hasher.combine(storedVersionText)
    }
}

/// The outcomes of one behavioural check's latest campaign on a host (one per profile); the engine
/// combines them and applies the result only to the KBs the check confirms.
public struct BehaviourEvidence: Sendable, Hashable {
    /// The behavioural check that ran.
    public var check: CheckID
    /// One outcome per profile of the check's latest campaign on the host.
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
    /// The host's name and SMTP address (what waivers match; not part of the verdict rules).
    public var name: String
    /// The SMTP address the probe triggers (waivers may match it).
    public var address: String?
    /// Product, platform, service pack: what decides which manifest rows apply.
    public var context: VerdictRules.HostContext
    /// The host's files whose names some manifest of the run lists.
    public var files: [EvidenceFile]
    /// KB numbers the host's hotfix records list.
    public var recordedKBs: Set<KBNumber>
    /// Each check's outcomes on the host (a check only counts for the KBs it confirms).
    public var behaviour: [BehaviourEvidence]
    /// The version the latest greeting announced (nil: no greeting, or one without a version).
    public var runningVersion: FileVersion?

    /// One host's evidence.
    public init(id: Int64, name: String = "", address: String? = nil, context: VerdictRules.HostContext, files: [EvidenceFile] = [],
                recordedKBs: Set<KBNumber> = [], behaviour: [BehaviourEvidence] = [], runningVersion: FileVersion? = nil) {
        self.id = id
        self.name = name
        self.address = address
        self.context = context
        self.files = files
        self.recordedKBs = recordedKBs
        self.behaviour = behaviour
        self.runningVersion = runningVersion
    }
}
