import AuditCore
import AuditStore
import AuditStorePostgres
import AuditStoreSQLite
import Foundation
import Testing

/// Claims of a shared campaign at the store level, with the campaign clock given by the test.
@Suite("PostgreSQL campaign claims", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct CampaignClaimTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A store with `count` hosts with an address (site north for even numbers, south for odd) and one without.
    static func store(_ database: PGTestDatabase, hosts count: Int) throws -> PostgresStore {
        let store = try PostgresStore(url: database.url)
        var csv = "host,address,site\n"
        for index in 0..<count { csv += "h\(String(format: "%03d", index)),127.0.0.\(index % 200 + 10):2525,\(index % 2 == 0 ? "North" : "south")\n" }
        csv += "noaddress,,north\n"
        _ = try store.importInventories(streams: [InventoryImportParityTests.stream("fleet.csv", csv)])
        _ = try store.joinCampaign(name: "c1", probeDomain: "probe.test", listen: ["127.0.0.1:2526"], profiles: nil, startedAt: "2026-12-01T00:00:00Z")
        return store
    }

    static func evidence(_ host: String) -> ProbeEvidence {
        ProbeEvidence(campaign: "c1", host: host, profile: ProbeProfile(), outcome: .fixed, note: "test", startedAt: 1)
    }

    @Test func concurrentScannersNeverClaimTheSameHost() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        _ = try Self.store(database, hosts: 60)
        let stores = try (0..<4).map { _ in try PostgresStore(url: database.url) }
        let claimed = LockedList()
        DispatchQueue.concurrentPerform(iterations: stores.count) { index in
            while let batch = try? stores[index].claimHosts(campaign: "c1", scanner: "s\(index)", limit: 3, site: nil,
                                                            leaseSeconds: 60, now: Self.t0), !batch.isEmpty {
                claimed.append(batch.map(\.host))
            }
        }
        let hosts = claimed.items
        #expect(hosts.count == 60, "every host with an address claimed, the one without none")
        #expect(Set(hosts).count == hosts.count, "no host claimed twice")
    }

    @Test func anExpiredLeaseIsTakenOverAndTheLateSessionDiscarded() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let store = try Self.store(database, hosts: 4)
        let a = try store.claimHosts(campaign: "c1", scanner: "A", limit: 2, site: nil, leaseSeconds: 10, now: Self.t0)
        #expect(a.map(\.host) == ["h000", "h001"])
        // Before the lease passes, B gets only the other hosts.
        let b = try store.claimHosts(campaign: "c1", scanner: "B", limit: 10, site: nil, leaseSeconds: 10, now: Self.t0 + 5)
        #expect(b.map(\.host) == ["h002", "h003"])
        #expect(try store.claimHosts(campaign: "c1", scanner: "B", limit: 10, site: nil, leaseSeconds: 10, now: Self.t0 + 9).isEmpty)
        // After it, B takes A's hosts over.
        let takeover = try store.claimHosts(campaign: "c1", scanner: "B", limit: 10, site: nil, leaseSeconds: 10, now: Self.t0 + 11)
        #expect(takeover.map(\.host) == ["h000", "h001"])
        #expect(takeover.allSatisfy { $0.takenOver })
        // A's late result is discarded; B's is kept, once.
        let late = try store.recordCampaignSessions(campaign: "c1", scanner: "A", [(a[0].hostID, Self.evidence("h000"))], completed: [a[0].hostID])
        #expect(late == [false])
        let kept = try store.recordCampaignSessions(campaign: "c1", scanner: "B", [(a[0].hostID, Self.evidence("h000"))], completed: [a[0].hostID])
        #expect(kept == [true])
        let again = try store.recordCampaignSessions(campaign: "c1", scanner: "B", [(a[0].hostID, Self.evidence("h000"))], completed: [])
        #expect(again == [false], "a host done is not recorded twice")
        #expect(try store.campaignSessions("c1").map(\.scanner) == ["B"])
        let progress = try store.campaignProgress(campaign: "c1", site: nil, now: Self.t0 + 12)
        #expect(progress.done == 1)
        #expect(progress.leased == 3)
    }

    @Test func aRenewedLeaseIsNotTakenOver() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let store = try Self.store(database, hosts: 2)
        let a = try store.claimHosts(campaign: "c1", scanner: "A", limit: 2, site: nil, leaseSeconds: 10, now: Self.t0)
        let held = try store.renewLeases(campaign: "c1", scanner: "A", hosts: a.map(\.hostID), leaseSeconds: 10, now: Self.t0 + 8)
        #expect(held == Set(a.map(\.hostID)))
        #expect(try store.claimHosts(campaign: "c1", scanner: "B", limit: 10, site: nil, leaseSeconds: 10, now: Self.t0 + 11).isEmpty)
        #expect(try store.releaseExpiredLeases(campaign: "c1", now: Self.t0 + 17) == 0)
        #expect(try store.releaseExpiredLeases(campaign: "c1", now: Self.t0 + 19) == 2)
        // B cannot renew what it never held.
        #expect(try store.renewLeases(campaign: "c1", scanner: "B", hosts: a.map(\.hostID), leaseSeconds: 10, now: Self.t0 + 19).isEmpty)
    }

    @Test func aSiteRestrictsClaimsToItsHostsIgnoringCase() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let store = try Self.store(database, hosts: 6)
        let north = try store.claimHosts(campaign: "c1", scanner: "N", limit: 10, site: "north", leaseSeconds: 60, now: Self.t0)
        #expect(north.map(\.host) == ["h000", "h002", "h004"])
        let south = try store.claimHosts(campaign: "c1", scanner: "S", limit: 10, site: "SOUTH", leaseSeconds: 60, now: Self.t0)
        #expect(south.map(\.host) == ["h001", "h003", "h005"])
        #expect(try store.campaignProgress(campaign: "c1", site: "North").hosts == 3)
    }

    @Test func aScannerWithOtherProfilesIsRefusedAndOneWithoutTakesTheCampaigns() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let store = try Self.store(database, hosts: 1)
        let other = try ProbeProfile(parsing: "delay=2s,lines=3")
        #expect(throws: CampaignProfileMismatch.self) {
            try store.joinCampaign(name: "c1", probeDomain: "b.test", listen: [], profiles: [other], startedAt: "x")
        }
        let joined = try store.joinCampaign(name: "c1", probeDomain: "b.test", listen: [], profiles: nil, startedAt: "x")
        #expect(joined.created == false)
        #expect(joined.profiles == [ProbeProfile()])
    }
}

/// Host names collected from several threads.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ names: [String]) { lock.withLock { list += names } }
    var items: [String] { lock.withLock { list } }
}
