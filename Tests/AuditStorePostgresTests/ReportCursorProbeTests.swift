import AuditCore
import AuditStore
import AuditStorePostgres
import Foundation
import InventoryImport
import ManifestImport
import Testing

/// The report cursor reads probe sessions once per fetched batch of host × KB rows: every host, also
/// the last of a batch and those whose rows straddle two batches, must come with exactly its own sessions.
@Suite("PostgreSQL report cursor with probe sessions", .enabled(if: PGTestDatabase.available, PGTestDatabase.skipReason))
struct ReportCursorProbeTests {
    @Test func everyHostAcrossFetchBatchesCarriesItsOwnProbeSessions() throws {
        let database = try PGTestDatabase()
        defer { database.drop() }
        let store = try PostgresStore(url: database.url)
        let root = StoreConformanceTests.root
        let manifests = try ["KB912341.txt", "KB935683.txt"].map { name -> (Manifest, SourceFile) in
            (try ManifestImporter.importFile(atPath: root + "/data/manifests/" + name, options: ManifestImportOptions()),
             SourceFile(path: name, sha256: String(repeating: "b", count: 64), format: "kb-text"))
        }
        _ = try store.importManifests(manifests)
        // 1,999 hosts × 2 KBs: each 2,000-row batch ends with a host's last row (reading past it fetches the next).
        var csv = "host,address,product,service_pack,arch,path,file,version,hotfix\n"
        let count = 1_999
        for n in 0..<count {
            csv += "srv\(n),10.1.\(n / 250).\(n % 250):25,Windows Server 2003,SP1,x86,C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll,smtpsvc.dll,6.0.3790.1830,\n"
        }
        let bytes = Array(csv.utf8)
        _ = try store.importInventories(streams: [InventoryStream(path: "fleet.csv") { begin, sink in
            try InventoryReader.readOnce(bytes: bytes, fileName: "fleet.csv", options: InventoryReadOptions(),
                                         detected: { try begin($0.rawValue) }, sink: sink).sha256
        }])
        try store.beginCampaign(id: "c1", probeDomain: "probe.test", listen: ["127.0.0.1:2526"], profiles: [ProbeProfile()],
                                listenOnly: false, startedAt: "2026-12-01T00:00:00Z")
        // Every host but each seventh probed; the note names the host, so a session given to the wrong host shows.
        let outcomes: [ProbeOutcome] = [.fixed, .vulnerable(.prematureData)]
        try store.recordProbeSessions(campaign: "c1", (0..<count).filter { $0 % 7 != 0 }.map { n in
            ProbeEvidence(campaign: "c1", host: "srv\(n)", profile: ProbeProfile(), outcome: outcomes[n % 2], note: "srv\(n)", startedAt: 1)
        })
        _ = try store.assess()
        var seen = 0, probed = 0
        try store.withSnapshot { snapshot in
            let cursor = try snapshot.assessedHosts([], run: nil, withProbes: true)
            while let host = try cursor.next() {
                seen += 1
                let number = Int(host.name.dropFirst(3))!
                #expect(host.results.count == 2, "\(host.name)")
                if number % 7 != 0 {
                    probed += 1
                    #expect(host.probes.map(\.note) == [host.name], "\(host.name): \(host.probes.map(\.note))")
                    #expect(host.probes.first?.outcome == outcomes[number % 2])
                } else {
                    #expect(host.probes.isEmpty, "\(host.name): \(host.probes.map(\.note))")
                }
            }
        }
        #expect(seen == count)
        #expect(probed == (0..<count).filter { $0 % 7 != 0 }.count)
    }
}
