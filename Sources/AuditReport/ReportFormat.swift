import AuditCore
import Foundation

/// The report formats `hotfix-audit report` writes.
public enum ReportFormat: String, CaseIterable, Sendable {
    case html, xml, json, csv
    /// One JSON object per line: header, changes, evidence and host lines, trailer.
    case ndjson

    /// The file name extension (without the dot).
    public var fileExtension: String { rawValue }
}

/// Writes reports: one pass over the hosts feeds every requested format.
public enum ReportWriter {
    /// Writes each format to its path, streaming the hosts once through all renderers. A failure
    /// leaves no new or partial file: each format is written privately and renamed at the end.
    /// - Returns: the paths written, in ``ReportFormat`` order.
    @discardableResult
    public static func write(source: some ReportSource, outputs: [ReportFormat: String]) throws -> [String] {
        try write(source: source, outputs: outputs, evidenceCapacity: ReportLimits.sharedEvidence)
    }

    /// ``write(source:outputs:)`` with the bound of the shared evidence table (tests use a small one).
    static func write(source: some ReportSource, outputs: [ReportFormat: String], evidenceCapacity: Int) throws -> [String] {
        let formats = ReportFormat.allCases.filter { outputs[$0] != nil }
        guard !formats.isEmpty else { return [] }
        for format in formats {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: outputs[format]!, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ReportWriteError(path: outputs[format]!, reason: "is a directory; give a file name or a directory for --out")
            }
        }
        let header = ReportHeader(metadata: try source.metadata(), kbs: try source.kbs(), summary: try source.summary(),
                                  changes: try source.changes(), trend: try source.trend(), waivers: try source.waivers(),
                                  risks: try source.riskRanking())
        let changesByHost = header.changes?.changesByHost() ?? [:]
        let evidence = EvidenceTable(capacity: evidenceCapacity)
        var renderers: [any ReportRenderer] = []
        var writers: [BufferedFileWriter] = []
        for format in formats {
            let writer = try BufferedFileWriter(path: outputs[format]!)
            writers.append(writer)
            switch format {
            case .html: renderers.append(HTMLReportRenderer(writer: writer))
            case .xml: renderers.append(try XMLReportRenderer(writer: writer))
            case .json: renderers.append(JSONReportRenderer(writer: writer))
            case .csv: renderers.append(CSVReportRenderer(writer: writer))
            case .ndjson: renderers.append(NDJSONReportRenderer(writer: writer))
            }
        }
        for renderer in renderers { try renderer.begin(header) }
        try source.forEachHost { host in
            let rendered = RenderedHost(host: host, evidence: evidence.ids(for: host), changes: changesByHost[host.name] ?? [], table: evidence)
            for renderer in renderers { try renderer.host(rendered) }
        }
        for renderer in renderers { try renderer.finish(evidence: evidence) }
        // Only now, with every format complete, do the reports take their final names.
        for writer in writers { try writer.commit() }
        return formats.map { outputs[$0]! }
    }

    /// `audit-20261129T031200Z.html`: the default name of a report written at the given UTC time.
    public static func defaultFileName(format: ReportFormat, year: Int, month: Int, day: Int,
                                       hour: Int, minute: Int, second: Int) -> String {
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "audit-\(pad(year, 4))\(pad(month))\(pad(day))T\(pad(hour))\(pad(minute))\(pad(second))Z.\(format.fileExtension)"
    }

    /// `audit-20261129T031200Z.html` for `date` in UTC.
    public static func defaultFileName(format: ReportFormat, at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return defaultFileName(format: format, year: c.year!, month: c.month!, day: c.day!,
                               hour: c.hour!, minute: c.minute!, second: c.second!)
    }
}
