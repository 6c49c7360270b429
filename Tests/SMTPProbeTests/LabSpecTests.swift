import Foundation
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

@Suite struct LabSpecTests {
    @Test func specAssignsConsecutiveLoopbackAddressesAndDefaultFacts() throws {
        let hosts = try LabFleet.parseSpec("fixed=2,legacy=1:version=6.0.3790.2668:sp=SP2:arch=x64,closed=1")
        #expect(hosts.map(\.address) == ["127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"])
        #expect(hosts.map(\.behaviour) == [.fixed, .fixed, .legacy, .closed])
        #expect(hosts[0].smtpsvcVersion == "6.0.3790.2668" && hosts[0].hotfix == "KB912341")
        #expect(hosts[2].smtpsvcVersion == "6.0.3790.2668" && hosts[2].servicePack == "SP2" && hosts[2].arch == "x64")
        #expect(hosts[3].smtpsvcVersion == "6.0.3790.1830" && hosts[3].hotfix == "")
    }

    @Test func largeFleetsSkipNetworkAndBroadcastOctets() throws {
        let hosts = try LabFleet.parseSpec("fixed=300", firstAddress: "127.0.0.250")
        #expect(hosts[4].address == "127.0.0.254")
        #expect(hosts[5].address == "127.0.1.1")
        #expect(Set(hosts.map(\.address)).count == 300)
    }

    @Test func badSpecsAreRejectedWithAReason() {
        #expect(throws: LabHostSpec.ParseError.self) { try LabFleet.parseSpec("broken=2") }
        #expect(throws: LabHostSpec.ParseError.self) { try LabFleet.parseSpec("fixed=x") }
        #expect(throws: LabHostSpec.ParseError.self) { try LabFleet.parseSpec("fixed=1:arch=sparc") }
    }

    @Test func fleetCSVHasTheInventoryHeaderAndOneRowPerHost() throws {
        let csv = LabFleet.fleetCSV(try LabFleet.parseSpec("fixed=1,legacy=1"), port: 2525)
        let lines = csv.split(separator: "\n")
        #expect(lines[0] == "host,address,product,service_pack,arch,path,file,version,hotfix")
        #expect(lines[1] == #"lab-fixed-001,127.0.0.10:2525,Windows Server 2003,SP1,x86,C:\WINDOWS\system32\inetsrv\smtpsvc.dll,smtpsvc.dll,6.0.3790.2668,KB912341"#)
        #expect(lines[2].hasSuffix(",6.0.3790.1830,"))
    }

    @Test func fleetCSVMatchesTheGoldenFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/lab-fleet.csv")
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(LabFleet.fleetCSV(try LabFleet.parseSpec("fixed=2,legacy=1,closed=1")) == golden)
    }
}
