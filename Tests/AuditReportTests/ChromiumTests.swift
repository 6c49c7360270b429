import AuditReport
import Foundation
import TestHarness
import Testing

/// The HTML report's inline script runs in a real browser: it counts the visible hosts and reports no error.
@Suite(.resourceHeavy, .timeLimit(.minutes(3))) struct ChromiumTests {
    static func dumpDOM(_ path: String) throws -> String? {
        guard let chromium = TestSupport.which("chromium") ?? TestSupport.which("chromium-browser") else {
            print("note: chromium is not installed; skipping the browser test")
            return nil
        }
        let profile = try TestSupport.temporaryDirectory().path
        let (status, dom, errors) = try TestSupport.run(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
            "--virtual-time-budget=3000", "--dump-dom", "file://\(path)",
        ])
        #expect(status == 0, "chromium: \(errors.suffix(1000))")
        return dom
    }

    static func text(ofElement id: String, in dom: String) -> String? {
        guard let start = dom.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = dom[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = dom[dom.index(after: open)...]
        guard let close = rest.firstIndex(of: "<") else { return nil }
        return String(rest[..<close])
    }

    @Test func inlineScriptCountsHostsWithoutErrors() throws {
        let path = try TestSupport.writeAll(SampleFleet.source)[.html]!
        guard let dom = try Self.dumpDOM(path) else { return }
        #expect(Self.text(ofElement: "script-status", in: dom) == "ok")
        #expect(Self.text(ofElement: "host-count", in: dom) == String(SampleFleet.hosts.count))
        #expect(dom.contains("class=\" js\"") || dom.contains("class=\"js\"") || dom.contains(" js\""))
    }

    @Test func hostileValuesDoNotRunInTheBrowser() throws {
        let path = try TestSupport.writeAll(EscapingTests.hostileSource)[.html]!
        guard let dom = try Self.dumpDOM(path) else { return }
        #expect(Self.text(ofElement: "script-status", in: dom) == "ok")
        #expect(Self.text(ofElement: "host-count", in: dom) == "2")
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }
}
