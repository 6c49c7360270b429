import AuditCore

/// How verdicts look in the HTML report: one colour and one label each, used by badges and charts.
enum VerdictStyle {
    static func color(_ verdict: Verdict) -> String {
        switch verdict {
        case .patched: "#2e7d32"
        case .vulnerable: "#c62828"
        case .serviceNotReloaded: "#d35400"
        case .prerequisiteMissing: "#6a1b9a"
        case .unknown: "#546e7a"
        case .notApplicable: "#8d99a6"
        }
    }

    static func label(_ verdict: Verdict) -> String {
        switch verdict {
        case .patched: "Patched"
        case .vulnerable: "Vulnerable"
        case .serviceNotReloaded: "Service not reloaded"
        case .prerequisiteMissing: "Prerequisite missing"
        case .unknown: "Unknown"
        case .notApplicable: "Not applicable"
        }
    }
}
