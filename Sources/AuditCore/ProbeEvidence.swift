/// When the responder sent one line of its DATA reply, relative to receiving DATA.
public struct ReplyLineTiming: Sendable, Hashable {
    /// The line as sent, without CRLF (`354-Probe continues`, `354 Send message`).
    public var text: String
    /// Milliseconds after the DATA command arrived.
    public var offsetMilliseconds: Int
    /// A reply line and when it was sent.
    public init(text: String, offsetMilliseconds: Int) {
        self.text = text
        self.offsetMilliseconds = offsetMilliseconds
    }
}

/// Everything one probe of one host with one profile produced: the outcome and its evidence.
/// Written to the store by the campaign and shown in reports.
public struct ProbeEvidence: Sendable, Hashable {
    /// The campaign the session belongs to (its id, as stored).
    public var campaign: String
    /// The host probed, as the inventory names it.
    public var host: String
    /// The DATA reply profile the responder used for this session.
    public var profile: ProbeProfile
    /// The behavioural check the session ran (its outcome applies only to the KBs the check confirms).
    public var check: CheckID
    /// What the session showed: fixed, vulnerable (how) or inconclusive (why).
    public var outcome: ProbeOutcome
    /// One sentence explaining the outcome.
    public var note: String
    /// The delivering peer (`127.0.0.7:40112`) as seen by the responder; nil when nothing arrived.
    public var peer: String?
    /// The probe token the delivery carried; nil when nothing arrived.
    public var token: String?
    /// Unix time (seconds) the probe started.
    public var startedAt: Double
    /// The DATA reply lines and when each was sent.
    public var replyTimings: [ReplyLineTiming]
    /// Client bytes received before the final 354 line was sent (0 for a well-behaved client).
    public var prematureBytes: Int
    /// The body ended with `<CRLF>.<CRLF>` and carried the token.
    public var intact: Bool
    /// How the responder session ended: `quit`, `peer-close`, `timeout`, `limit`, `none`.
    public var endedBy: String
    /// How many sessions delivered this token (more than one: retried, duplicate copies).
    public var deliveries: Int
    /// The responder's transcript (capped), `C: ` / `S: ` prefixed lines.
    public var transcript: String
    /// The trigger client's transcript with the host (capped).
    public var triggerTranscript: String
    /// The host's SMTP greeting as the trigger read it; nil when none was read.
    public var greeting: String?

    /// One session's evidence; `check` defaults to the registry's default check.
    public init(campaign: String, host: String, profile: ProbeProfile, outcome: ProbeOutcome, note: String,
                peer: String? = nil, token: String? = nil, startedAt: Double, replyTimings: [ReplyLineTiming] = [],
                prematureBytes: Int = 0, intact: Bool = false, endedBy: String = "none", deliveries: Int = 0,
                transcript: String = "", triggerTranscript: String = "", check: CheckID? = nil, greeting: String? = nil) {
        self.check = check ?? CheckRegistry.defaultCheck.id
        self.greeting = greeting
        self.campaign = campaign
        self.host = host
        self.profile = profile
        self.outcome = outcome
        self.note = note
        self.peer = peer
        self.token = token
        self.startedAt = startedAt
        self.replyTimings = replyTimings
        self.prematureBytes = prematureBytes
        self.intact = intact
        self.endedBy = endedBy
        self.deliveries = deliveries
        self.transcript = transcript
        self.triggerTranscript = triggerTranscript
    }
}
