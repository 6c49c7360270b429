import AuditCore

/// The waiver that touched one result: in force (the result is an accepted risk) or expired (the
/// result is non-compliant again and the report says which waiver ran out).
public struct ResultWaiver: Sendable, Hashable {
    public var waiver: Waiver
    /// Whether the waiver had expired when the run was assessed.
    public var expired: Bool

    public init(waiver: Waiver, expired: Bool) {
        self.waiver = waiver
        self.expired = expired
    }

    /// The note of a matcher's decision; nil when no waiver covered the result.
    public init?(_ decision: WaiverDecision) {
        switch decision {
        case .none: return nil
        case .accepted(let waiver): self.init(waiver: waiver, expired: false)
        case .expired(let waiver): self.init(waiver: waiver, expired: true)
        }
    }
}
