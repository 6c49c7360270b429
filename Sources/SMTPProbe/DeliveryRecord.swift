import AuditCore

/// What the responder saw of one mail transaction that carried a valid probe token: a delivery
/// attempt by the probed host. Updated as the transaction goes on; `finished` once it is over.
public struct DeliveryRecord: Sendable, Hashable {
    /// Responder session (TCP connection) number, and transaction number within it.
    public var sessionID: Int
    /// Transaction number within the session (a host may send several messages on one connection).
    public var transactionID: Int
    /// Delivering peer, `ip:port`.
    public var peer: String
    /// The probe token of the recipient, lowercased.
    public var token: String
    /// What the token says: campaign, host and profile it was issued for.
    public var claims: TokenClaims
    /// The profile the responder answers DATA with in this transaction.
    public var profile: ProbeProfile
    /// DATA was received for this transaction.
    public var dataCommandReceived = false
    /// Each DATA reply line and when it was sent, the evidence the classifier compares with the data's arrival.
    public var replyTimings: [ReplyLineTiming] = []
    /// The final `354` line was completely sent.
    public var finalLineSent = false
    /// Client bytes received before the final 354 line was sent.
    public var prematureBytes = 0
    /// The client closed, sent RSET or QUIT before the final line.
    public var gaveUpDuringReply = false
    /// The only client bytes before the final line were one lone `QUIT` or `RSET` (the client gave
    /// up without sending message data; ``prematureBytes`` counts that command's octets).
    public var prematureLoneCommand = false
    /// Message bytes received after the final line.
    public var bytesAfterFinalLine = 0
    /// The body ended with `<CRLF>.<CRLF>` and carried the token.
    public var intact = false
    /// The message was accepted with 250.
    public var accepted = false
    /// Something not SMTP at this point (over-long line, size exceeded, body without the token...).
    public var protocolProblem: String?
    /// `quit`, `peer-close`, `timeout`, `limit`, or `none` while the session is still open.
    public var endedBy = "none"
    /// The transaction is over (message answered, reset, or session ended).
    public var finished = false
    /// Session transcript up to this point (capped).
    public var transcript = ""

    /// Message data (anything but a lone `QUIT`/`RSET`: header lines, a body, the end-of-data dot)
    /// arrived after DATA before the final 354 line — the defect, whatever ended the session after.
    public var sentMessageDataEarly: Bool {
        dataCommandReceived && prematureBytes > 0 && !prematureLoneCommand
    }

    /// A record for a transaction whose recipient carried a valid token; the DATA facts fill in as the session goes on.
    public init(sessionID: Int, transactionID: Int, peer: String, token: String, claims: TokenClaims, profile: ProbeProfile) {
        self.sessionID = sessionID
        self.transactionID = transactionID
        self.peer = peer
        self.token = token
        self.claims = claims
        self.profile = profile
    }
}

/// A recipient token the responder refused (forged, unknown campaign, malformed): logged, never evidence.
public struct StrayRecord: Sendable, Hashable {
    /// The peer that sent the recipient, `ip:port`.
    public var peer: String
    /// The recipient address as the peer sent it.
    public var recipient: String
    /// Why it was refused (unknown or forged token, not a probe recipient).
    public var reason: String
}
