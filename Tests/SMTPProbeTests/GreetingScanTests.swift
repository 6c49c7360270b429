import AuditCore
import Foundation
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// Greeting-only scans against real sockets on loopback: a lab relay greeting like IIS, a private
/// Postfix greeting `ESMTP Postfix`, a closed port.
extension LabCampaignTests {
    @Test func greetingOnlyScanReadsTheRunningVersionALabRelayAnnounces() async throws {
        let stale = LabHostSpec(name: "lab-stale", behaviour: .legacy, address: "127.0.0.61", smtpsvcVersion: "6.0.3790.2668",
                                runningVersion: "6.0.3790.1830")
        let current = LabHostSpec(name: "lab-current", behaviour: .fixed, address: "127.0.0.62")
        let fleet = LabFleet(hosts: [stale, current], port: 25361, smarthost: "127.0.0.1:9", logger: TestSupport.logger)
        try await fleet.start()
        let results = await GreetingScanner(connectTimeoutMilliseconds: 2000, timeoutMilliseconds: 5000)
            .scan(targets: fleet.targets + [ProbeTarget(host: "nobody", address: "127.0.0.63:25361")], campaign: "g-test")
        try await fleet.stop()
        #expect(results.map(\.host) == ["lab-stale", "lab-current", "nobody"])
        #expect(results[0].observation?.greeting.version == FileVersion(6, 0, 3790, 1830), "\(results[0])")
        #expect(results[0].observation?.greeting.text.contains("Microsoft ESMTP MAIL Service, Version: 6.0.3790.1830") == true)
        #expect(results[0].observation?.source == .greetingOnly)
        #expect(results[1].observation?.greeting.version == FileVersion(6, 0, 3790, 2668))
        // Only the greeting and QUIT: no mail transaction.
        #expect(results[0].transcript.contains("C: QUIT") && !results[0].transcript.contains("MAIL FROM"), "\(results[0].transcript)")
        #expect(results[2].observation == nil && results[2].failure != nil)
    }

    @Test func aLabSpecSetsTheRunningVersionApartFromTheFile() throws {
        let hosts = try LabFleet.parseSpec("legacy=1:version=6.0.3790.2668:running=6.0.3790.1830,fixed=1")
        #expect(hosts[0].smtpsvcVersion == "6.0.3790.2668" && hosts[0].runningVersion == "6.0.3790.1830")
        #expect(hosts[1].runningVersion == hosts[1].smtpsvcVersion)
        #expect(throws: LabHostSpec.ParseError.self) { try LabFleet.parseSpec("fixed=1:running=6.0.3790.1830\r\n250 x") }
        #expect(throws: LabHostSpec.ParseError.self) { try LabFleet.parseSpec("fixed=1:running=6.0") }
    }

    @Test func aRealPostfixGreetingAnnouncesNoRunningVersion() async throws {
        guard TestSupport.tool(Self.postfix), getuid() == 0 else {
            print("note: postfix not installed or not root; skipping aRealPostfixGreetingAnnouncesNoRunningVersion")
            return
        }
        let directory = try Self.writeInstance(listen: "127.0.0.41:25306", relayPort: 9)
        let config = directory + "/conf"
        var result: GreetingScanResult?
        var failure: (any Error)?
        do {
            let (status, output) = try await TestSupport.run(Self.postfix, ["-c", config, "start"], timeout: 30)
            #expect(status == 0, "postfix start: \(output)")
            if status == 0 {
                result = await GreetingScanner(connectTimeoutMilliseconds: 5000, timeoutMilliseconds: 10_000)
                    .read(ProbeTarget(host: "postfix", address: "127.0.0.41:25306"), campaign: "g-postfix")
            }
        } catch {
            failure = error
        }
        _ = try? await TestSupport.run(Self.postfix, ["-c", config, "stop"], timeout: 30)
        try? FileManager.default.removeItem(atPath: directory)
        if let failure { throw failure }
        let observation = try #require(result?.observation, "\(result?.failure ?? "") \(result?.transcript ?? "")")
        #expect(observation.greeting.text.contains("ESMTP Postfix"), "\(observation.greeting.text)")
        #expect(observation.greeting.version == nil)
    }
}
