import ArgumentParser
import AuditReport
import Foundation

/// `scan --report`: the report formats to write after the scan, or `none` for no report.
/// Typed like ``ReportFormatList`` so that a bad value is a usage error listing the choices.
enum ScanReportChoice: ExpressibleByArgument, Sendable, Hashable {
    /// `none`: the scan writes no report.
    case noReport
    /// The formats to write.
    case formats(ReportFormatList)

    /// Reads `none` or a comma-separated list of formats.
    init?(argument: String) {
        if argument.trimmingCharacters(in: .whitespaces).lowercased() == "none" {
            self = .noReport
        } else if let list = ReportFormatList(argument: argument) {
            self = .formats(list)
        } else {
            return nil
        }
    }

    /// The formats to write; empty for `none`.
    var formats: [ReportFormat] {
        switch self {
        case .noReport: []
        case .formats(let list): list.formats
        }
    }

    var defaultValueDescription: String {
        switch self {
        case .noReport: "none"
        case .formats(let list): list.defaultValueDescription
        }
    }

    static var allValueStrings: [String] { ReportFormatList.allValueStrings + ["none"] }

    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
