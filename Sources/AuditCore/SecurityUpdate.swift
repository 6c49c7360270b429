/// What kind of package a feed says an update is (`SubType`): the servicing model decides what a
/// later update of another kind replaces, so it is kept typed, not as free text.
public enum UpdateSubtype: Sendable, Hashable, Comparable, CustomStringConvertible {
    case securityUpdate
    case monthlyRollup
    case securityOnly
    case cumulativeUpdate
    case ieCumulative
    case servicingStack
    /// A sub-type this version does not know, as written (kept, never dropped).
    case other(String)

    /// Reads the feed spellings (`Security Update`, `Monthly Rollup`, `Security Only`, `IE Cumulative`,
    /// `Cumulative Update`, `Servicing Stack Update`), case and spacing insensitively; nil when empty.
    public init?(feedText: some StringProtocol) {
        let words = feedText.lowercased().split(whereSeparator: { !$0.isLetter }).joined(separator: " ")
        switch words {
        case "": return nil
        case "security update", "security updates": self = .securityUpdate
        case "monthly rollup", "monthly quality rollup", "security monthly quality rollup": self = .monthlyRollup
        case "security only", "security only update", "security only quality update": self = .securityOnly
        case "cumulative update", "cumulative": self = .cumulativeUpdate
        case "ie cumulative", "internet explorer cumulative": self = .ieCumulative
        case "servicing stack update", "servicing stack": self = .servicingStack
        default: self = .other(feedText.split(separator: " ").joined(separator: " "))
        }
    }

    /// The stored and printed spelling.
    public var description: String {
        switch self {
        case .securityUpdate: "Security Update"
        case .monthlyRollup: "Monthly Rollup"
        case .securityOnly: "Security Only"
        case .cumulativeUpdate: "Cumulative Update"
        case .ieCumulative: "IE Cumulative"
        case .servicingStack: "Servicing Stack Update"
        case .other(let text): text
        }
    }

    /// Ordered for stable listings.
    public static func < (lhs: UpdateSubtype, rhs: UpdateSubtype) -> Bool { lhs.description < rhs.description }
}

/// Whether installing an update needs a restart (`RestartRequired`: Yes / No / Maybe).
public enum RestartRequirement: String, Sendable, Hashable, CaseIterable, Codable {
    case yes, no, maybe

    /// Reads `Yes`, `No`, `Maybe` (any case); nil for anything else.
    public init?(feedText: some StringProtocol) {
        switch feedText.trimmingSpaces().lowercased() {
        case "yes", "true", "1": self = .yes
        case "no", "false", "0": self = .no
        case "maybe": self = .maybe
        default: return nil
        }
    }
}

/// One feed entry: an update (KB) that fixes something for one product, with what it replaces.
public struct SecurityUpdate: Sendable, Hashable {
    /// The KB.
    public var kb: KBNumber
    /// The product the feed names, normalised.
    public var product: FeedProduct
    /// The feed's sub-type (Security Update, Monthly Rollup …).
    public var subtype: UpdateSubtype?
    /// Whether installing it needs a restart.
    public var restart: RestartRequirement?
    /// The KBs the feed lists as replaced (CVRF `Supercedence`, WES-NG `Supersedes`).
    public var supersedes: [KBNumber]
    /// Other ids the same list names (`MS16-110` bulletins, WES-NG `SP81X86` pseudo ids), kept as written.
    public var supersededOther: [String]
    /// `YYYY-MM` of the document or row that published it; nil when unknown.
    public var released: String?

    /// An update entry; lists default to empty.
    public init(kb: KBNumber, product: FeedProduct, subtype: UpdateSubtype? = nil, restart: RestartRequirement? = nil,
                supersedes: [KBNumber] = [], supersededOther: [String] = [], released: String? = nil) {
        self.kb = kb
        self.product = product
        self.subtype = subtype
        self.restart = restart
        self.supersedes = supersedes
        self.supersededOther = supersededOther
        self.released = released
    }
}

/// A feed's list of replaced updates (`3212646`, `MS16-110, 3187754`, `2883200;SP81X86`, `KB3177186`),
/// split into KB numbers and other ids. Why a type: every feed writes this list its own way, and a
/// bulletin id or pseudo id in it must neither be dropped silently nor become a bogus KB.
public struct SupersedenceList: Sendable, Hashable {
    /// The KBs concerned, by number.
    public var kbs: [KBNumber]
    /// Ids that are not KB numbers (bulletins, pseudo ids), as written.
    public var others: [String]

    /// Splits on commas, semicolons and white space; KB numbers with or without `KB`, in order, without duplicates.
    public init(parsing text: some StringProtocol) {
        var kbs: [KBNumber] = []
        var others: [String] = []
        for token in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            if let kb = KBNumber(token), token.uppercased().hasPrefix("KB") || token.allSatisfy(\.isNumber) {
                if !kbs.contains(kb) { kbs.append(kb) }
            } else if !others.contains(String(token)) {
                others.append(String(token))
            }
        }
        self.kbs = kbs
        self.others = others
    }
}
