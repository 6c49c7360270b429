/// The name of a behavioural check (`smtp-data-multiline-354`): what a probe session was run for,
/// stored with each session so that its outcome is applied only to the KBs the check confirms.
public struct CheckID: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The id as stored and as written on the command line (`--check-confirms ID=…`).
    public var rawValue: String

    /// Accepts lowercase ASCII letters, digits and `-` (1…64 characters); nil otherwise.
    public init?(rawValue: String) {
        guard (1...64).contains(rawValue.utf8.count),
              rawValue.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else { return nil }
        self.rawValue = rawValue
    }

    /// The id itself, so that reasons and reports can interpolate a check id directly.
    public var description: String { rawValue }
    /// Orders checks by id, the stable order in which reports and bindings list them.
    public static func < (lhs: CheckID, rhs: CheckID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A behavioural check: an active test of a running service whose outcome is evidence for the KBs
/// whose fix it confirms, and the words reasons use for its outcomes. Adding a check is one new
/// conforming type plus its line in ``CheckRegistry``.
public protocol BehaviourCheck: Sendable {
    /// Stable identity, stored with every probe session of the check.
    var id: CheckID { get }
    /// One line: what the check tests.
    var statement: String { get }
    /// The KBs whose fix a `fixed` outcome confirms (and a `vulnerable` outcome refutes), unless configured otherwise.
    var defaultConfirms: [KBNumber] { get }
    /// The profiles a campaign runs when none are given.
    var defaultProfiles: [ProbeProfile] { get }
    /// Reason text when the file says patched and the check confirms it (`fixed`).
    var confirmsFixText: String { get }
    /// Reason text when the file says patched but the running service failed the check (service-not-reloaded).
    func notReloadedText(_ mode: VulnerableMode) -> String
    /// Reason text when the file evidence and the check agree the host is vulnerable.
    func confirmsVulnerableText(_ mode: VulnerableMode) -> String
    /// Reason text when the check found the defect although the files decided nothing (not applicable / unknown).
    func showsVulnerableText(_ mode: VulnerableMode) -> String
    /// Reason text when the check passed although the file is older (another MTA in front?).
    var contradictsFileText: String { get }
    /// Reason text when the check passed and the files decided nothing.
    var fixedWithoutFileText: String { get }
    /// Reason text when the check could not decide.
    func inconclusiveText(_ reason: InconclusiveReason) -> String
}

extension BehaviourCheck {
    /// Default wording that names the check, for checks that need no words of their own.
    public func confirmsVulnerableText(_ mode: VulnerableMode) -> String { "\(id) confirms (\(mode.rawValue))" }
    /// Default wording that names the check and why it could not decide.
    public func inconclusiveText(_ reason: InconclusiveReason) -> String { "\(id) inconclusive (\(reason.rawValue))" }
}

/// The check of KB 912341: the responder answers DATA with `354-` continuation lines, waits, then
/// sends the final `354 `; a fixed SMTP service waits for the final line before sending data.
public struct SMTPDataMultilineCheck: BehaviourCheck {
    /// The check has no settings: its KBs are bound per run through ``CheckBindings``.
    public init() {}
    /// `smtp-data-multiline-354`, the id stored with every session of this check.
    public var id: CheckID { CheckID(rawValue: "smtp-data-multiline-354")! }
    /// What the delayed multiline 354 probe tests, shown beside its outcomes in reports.
    public var statement: String { "The SMTP service waits for the final line of a delayed multiline 354 reply to DATA before sending the message." }
    /// KB912341, the hotfix whose defect this probe reproduces.
    public var defaultConfirms: [KBNumber] { [KBNumber(912341)] }
    /// One profile, `delay=5s,lines=1`: long enough for a vulnerable service to send data early.
    public var defaultProfiles: [ProbeProfile] { [ProbeProfile()] }
    /// Reason text for a file that says patched and a service that waited for the final 354.
    public var confirmsFixText: String { "probe confirms the service waits for the final 354 line" }
    /// Reason text for a patched file whose running service still mishandles the reply: it needs a restart.
    public func notReloadedText(_ mode: VulnerableMode) -> String {
        "but the running service is vulnerable (\(mode.rawValue)): restart the SMTP service"
    }
    /// Reason text when the files and the probe agree that the host is vulnerable.
    public func confirmsVulnerableText(_ mode: VulnerableMode) -> String { "probe confirms (\(mode.rawValue))" }
    /// Reason text when the files decided nothing but the probe saw the defect.
    public func showsVulnerableText(_ mode: VulnerableMode) -> String { "but the probe shows a vulnerable SMTP service (\(mode.rawValue))" }
    /// Reason text when the service passed although its file is older: something else may answer on port 25.
    public var contradictsFileText: String { "probe found a fixed service (another MTA in front?)" }
    /// Reason text when the files decided nothing and the service passed.
    public var fixedWithoutFileText: String { "probe found a fixed SMTP service" }
    /// Reason text when the probe could not decide (no delivery, refused, timed out …).
    public func inconclusiveText(_ reason: InconclusiveReason) -> String { "probe inconclusive (\(reason.rawValue))" }
}
