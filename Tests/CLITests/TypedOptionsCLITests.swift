import Foundation
import TestHarness
import Testing

/// Options that take a value from a fixed set are typed: `--help` lists the values, ArgumentParser refuses
/// a bad one with the choices (exit 2) before any file or database is touched, and comma lists and
/// the KB spellings of platforms still work.
@Suite struct TypedOptionsCLITests {
    /// `--help` of a command with its line wrapping undone (ArgumentParser wraps at the terminal width).
    static func help(_ command: String, _ cli: CLIRunner) throws -> String {
        try cli.run([command, "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func helpListsTheValuesOfFixedSetOptions() async throws { try await offCooperativePool { try helpBody() } }
    func helpBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let report = try Self.help("report", cli)
        #expect(report.contains("(values: html, xml, json, csv, ndjson; default: html,xml)"), "\(report)")
        let scan = try Self.help("scan", cli)
        #expect(scan.contains("(values: html, xml, json, csv, ndjson, none; default: html,xml)"), "\(scan)")
        let inventory = try Self.help("import-inventory", cli)
        #expect(inventory.contains("(values: auto, fleet-csv,"), "\(inventory)")
        let manifest = try Self.help("import-manifest", cli)
        #expect(manifest.contains("(values: auto, kb-text, ms-csv; default: auto)"), "\(manifest)")
        #expect(manifest.contains("(values: x86, x64, IA-64, Alpha)"), "\(manifest)")
        let assess = try Self.help("assess", cli)
        #expect(assess.contains("Checks: smtp-data-multiline-354"), "\(assess)")
    }

    @Test func aValueOutsideTheSetIsAUsageErrorListingTheChoices() async throws { try await offCooperativePool { try refusalBody() } }
    func refusalBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let report = try cli.run(["report", "--format", "html,pdf"])
        #expect(report.status == 2)
        #expect(report.stderr.contains("The value 'html,pdf' is invalid for '--format <formats>'. Please provide one of 'html', 'xml', 'json', 'csv' or 'ndjson'."),
                "\(report.stderr)")
        let scan = try cli.run(["scan", "--inventory", "x.csv", "--report", "pdf"])
        #expect(scan.status == 2 && scan.stderr.contains("'none'"), "\(scan.stderr)")
        let inventory = try cli.run(["import-inventory", "x.csv", "--format", "excel"])
        #expect(inventory.status == 2 && inventory.stderr.contains("Please provide one of the following:\n  - auto\n  - fleet-csv"), "\(inventory.stderr)")
        let manifest = try cli.run(["import-manifest", "x.txt", "--format", "pdf"])
        #expect(manifest.status == 2 && manifest.stderr.contains("Please provide one of 'auto', 'kb-text' or 'ms-csv'."), "\(manifest.stderr)")
        let profile = try cli.run(["probe", "--all", "--listen", "127.0.0.1:0", "--probe-domain", "probe.test", "--profile", "delay=soon"])
        #expect(profile.status == 2)
        #expect(profile.stderr.contains("is invalid for '--profile <profile>': bad delay 'soon'"), "\(profile.stderr)")
        // Refused while parsing: nothing was opened, so no database was created.
        #expect(!FileManager.default.fileExists(atPath: cli.database))
    }

    @Test func aHostileRefusedValueIsEscapedOnTheTerminal() async throws { try await offCooperativePool { try escapeBody() } }
    func escapeBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let result = try cli.run(["report", "--format", "html,\u{1B}]52;c;eA==\u{07}"])
        #expect(result.status == 2)
        #expect(!result.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "\(result.stderr.debugDescription)")
        #expect(result.stderr.contains("\\x1B]52;c;eA==\\x07"), "\(result.stderr)")
    }

    @Test func commaListsAndPlatformSpellingsStillWork() async throws { try await offCooperativePool { try listsBody() } }
    func listsBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        // A table naming no platform: `--platform` takes the spellings KB articles use, not only the canonical names.
        let text = "Q100031: sample\n\n   Version        File name\n   ------------------------\n   3.1.40.2       Tool.dll\n"
        let file = try ManifestProductCLITests.write(text, "Q100031.TXT", in: cli)
        let imported = try cli.run(["import-manifest", file, "--product", "Microsoft Internet Information Server version 4.0", "--platform", "AMD64"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("KB100031: 1 rows (products: IIS 4.0; platforms: x64;"), "\(imported.stdout)")
        let report = try cli.run(["report", "--format", "JSON, csv,json", "--out", "out"])
        #expect(report.status == 0, "\(report.stderr)")
        let written = report.stdout.split(separator: "\n")
        #expect(written.count == 2 && written[0].hasSuffix(".json") && written[1].hasSuffix(".csv"), "\(report)")
    }
}
