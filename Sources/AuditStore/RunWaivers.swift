import AuditCore
import AuditEngine

/// A waiver file as `assess --waivers FILE` read it: where from, its SHA-256 and its waivers.
public struct WaiverFile: Sendable, Hashable {
    /// The file as given to `--waivers` (nil: not from a file).
    public var path: String?
    /// SHA-256 (hex) of the file's bytes.
    public var sha256: String?
    /// The waivers in file order.
    public var waivers: [Waiver]

    /// A waiver file's content.
    public init(path: String? = nil, sha256: String? = nil, waivers: [Waiver]) {
        self.path = path
        self.sha256 = sha256
        self.waivers = waivers
    }
}

/// What became of one waiver in a run.
public enum WaiverState: String, Sendable, Hashable, CaseIterable {
    /// In force, and it turned at least one result into an accepted risk.
    case applied
    /// In force, but it covered no non-compliant result (the risk is gone, or the pattern is wrong).
    case unused
    /// Past its expiry day, and no non-compliant result needed it.
    case expired
    /// Past its expiry day while a non-compliant result still matched it: that host is no longer hidden.
    case expiredNeeded = "expired-needed"
}

/// The waivers a run was assessed with, as stored with the run.
public struct StoredWaivers: Sendable, Hashable {
    /// The waiver file the run was given.
    public var file: String?
    /// SHA-256 (hex) of the file's bytes.
    public var sha256: String?
    /// The run's time, ISO 8601 UTC: when the waivers were judged.
    public var appliedAt: String
    /// Every waiver in file order with what became of it.
    public var waivers: [StoredWaiver]
    /// Results the waivers turned into accepted risks.
    public var acceptedResults: Int

    /// A run's waivers.
    public init(file: String?, sha256: String?, appliedAt: String, waivers: [StoredWaiver], acceptedResults: Int) {
        self.file = file
        self.sha256 = sha256
        self.appliedAt = appliedAt
        self.waivers = waivers
        self.acceptedResults = acceptedResults
    }

    /// The record of a matcher after it decided every result of a run.
    public init(file: WaiverFile, matcher: WaiverMatcher, acceptedResults: Int) {
        let used = Set(matcher.used), needed = Set(matcher.expiredAndNeeded), expired = Set(matcher.expired)
        self.init(file: file.path, sha256: file.sha256, appliedAt: matcher.date.iso8601, waivers: matcher.waivers.map { waiver in
            let state: WaiverState = needed.contains(waiver) ? .expiredNeeded : expired.contains(waiver) ? .expired
                : used.contains(waiver) ? .applied : .unused
            return StoredWaiver(waiver: waiver, state: state)
        }, acceptedResults: acceptedResults)
    }
}

/// One waiver of a run with what became of it.
public struct StoredWaiver: Sendable, Hashable {
    /// The waiver as its file wrote it (with the file and line).
    public var waiver: Waiver
    /// Applied, unused, expired, or expired while a result still needed it.
    public var state: WaiverState

    /// A waiver and its state.
    public init(waiver: Waiver, state: WaiverState) {
        self.waiver = waiver
        self.state = state
    }
}
