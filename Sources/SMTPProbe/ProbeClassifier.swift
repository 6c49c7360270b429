import AuditCore

/// Turns the responder's delivery records for one token into an outcome (pure; table-tested).
public enum ProbeClassifier {
    /// A decision and the record it rests on.
    public struct Decision: Sendable, Hashable {
        /// The verdict of the session.
        public var outcome: ProbeOutcome
        /// One sentence explaining it, stored and shown with the outcome.
        public var note: String
        /// The delivery record that decided (nil for no delivery).
        public var record: DeliveryRecord?
        /// Delivery attempts that reached DATA.
        public var deliveries: Int
        /// Premature-data decisions keep counting duplicates for a grace period.
        public var wantsGrace: Bool
    }

    /// How the campaign made hosts send: it decides what a note can say happened.
    public enum Mode: Sendable, Hashable {
        /// The campaign submitted a trigger message that the host accepted.
        case trigger
        /// No trigger was sent: someone else makes the hosts send to the announced recipients.
        case listenOnly
    }

    /// The outcome so far, or nil while undecided. With `final` (the wait is over) it always decides.
    /// `deliveries` counts every transaction that named the token when the book kept only some of
    /// them (``DeliveryBook/deliveries(for:)``); nil means `records` are all of them.
    ///
    /// Message data before the final 354 line (``DeliveryRecord/sentMessageDataEarly``) is
    /// `premature-data` whatever ended the session afterwards (a QUIT after the dot, a close); only
    /// a lone QUIT/RSET or a close with nothing sent is `gave-up-during-reply`.
    public static func decide(_ records: [DeliveryRecord], deliveries: Int? = nil, final: Bool,
                              mode: Mode = .trigger) -> Decision? {
        let attempts = records.filter(\.dataCommandReceived)
        // Every transaction that named the token is a delivery attempt (a retry may still be at RCPT).
        let count = max(deliveries ?? records.count, records.count)
        if let early = attempts.first(where: \.sentMessageDataEarly) {
            guard early.finished || final else { return nil }
            let ended = early.gaveUpDuringReply
                ? "; then the session ended (\(early.endedBy == "none" ? "RSET" : early.endedBy)) before the final line was sent" : ""
            return Decision(outcome: .vulnerable(.prematureData),
                            note: "sent \(early.prematureBytes) bytes of message data after `354-` before the final 354 line"
                                + ended + (count > 1 ? "; delivered \(count) times (retries: duplicate copies)" : ""),
                            record: early, deliveries: count, wantsGrace: true)
        }
        guard let first = attempts.first else {
            if final {
                let note = !records.isEmpty ? "the host connected with the token but never sent DATA"
                    : mode == .listenOnly
                    ? "no delivery for this host's recipient reached the responder within the wait (listen-only: no trigger was sent)"
                    : "the host accepted the trigger but no delivery reached the responder within the wait"
                return Decision(outcome: .inconclusive(.noDelivery), note: note, record: records.first, deliveries: 0, wantsGrace: false)
            }
            return nil
        }
        if first.accepted && first.intact {
            if count > 1 {
                return Decision(outcome: .vulnerable(.duplicateDelivery),
                                note: "waited for the final 354 line but delivered the same message \(count) times",
                                record: first, deliveries: count, wantsGrace: false)
            }
            return Decision(outcome: .fixed, note: "waited for the final 354 line (\(timingText(first))) and delivered the message intact",
                            record: first, deliveries: count, wantsGrace: false)
        }
        guard first.finished || final else { return nil }
        if !first.finished && !first.finalLineSent && !first.gaveUpDuringReply {
            return Decision(outcome: .inconclusive(.noDelivery),
                            note: "the wait ended before the final 354 line was due; use a wait longer than the profile delay",
                            record: first, deliveries: count, wantsGrace: false)
        }
        if first.gaveUpDuringReply || !first.finalLineSent {
            return Decision(outcome: .vulnerable(.gaveUpDuringReply),
                            note: "gave up (\(first.endedBy == "none" ? "RSET" : first.endedBy)) while the multiline 354 reply was still arriving",
                            record: first, deliveries: count, wantsGrace: false)
        }
        if first.bytesAfterFinalLine == 0 {
            return Decision(outcome: .vulnerable(.noDataAfterReply),
                            note: "sent no message data after the final 354 line (session ended by \(first.endedBy))",
                            record: first, deliveries: count, wantsGrace: false)
        }
        return Decision(outcome: .vulnerable(.protocolError),
                        note: "message data after the final 354 line was not a proper message: \(first.protocolProblem ?? "no end-of-data (session ended by \(first.endedBy))")",
                        record: first, deliveries: count, wantsGrace: false)
    }

    /// ``decide(_:deliveries:final:)`` on what `book` holds for `token` (kept records and full count).
    public static func decide(_ book: DeliveryBook, _ token: String, final: Bool, mode: Mode = .trigger) -> Decision? {
        let (records, count) = book.deliveries(for: token)
        return decide(records, deliveries: count, final: final, mode: mode)
    }

    static func timingText(_ record: DeliveryRecord) -> String {
        guard let last = record.replyTimings.last else { return "no reply lines" }
        return "final line at \(last.offsetMilliseconds) ms"
    }
}
