import AuditCore
import AuditEngine

// The facts every listing and report reads per host, forwarded as plain properties. `@dynamicMemberLookup`
// still serves the rest, but a dynamic member is a key path that the runtime instantiates on every access
// from another module: for the fields below that was a third of a 100,000-host report's time.

extension StoredHost {
    /// The host name as inventoried.
    @inlinable public var name: String { facts.name }
    /// The SMTP address (`host[:port]`).
    @inlinable public var address: String? { facts.address }
    /// The product family.
    @inlinable public var product: Product? { facts.product }
    /// The OS name as the inventory wrote it.
    @inlinable public var osName: String? { facts.osName }
    /// The service pack.
    @inlinable public var servicePack: ServicePack? { facts.servicePack }
    /// The platform (nil: unknown).
    @inlinable public var platform: Platform? { facts.platform }
    /// The architecture text when it named no known platform.
    @inlinable public var architectureText: String? { facts.architectureText }
    /// The inventory's site.
    @inlinable public var site: String? { facts.site }
}

extension AssessedHost {
    /// The host name as inventoried.
    @inlinable public var name: String { host.facts.name }
    /// The SMTP address (`host[:port]`).
    @inlinable public var address: String? { host.facts.address }
    /// The product family.
    @inlinable public var product: Product? { host.facts.product }
    /// The OS name as the inventory wrote it.
    @inlinable public var osName: String? { host.facts.osName }
    /// The service pack.
    @inlinable public var servicePack: ServicePack? { host.facts.servicePack }
    /// The platform (nil: unknown).
    @inlinable public var platform: Platform? { host.facts.platform }
    /// The architecture text when it named no known platform.
    @inlinable public var architectureText: String? { host.facts.architectureText }
    /// The inventory formats that described the host.
    @inlinable public var sources: [String] { host.sources }
    /// ISO 8601 UTC of the newest evidence about the host.
    @inlinable public var lastSeen: String { host.lastSeen }
}

extension HostSummary {
    /// The host name as inventoried.
    @inlinable public var name: String { host.facts.name }
    /// The SMTP address (`host[:port]`).
    @inlinable public var address: String? { host.facts.address }
    /// The platform (nil: unknown).
    @inlinable public var platform: Platform? { host.facts.platform }
}

extension AssessedResult {
    /// The KB.
    @inlinable public var kb: KBNumber { result.kb }
    /// The verdict.
    @inlinable public var verdict: Verdict { result.verdict }
    /// The verdict of the file evidence alone.
    @inlinable public var fileVerdict: FileVerdict { result.fileVerdict }
    /// Why.
    @inlinable public var reason: String { result.reason }
}
