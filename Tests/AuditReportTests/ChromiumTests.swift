import AuditReport
import Foundation
import TestHarness
import Testing

/// The HTML report's inline script runs in a real browser: it counts the visible hosts and reports no error.
@Suite(.resourceHeavy, .timeLimit(.minutes(3))) struct ChromiumTests {
    static func dumpDOM(_ path: String, fragment: String = "") throws -> String? {
        guard let chromium = TestSupport.which("chromium") ?? TestSupport.which("chromium-browser") else {
            print("note: chromium is not installed; skipping the browser test")
            return nil
        }
        let profile = try TestSupport.temporaryDirectory().path
        let (status, dom, errors) = try TestSupport.run(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
            "--virtual-time-budget=3000", "--dump-dom", "file://\(path)" + fragment,
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
        // A small fleet shows every host's row, like the static table it replaces.
        #expect(Self.renderedRows(dom).count == SampleFleet.hosts.count)
    }

    /// Names of the host rows the script rendered, in order.
    static func renderedRows(_ dom: String) -> [String] {
        dom.components(separatedBy: "<tr class=\"row ").dropFirst().compactMap { row in
            guard let toggle = row.range(of: "</span>") else { return nil }
            let rest = row[toggle.upperBound...]
            return String(rest[..<(rest.firstIndex(of: "<") ?? rest.endIndex)])
        }
    }

    @Test func bigFleetRendersOnlyTheRowsInViewAndFindsFiltersAndSortsAllHosts() throws {
        let path = try TestSupport.writeAll(GeneratedFleetSource(count: 5_000, vulnerableEvery: 10), name: "big")[.html]!
        guard let dom = try Self.dumpDOM(path) else { return }
        #expect(Self.text(ofElement: "script-status", in: dom) == "ok")
        #expect(Self.text(ofElement: "host-count", in: dom) == "5000")
        let rows = Self.renderedRows(dom)
        #expect(rows.first == "HOST00000")
        #expect(rows.count > 5 && rows.count < 200, "virtualised: \(rows.count) rows in the DOM")

        guard let found = try Self.dumpDOM(path, fragment: "#q=host04321&open=1") else { return }
        #expect(Self.text(ofElement: "host-count", in: found) == "1")
        #expect(Self.renderedRows(found) == ["HOST04321"])
        #expect(found.contains("Manifest rows that apply"), "the evidence of the host deep in the fleet opens")

        guard let vulnerable = try Self.dumpDOM(path, fragment: "#verdict=vulnerable&kb=KB912341&platform=x64") else { return }
        #expect(Self.text(ofElement: "host-count", in: vulnerable) == "167")
        #expect(Self.renderedRows(vulnerable).prefix(2) == ["HOST00010", "HOST00040"])

        guard let sorted = try Self.dumpDOM(path, fragment: "#sort=4") else { return }
        #expect(Self.renderedRows(sorted).prefix(3) == ["HOST00000", "HOST00010", "HOST00020"], "sorted by the KB column: vulnerable first")
    }

    @Test func hostileValuesDoNotRunInTheBrowser() throws {
        let path = try TestSupport.writeAll(EscapingTests.hostileSource)[.html]!
        guard let dom = try Self.dumpDOM(path) else { return }
        #expect(Self.text(ofElement: "script-status", in: dom) == "ok")
        #expect(Self.text(ofElement: "host-count", in: dom) == "2")
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!dom.contains("<script>alert(1)"))
    }
}
