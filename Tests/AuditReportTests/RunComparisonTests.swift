import AuditCore
import AuditReport
import Foundation
import Testing

/// Two runs of the sample fleet: between them MAIL06's smtpsvc.dll was rolled back (a regression),
/// MAIL04 got its service pack (newly compliant), MAIL07 appeared and WEB01 left.
enum TwoRuns {
    static let previousRun = RunPoint(id: "41", at: "2026-11-28T03:11:40Z", hosts: 0, compliantHosts: 0)
    static let currentRun = RunPoint(id: "42", at: "2026-11-29T03:11:40Z", hosts: 0, compliantHosts: 0)

    static var previous: [HostReport] {
        SampleFleet.hosts.map { host in
            var host = host
            if host.name == "MAIL04" {
                host.results[0].verdict = .prerequisiteMissing
            }
            return host
        }.sorted { $0.name < $1.name }
    }

    static var current: [HostReport] {
        var hosts = SampleFleet.hosts.filter { $0.name != "WEB01" }.map { host -> HostReport in
            var host = host
            if host.name == "MAIL06" {
                host.results = [SampleFleet.result(.vulnerable, .vulnerable, reason: "Smtpsvc.dll 6.0.3790.1830 is older than 6.0.3790.2668",
                                                   found: FileVersion(6, 0, 3790, 1830), platform: .x86)]
            }
            if host.name == "MAIL04" {
                host.servicePack = "SP2"
                host.results = [SampleFleet.result(.patched, .patched, reason: "Smtpsvc.dll 6.0.3790.3959 ≥ 6.0.3790.2668",
                                                   found: FileVersion(6, 0, 3790, 3959), platform: .x86)]
            }
            return host
        }
        hosts.append(HostReport(name: "MAIL07", address: "10.0.1.17", product: "Windows Server 2003", servicePack: "SP1", platform: "x86",
                                results: [SampleFleet.result(.vulnerable, .vulnerable, reason: "Smtpsvc.dll 6.0.3790.1830 is older than 6.0.3790.2668",
                                                             found: FileVersion(6, 0, 3790, 1830), platform: .x86)]))
        return hosts.sorted { $0.name < $1.name }
    }

    static func changes(limit: Int = ReportLimits.listedChanges) throws -> ReportChanges {
        try RunComparison(limit: limit).compare(previous: previousRun, current: currentRun,
                                                previousHosts: previous.map(ComparedHost.init), currentHosts: current.map(ComparedHost.init))
    }

    static var trend: [RunPoint] {
        [RunPoint(id: "40", at: "2026-11-27T03:11:40Z", hosts: 8, compliantHosts: 2),
         RunPoint(id: "41", at: "2026-11-28T03:11:40Z", hosts: 8, compliantHosts: 3),
         RunPoint(id: "42", at: "2026-11-29T03:11:40Z", hosts: 8, compliantHosts: 2)]
    }

    static func source() throws -> InMemoryReportSource {
        InMemoryReportSource(metadata: SampleFleet.metadata, kbs: SampleFleet.kbs, hosts: current, changes: try changes(), trend: trend)
    }
}

@Suite struct RunComparisonTests {
    @Test func rolledBackDLLIsARegressionAndOtherMovesAreClassified() throws {
        let changes = try TwoRuns.changes()
        let byHost = Dictionary(grouping: changes.changes, by: \.host)
        let regression = try #require(byHost["MAIL06"]?.first)
        #expect(regression.kind == .regression)
        #expect(regression.before == .patched && regression.after == .vulnerable)
        #expect(regression.beforeVersion == FileVersion(6, 0, 3790, 3959) && regression.afterVersion == FileVersion(6, 0, 3790, 1830))
        #expect(byHost["MAIL04"]?.map(\.kind) == [.newlyCompliant])
        #expect(byHost["MAIL07"]?.map(\.kind) == [.newHost])
        #expect(byHost["WEB01"]?.map(\.kind) == [.goneHost])
        #expect(byHost["WEB01"]?.first?.after == nil && byHost["WEB01"]?.first?.before == .notApplicable)
        #expect(Set(byHost.keys) == ["MAIL04", "MAIL06", "MAIL07", "WEB01"], "unchanged hosts are not listed")
        let kb = try #require(changes.byKB.first)
        #expect(kb.kb == SampleFleet.kb)
        #expect(kb[.regression] == 1 && kb[.newlyCompliant] == 1 && kb[.newHost] == 1 && kb[.goneHost] == 1 && kb[.newlyNonCompliant] == 0)
        #expect(changes.newNonCompliance == 2, "the regression and the vulnerable new host")
        #expect(changes.addsNonCompliance)
    }

    @Test func runPointsAreCountedFromTheStreams() throws {
        let changes = try TwoRuns.changes()
        #expect(changes.previous.hosts == 8 && changes.previous.compliantHosts == 3)
        #expect(changes.current.hosts == 8 && changes.current.compliantHosts == 2)
        #expect(changes.previous.id == "41" && changes.current.at == "2026-11-29T03:11:40Z")
    }

    @Test func compliantToNonCompliantWithoutPatchedBeforeIsNewlyNonCompliant() throws {
        let kb = SampleFleet.kb
        let before = [ComparedHost(name: "A", results: [ComparedResult(kb: kb, verdict: .notApplicable)]),
                      ComparedHost(name: "B", results: [ComparedResult(kb: kb, verdict: .patched)])]
        let after = [ComparedHost(name: "A", results: [ComparedResult(kb: kb, verdict: .vulnerable)]),
                     ComparedHost(name: "B", results: [ComparedResult(kb: kb, verdict: .unknown)]),]
        let changes = try RunComparison().compare(previous: TwoRuns.previousRun, current: TwoRuns.currentRun, previousHosts: before, currentHosts: after)
        #expect(changes.changes.map(\.kind) == [.newlyNonCompliant, .newlyNonCompliant])
        let same = try RunComparison().compare(previous: TwoRuns.previousRun, current: TwoRuns.currentRun, previousHosts: after, currentHosts: after)
        #expect(same.changes.isEmpty && !same.addsNonCompliance)
    }

    @Test func listIsBoundedButCountsAreComplete() throws {
        let kb = SampleFleet.kb
        let names = (0..<1_000).map { "H" + String(10_000 + $0) }
        let before = names.map { ComparedHost(name: $0, results: [ComparedResult(kb: kb, verdict: .patched)]) }
        let after = names.map { ComparedHost(name: $0, results: [ComparedResult(kb: kb, verdict: .vulnerable)]) }
        let changes = try RunComparison(limit: 10).compare(previous: TwoRuns.previousRun, current: TwoRuns.currentRun,
                                                           previousHosts: before, currentHosts: after)
        #expect(changes.changes.count == 10 && changes.unlisted == 990)
        #expect(changes.total(.regression) == 1_000 && changes.newNonCompliance == 1_000)
    }

    @Test func unsortedRunIsRefusedNamingTheHosts() {
        let kb = SampleFleet.kb
        let unsorted = [ComparedHost(name: "B", results: [ComparedResult(kb: kb, verdict: .patched)]),
                        ComparedHost(name: "A", results: [ComparedResult(kb: kb, verdict: .patched)])]
        #expect {
            _ = try RunComparison().compare(previous: TwoRuns.previousRun, current: TwoRuns.currentRun, previousHosts: [], currentHosts: unsorted)
        } throws: { error in
            (error as? RunComparisonError)?.description == "current run: host 'A' comes after 'B': hosts must be sorted by name, each once"
        }
    }
}
