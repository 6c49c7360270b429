import Testing
import AuditCore

/// Waivers turn matching non-compliant results into accepted risks until they expire; the matcher
/// remembers which waivers were used, so that expired and unused ones can be listed.
struct WaiverMatcherTests {
    static let kb = KBNumber(912341)
    static let other = KBNumber(916062)
    static func day(_ y: Int, _ m: Int, _ d: Int, hour: Int = 0) -> UTCDateTime { UTCDateTime(year: y, month: m, day: d, hour: hour)! }
    static func waiver(_ host: String, _ kb: KBNumber?, expires: UTCDateTime, line: Int, owner: String = "mail-team") -> Waiver {
        Waiver(hostPattern: host, kb: kb, expires: expires, owner: owner, reason: "reason \(line)", file: "waivers.csv", line: line)
    }

    @Test(arguments: [("MAIL0?", "mail04", true), ("mail-*", "MAIL-EU-07", true), ("*", "anything", true), ("web*01", "web-eu-01", true),
                      ("web*01", "web-eu-02", false), ("MAIL04", "MAIL040", false), ("m*l*4", "mail04", true), ("", "x", false)])
    func globMatchesWholeNamesCaseInsensitively(pattern: String, name: String, matches: Bool) {
        #expect(Waiver.glob(pattern, matches: name) == matches)
    }

    @Test func waiverCoversHostByNameOrAddressWithOrWithoutPort() {
        let byAddress = Self.waiver("10.0.1.*", Self.kb, expires: Self.day(2027, 3, 31), line: 2)
        #expect(byAddress.matches(host: "MAIL04", address: "10.0.1.14:25", kb: Self.kb))
        #expect(byAddress.matches(host: "MAIL04", address: "10.0.1.14", kb: Self.kb))
        #expect(!byAddress.matches(host: "MAIL04", address: "10.0.2.14:25", kb: Self.kb))
        #expect(!byAddress.matches(host: "MAIL04", address: "10.0.1.14", kb: Self.other), "a waiver naming a KB covers only that KB")
        #expect(Self.waiver("mail04", nil, expires: Self.day(2027, 3, 31), line: 3).matches(host: "MAIL04", address: nil, kb: Self.other))
    }

    @Test func waiverHoldsThroughItsExpiryDayAndExpiresTheDayAfter() {
        let w = Self.waiver("MAIL04", Self.kb, expires: Self.day(2027, 3, 31), line: 2)
        #expect(!w.isExpired(at: Self.day(2027, 3, 31, hour: 23)))
        #expect(w.isExpired(at: Self.day(2027, 4, 1)))
    }

    @Test func nonCompliantResultIsAcceptedAndCompliantResultIsNotWaived() {
        let w = Self.waiver("MAIL0*", Self.kb, expires: Self.day(2027, 3, 31), line: 2)
        var matcher = WaiverMatcher(waivers: [w], at: Self.day(2026, 12, 1))
        #expect(matcher.decide(host: "MAIL04", address: nil, kb: Self.kb, verdict: .vulnerable) == .accepted(w))
        #expect(matcher.decide(host: "MAIL02", address: nil, kb: Self.kb, verdict: .patched) == WaiverDecision.none)
        #expect(matcher.decide(host: "WEB01", address: nil, kb: Self.kb, verdict: .vulnerable) == WaiverDecision.none)
        #expect(matcher.used == [w])
        #expect(matcher.unused.isEmpty)
    }

    @Test func expiredWaiverStopsHidingItsHostAndIsListed() {
        let expired = Self.waiver("MAIL04", Self.kb, expires: Self.day(2026, 11, 30), line: 2)
        var matcher = WaiverMatcher(waivers: [expired], at: Self.day(2026, 12, 1))
        let decision = matcher.decide(host: "MAIL04", address: nil, kb: Self.kb, verdict: .prerequisiteMissing)
        #expect(decision == .expired(expired))
        #expect(decision.waiver == expired)
        #expect(matcher.expired == [expired])
        #expect(matcher.expiredAndNeeded == [expired])
        #expect(matcher.unused.isEmpty, "an expired waiver is listed as expired, not as unused")
    }

    @Test func waiverInForceBeatsExpiredAndExactHostBeatsPattern() {
        let expiredExact = Self.waiver("MAIL04", Self.kb, expires: Self.day(2026, 1, 1), line: 2)
        let pattern = Self.waiver("MAIL*", Self.kb, expires: Self.day(2027, 6, 30), line: 3)
        let exact = Self.waiver("mail04", nil, expires: Self.day(2027, 1, 31), line: 4)
        var matcher = WaiverMatcher(waivers: [expiredExact, pattern, exact], at: Self.day(2026, 12, 1))
        #expect(matcher.decide(host: "MAIL04", address: nil, kb: Self.kb, verdict: .vulnerable) == .accepted(exact))
        #expect(matcher.decide(host: "MAIL05", address: nil, kb: Self.kb, verdict: .vulnerable) == .accepted(pattern))
        #expect(matcher.unused.isEmpty)
        #expect(matcher.expired == [expiredExact])
        #expect(matcher.expiredAndNeeded.isEmpty, "a live waiver covered the result the expired one named")
    }

    @Test func waiverThatMeetsOnlyCompliantResultsIsUnused() {
        let fixed = Self.waiver("MAIL02", Self.kb, expires: Self.day(2027, 3, 31), line: 2)
        let typo = Self.waiver("MIAL*", nil, expires: Self.day(2027, 3, 31), line: 3)
        var matcher = WaiverMatcher(waivers: [fixed, typo], at: Self.day(2026, 12, 1))
        _ = matcher.decide(host: "MAIL02", address: nil, kb: Self.kb, verdict: .patched)
        _ = matcher.decide(host: "MAIL04", address: nil, kb: Self.kb, verdict: .vulnerable)
        #expect(matcher.unused == [fixed, typo])
    }
}
