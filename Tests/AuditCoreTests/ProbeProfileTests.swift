import Testing
@testable import AuditCore

@Test func profileParsesDelayLinesAndOptions() throws {
    let profile = try ProbeProfile(parsing: "delay=5s,lines=2,split,bare")
    #expect(profile.delayMilliseconds == 5000)
    #expect(profile.continuationLines == 2)
    #expect(profile.split && profile.bare)
    #expect(profile.description == "delay=5s,lines=2,split,bare")
    #expect(try ProbeProfile(parsing: "delay=250ms").delayMilliseconds == 250)
    #expect(try ProbeProfile(parsing: "delay=2m").delayMilliseconds == 120_000)
}

@Test(arguments: ["delay=fast", "lines=0", "lines=500", "colour=red", "delay=-1s"])
func badProfileIsRefused(_ text: String) {
    #expect(throws: ProbeProfile.ParseError.self) { try ProbeProfile(parsing: text) }
}

@Test func outcomeRoundTripsThroughStoredText() {
    for outcome in [ProbeOutcome.fixed, .vulnerable(.prematureData), .inconclusive(.triggerRefused)] {
        #expect(ProbeOutcome(verdict: outcome.verdict, detail: outcome.detail) == outcome)
    }
    #expect(ProbeOutcome(verdict: "vulnerable", detail: "nonsense") == nil)
}

@Test func hostKeysMergeCaseAndTrailingDot() {
    #expect(HostFacts.key(" WEB01.Corp.Example. ") == "web01.corp.example")
    #expect(HostFacts.shortKey("web01.corp.example") == "web01")
    #expect(HostFacts.shortKey("web01") == "web01")
}

@Test func importErrorPrintsFileLineReason() {
    #expect(ImportError(file: "a.csv", line: 3, reason: "bad").description == "a.csv:3: bad")
    #expect(ImportError(file: "a.xml", line: 3, column: 9, reason: "bad").description == "a.xml:3:9: bad")
    #expect(ImportError(file: "a.bin", reason: "not text").description == "a.bin: not text")
}
