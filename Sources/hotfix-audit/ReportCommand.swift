import ArgumentParser
import AuditCore
import AuditReport
import AuditEngine
import AuditStore
import AuditStoreSQLite
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Writes audit reports (HTML, XML, JSON, CSV) from the latest assessment and probe evidence.",
        discussion: """
            Example:
              hotfix-audit report                                   # HTML and XML into reports/
              hotfix-audit report --format html,xml,json,csv --out audit/
              hotfix-audit report --format xml --out fleet.xml --kb KB912341
              hotfix-audit report --since 2026-11-30                # what changed since the last run of that day
            Default names: reports/audit-YYYYMMDDTHHMMSSZ.<format>. The XML validates against
            data/schema/hotfix-audit-report.xsd.
            """)

    @Option(help: ArgumentHelp("Report formats, comma-separated.", valueName: "formats")) var format = ReportFormatList([.html, .xml])!
    @Option(help: "Output directory, or a file name when one format is asked (default reports/).") var out = "reports"
    @Option(help: "Only these KBs (repeatable).") var kb: [String] = []
    @Option(help: "\"What changed\" compares the latest run with this run id, or with the last run on or before this date (YYYY-MM-DD); default the run before the latest.")
    var since: RunSelector?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        for item in kb where KBNumber(item) == nil { throw ValidationError("--kb '\(TerminalText.escaped(item))' is not a KB number") }
    }

    func run() async throws {
        var run = ReportRun(formats: format.formats, out: out, kbs: kb.compactMap { KBNumber($0) })
        run.since = since
        for path in try run.write(store: database.open()) { print(path) }
    }
}

/// One report run: decides the output paths and renders every format from one store snapshot.
/// Shared by `report`, `scan` and `demo`.
struct ReportRun {
    var formats: [ReportFormat]
    var out: String
    var kbs: [KBNumber]
    /// The run "what changed" compares with (nil: the run before the latest).
    var since: RunSelector? = nil

    func outputs(at date: Date = Date()) throws -> [ReportFormat: String] {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory)
        let looksLikeFile = formats.count == 1 && (out as NSString).pathExtension.lowercased() == formats[0].fileExtension
        if looksLikeFile && !(exists && isDirectory.boolValue) {
            let parent = (out as NSString).deletingLastPathComponent
            if !parent.isEmpty { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
            return [formats[0]: out]
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var outputs: [ReportFormat: String] = [:]
        for format in formats {
            outputs[format] = (out as NSString).appendingPathComponent(ReportWriter.defaultFileName(format: format, at: date))
        }
        return outputs
    }

    /// Writes the reports and returns their paths in the order asked.
    func write(store: any AuditStore & FeedStore) throws -> [String] {
        let date = Date()
        let outputs = try outputs(at: date)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let feeds = try store.feedKnowledge()
        try store.withSnapshot { snapshot in
            var source = try StoreReportSource(snapshot: snapshot, database: store.location, toolVersion: HotfixAudit.version,
                                               generatedAt: formatter.string(from: date), kbs: kbs, since: since)
            source.feedKnowledge = feeds.isEmpty ? nil : feeds
            _ = try ReportWriter.write(source: source, outputs: outputs)
        }
        return formats.compactMap { outputs[$0] }
    }
}

extension RunSelector: ExpressibleByArgument {
    /// A run id (`12`) or a date (`2026-11-30`); anything else is a usage error.
    public init?(argument: String) { self.init(argument) }
}
