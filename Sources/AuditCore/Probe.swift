/// How the probe responder answers DATA: `lines` continuation lines `354-…`, then after `delay`
/// the final `354 …`; optionally one line split across two TCP writes, or a bare final `354`.
public struct ProbeProfile: Sendable, Hashable, CustomStringConvertible {
    /// Delay before the final 354 line, in milliseconds.
    public var delayMilliseconds: Int
    /// Number of `354-` continuation lines before the final line (≥ 1).
    public var continuationLines: Int
    /// Send the final line in two TCP writes with a pause between them.
    public var split: Bool
    /// Final line is the bare code `354` (no space, no text), which RFC 5321 allows.
    public var bare: Bool

    /// A profile; the defaults (`delay=5s,lines=1`) are the ones KB912341's defect shows with.
    public init(delayMilliseconds: Int = 5000, continuationLines: Int = 1, split: Bool = false, bare: Bool = false) {
        self.delayMilliseconds = delayMilliseconds
        self.continuationLines = continuationLines
        self.split = split
        self.bare = bare
    }

    /// Why a profile text could not be read.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        /// The reason, naming the item that is wrong and the accepted syntax.
        public var description: String
    }

    /// Parses `delay=5s,lines=1[,split][,bare]`; delay takes `ms`, `s` or `m` (default seconds).
    public init(parsing text: String) throws(ParseError) {
        self.init()
        for item in text.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { String($0.trimmingSpaces()).lowercased() }
            switch (pair.first ?? "", pair.count) {
            case ("split", 1): split = true
            case ("bare", 1): bare = true
            case ("delay", 2):
                guard let ms = ProbeProfile.milliseconds(pair[1]) else {
                    throw ParseError(description: "bad delay '\(pair[1])' in profile '\(text)' (e.g. 500ms, 5s, 2m)")
                }
                guard ms <= 30 * 60_000 else { throw ParseError(description: "delay '\(pair[1])' is longer than 30 minutes") }
                delayMilliseconds = ms
            case ("lines", 2):
                guard let n = Int(pair[1]), (1...50).contains(n) else {
                    throw ParseError(description: "lines must be 1...50 in profile '\(text)'")
                }
                continuationLines = n
            default:
                throw ParseError(description: "unknown profile item '\(item)' in '\(text)' (delay=5s,lines=1[,split][,bare])")
            }
        }
    }

    /// Parses a duration such as `500ms`, `5s`, `2m`, `5` (seconds) into milliseconds.
    public static func milliseconds(_ text: String) -> Int? {
        let lower = text.lowercased()
        let number: Substring
        let scale: Double
        if lower.hasSuffix("ms") { number = lower.dropLast(2); scale = 1 }
        else if lower.hasSuffix("s") { number = lower.dropLast(); scale = 1000 }
        else if lower.hasSuffix("m") { number = lower.dropLast(); scale = 60_000 }
        else { number = Substring(lower); scale = 1000 }
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        return Int(value * scale)
    }

    /// Canonical text: `delay=5s,lines=1,split`.
    public var description: String {
        let delay = delayMilliseconds % 1000 == 0 ? "\(delayMilliseconds / 1000)s" : "\(delayMilliseconds)ms"
        var text = "delay=\(delay),lines=\(continuationLines)"
        if split { text += ",split" }
        if bare { text += ",bare" }
        return text
    }
}

/// How a host that mishandled the delayed multiline reply showed it.
public enum VulnerableMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Sent message data after `354-`, before the final `354 ` line.
    case prematureData = "premature-data"
    /// Closed, sent RSET or QUIT while the reply was still arriving.
    case gaveUpDuringReply = "gave-up-during-reply"
    /// Sent no data within the timeout after the final line.
    case noDataAfterReply = "no-data-after-reply"
    /// Sent something that is not SMTP at that point.
    case protocolError = "protocol-error"
    /// Delivered the same token again (a retry: the duplicate copies of the KB's symptom).
    case duplicateDelivery = "duplicate-delivery"
}

/// Why a probe could not decide.
public enum InconclusiveReason: String, Sendable, Hashable, CaseIterable, Codable {
    case unreachable
    /// The host refused the trigger message (e.g. 5xx to RCPT: relay denied).
    case triggerRefused = "trigger-refused"
    /// The host accepted the trigger but its delivery never reached the responder within the wait.
    case noDelivery = "no-delivery"
}

/// The behavioural verdict for one host and one profile.
public enum ProbeOutcome: Sendable, Hashable, CustomStringConvertible {
    case fixed
    case vulnerable(VulnerableMode)
    case inconclusive(InconclusiveReason)

    /// `fixed`, `vulnerable`, `inconclusive`.
    public var verdict: String {
        switch self {
        case .fixed: "fixed"
        case .vulnerable: "vulnerable"
        case .inconclusive: "inconclusive"
        }
    }

    /// The mode or reason, nil for `fixed`.
    public var detail: String? {
        switch self {
        case .fixed: nil
        case .vulnerable(let mode): mode.rawValue
        case .inconclusive(let reason): reason.rawValue
        }
    }

    /// `vulnerable(premature-data)`: the verdict, and its detail in parentheses when there is one.
    public var description: String { detail.map { "\(verdict)(\($0))" } ?? verdict }

    /// Rebuilds an outcome from ``verdict`` and ``detail`` as stored.
    public init?(verdict: String, detail: String?) {
        switch verdict {
        case "fixed": self = .fixed
        case "vulnerable":
            guard let mode = detail.flatMap(VulnerableMode.init(rawValue:)) else { return nil }
            self = .vulnerable(mode)
        case "inconclusive":
            guard let reason = detail.flatMap(InconclusiveReason.init(rawValue:)) else { return nil }
            self = .inconclusive(reason)
        default: return nil
        }
    }

    /// A host is fixed only when every profile is fixed; any vulnerable profile makes it vulnerable;
    /// otherwise (some inconclusive) it is inconclusive. nil for no outcomes.
    public static func combine(_ outcomes: [ProbeOutcome]) -> ProbeOutcome? {
        guard let first = outcomes.first else { return nil }
        if let vulnerable = outcomes.first(where: { if case .vulnerable = $0 { true } else { false } }) { return vulnerable }
        if outcomes.allSatisfy({ $0 == .fixed }) { return .fixed }
        return outcomes.first(where: { if case .inconclusive = $0 { true } else { false } }) ?? first
    }
}
