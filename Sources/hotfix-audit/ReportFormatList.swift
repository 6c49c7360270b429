import ArgumentParser
import AuditReport
import Foundation

/// `--format html,xml`: one or more report formats, comma-separated, in the order given (repeats
/// dropped). A typed argument so that `--help` lists the formats and ArgumentParser refuses an
/// unknown one with the valid choices before any command runs.
struct ReportFormatList: ExpressibleByArgument, Sendable, Hashable {
    /// The formats asked for, first mention first; never empty.
    var formats: [ReportFormat]

    /// A list of the given formats (repeats dropped); nil when it would be empty.
    init?(_ formats: [ReportFormat]) {
        var unique: [ReportFormat] = []
        for format in formats where !unique.contains(format) { unique.append(format) }
        guard !unique.isEmpty else { return nil }
        self.formats = unique
    }

    /// Reads `html,xml,json,csv` (any case, spaces around items allowed); nil when any item is unknown or none is given.
    init?(argument: String) {
        var formats: [ReportFormat] = []
        for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty { continue }
            guard let format = ReportFormat(rawValue: name) else { return nil }
            formats.append(format)
        }
        self.init(formats)
    }

    /// The canonical text, as `--help` shows a default: `html,xml`.
    var defaultValueDescription: String { formats.map(\.rawValue).joined(separator: ",") }

    /// Every single format; a value is any comma-separated list of them.
    static var allValueStrings: [String] { ReportFormat.allCases.map(\.rawValue) }

    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
