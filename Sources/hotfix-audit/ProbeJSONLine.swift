import AuditCore
import Foundation

/// One line of `probe --json`: a recipient to send to (listen-only), an outcome as soon as it is
/// decided, or the closing campaign summary. Written as one compact JSON object per line (JSON
/// escaping keeps control characters of hosts' texts out of the stream), flushed at once.
struct ProbeJSONLine: Encodable {
    /// `recipient`, `outcome` or `campaign`.
    var event: String
    var campaign: String?
    var host: String?
    var profile: String?
    var recipient: String?
    /// `fixed`, `vulnerable` or `inconclusive`.
    var outcome: String?
    /// The mode or reason (`premature-data`, `no-delivery`, …); absent for `fixed`.
    var detail: String?
    var note: String?
    var token: String?
    var peer: String?
    var prematureBytes: Int?
    var intact: Bool?
    var endedBy: String?
    var deliveries: Int?
    var fixed: Int?
    var vulnerable: Int?
    var inconclusive: Int?
    var notProbed: [String]?

    init(event: String, campaign: String? = nil, host: String? = nil, profile: String? = nil, recipient: String? = nil,
         fixed: Int? = nil, vulnerable: Int? = nil, inconclusive: Int? = nil, notProbed: [String]? = nil) {
        self.event = event
        self.campaign = campaign
        self.host = host
        self.profile = profile
        self.recipient = recipient
        self.fixed = fixed
        self.vulnerable = vulnerable
        self.inconclusive = inconclusive
        self.notProbed = notProbed
    }

    /// The outcome line of one decided host × profile.
    init(outcome evidence: ProbeEvidence) {
        self.init(event: "outcome", campaign: evidence.campaign, host: evidence.host, profile: evidence.profile.description)
        outcome = evidence.outcome.verdict
        detail = evidence.outcome.detail
        note = evidence.note
        token = evidence.token
        peer = evidence.peer
        prematureBytes = evidence.prematureBytes
        intact = evidence.intact
        endedBy = evidence.endedBy
        deliveries = evidence.deliveries
    }

    /// Writes the object and a newline to stdout as one line (stdout is line-buffered: it leaves at once).
    func write() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(self), as: UTF8.self)
        print(text)
    }
}
