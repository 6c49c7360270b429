import AuditCore

/// How verdicts look in the HTML report: one colour and one label each, used by badges and charts.
/// Keyed by the verdict's name so that a verdict added to ``Verdict`` (e.g. `accepted-risk`) gets
/// its look here without every switch breaking.
enum VerdictStyle {
    static func color(_ verdict: Verdict) -> String {
        switch verdict.rawValue {
        case "patched": "#2e7d32"
        case "vulnerable": "#c62828"
        case "service-not-reloaded": "#d35400"
        case "prerequisite-missing": "#6a1b9a"
        case "unknown": "#546e7a"
        case "not-applicable": "#8d99a6"
        case "accepted-risk": "#00838f"
        default: "#37474f"
        }
    }

    static func label(_ verdict: Verdict) -> String {
        switch verdict.rawValue {
        case "patched": "Patched"
        case "vulnerable": "Vulnerable"
        case "service-not-reloaded": "Service not reloaded"
        case "prerequisite-missing": "Prerequisite missing"
        case "unknown": "Unknown"
        case "not-applicable": "Not applicable"
        case "accepted-risk": "Accepted risk"
        default: verdict.rawValue
        }
    }
}
