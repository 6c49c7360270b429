import Foundation

/// The responder's open sessions, in all and per peer IP address, shared by every event loop: a new
/// connection is admitted only while both counts are under their limits, so one peer that opens
/// thousands of connections takes its own share (`maxConnectionsPerAddress`) and no more, and the
/// others are still served.
package final class ConnectionTable: @unchecked Sendable {
    /// Whether a new connection may have a session.
    package enum Admission: Equatable, Sendable {
        case admitted
        /// `maxConnections` sessions are open.
        case full
        /// `maxConnectionsPerAddress` sessions from this address are open.
        case fullForAddress
    }

    /// Sessions admitted at once in all; more get `421`.
    package let maxConnections: Int
    /// Sessions admitted at once from one peer address; more get `421 4.7.0`.
    package let maxPerAddress: Int
    private let lock = NSLock()
    private var total = 0
    private var perAddress: [String: Int] = [:]

    /// A table with the given bounds and nobody admitted.
    package init(maxConnections: Int, maxPerAddress: Int) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
    }

    /// A table with the bounds of the responder's limits.
    package convenience init(limits: ResponderLimits) {
        self.init(maxConnections: limits.maxConnections, maxPerAddress: limits.maxConnectionsPerAddress)
    }

    /// Admits a session from `address` (an IP address) and counts it, or says which limit refuses it.
    package func admit(_ address: String) -> Admission {
        lock.lock()
        defer { lock.unlock() }
        guard total < maxConnections else { return .full }
        let fromAddress = perAddress[address, default: 0]
        guard fromAddress < maxPerAddress else { return .fullForAddress }
        total += 1
        perAddress[address] = fromAddress + 1
        return .admitted
    }

    /// An admitted session from `address` has ended.
    package func release(_ address: String) {
        lock.lock()
        defer { lock.unlock() }
        total -= 1
        if let count = perAddress[address], count > 1 { perAddress[address] = count - 1 } else { perAddress[address] = nil }
    }

    /// Open sessions, in all and from `address`.
    package func count(from address: String? = nil) -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard let address else { return total }
        return perAddress[address, default: 0]
    }
}
