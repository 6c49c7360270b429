import AuditCore
import AuditEngine

/// The evidence a backend reads per host before its one pass over hosts and files: recorded hotfixes,
/// each check's outcomes from its latest campaign, and the latest greeting. Both backends fill it
/// from their own queries and complete each host's ``HostEvidence`` with it the same way.
public struct HostSideEvidence: Sendable {
    /// Host id → KBs its hotfix records list.
    public var hotfixes: [Int64: Set<KBNumber>] = [:]
    /// Host id → check → outcomes (one per profile) of the check's latest campaign on the host.
    public var behaviour: [Int64: [CheckID: [ProbeOutcome]]] = [:]
    /// Host id → the latest greeting's id and the version it announced.
    public var greetings: [Int64: (id: Int64, version: FileVersion?)] = [:]

    /// Empty: filled by the backend.
    public init() {}

    /// Adds the records, behaviour and running version of `host` (found by its id); returns the
    /// greeting's id, which the backend stores with the host's results.
    public func complete(_ host: inout HostEvidence) -> Int64? {
        host.recordedKBs = hotfixes[host.id] ?? []
        if let checks = behaviour[host.id] {
            host.behaviour = checks.sorted { $0.key < $1.key }.map { BehaviourEvidence(check: $0.key, outcomes: $0.value) }
        }
        let greeting = greetings[host.id]
        host.runningVersion = greeting?.version
        return greeting?.id
    }
}
