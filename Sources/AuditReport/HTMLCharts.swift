import AuditCore

/// Geometry of the report's SVG charts, computed here and drawn by the Mustache templates
/// (so chart labels are escaped like every other value).
enum HTMLCharts {
    private static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// The donut of results per verdict.
    static func donut(_ counts: [Verdict: Int]) -> [String: Any] {
        let total = counts.values.reduce(0, +)
        let circumference = 2 * Double.pi * 62
        var offset = 0.0
        var segments: [[String: Any]] = []
        var legend: [[String: Any]] = []
        for (index, verdict) in ReportText.verdictOrder.enumerated() {
            let count = counts[verdict] ?? 0
            legend.append(["color": VerdictStyle.color(verdict), "label": VerdictStyle.label(verdict), "count": String(count),
                           "y": String(28 + index * 22), "ty": String(38 + index * 22)])
            guard count > 0, total > 0 else { continue }
            let length = circumference * Double(count) / Double(total)
            segments.append(["color": VerdictStyle.color(verdict), "label": VerdictStyle.label(verdict), "count": String(count),
                             "dash": "\(number(length)) \(number(circumference - length))", "offset": number(-offset)])
            offset += length
        }
        return ["segments": segments, "legend": legend, "total": String(total)]
    }

    /// Stacked horizontal bars, one per labelled row.
    static func bars(title: String, rows input: [(label: String, counts: [Verdict: Int])]) -> [String: Any] {
        let rowHeight = 28
        var rows: [[String: Any]] = []
        for (index, row) in input.enumerated() {
            let total = row.counts.values.reduce(0, +)
            let y = index * rowHeight
            var x = 84.0
            var segments: [[String: Any]] = []
            for verdict in ReportText.verdictOrder {
                let count = row.counts[verdict] ?? 0
                guard count > 0, total > 0 else { continue }
                let width = 290 * Double(count) / Double(total)
                segments.append(["x": number(x), "w": number(width), "color": VerdictStyle.color(verdict),
                                 "label": VerdictStyle.label(verdict), "count": String(count)])
                x += width
            }
            let label = row.label.count > 11 ? String(row.label.prefix(10)) + "…" : row.label
            rows.append(["label": label, "y": String(y), "ty": String(y + 13), "total": String(total), "segments": segments])
        }
        let legendTop = max(1, input.count) * rowHeight + 8
        var legend: [[String: Any]] = []
        for (index, verdict) in ReportText.verdictOrder.enumerated() {
            let column = index % 3, line = index / 3
            let x = column * 140, y = legendTop + line * 18
            legend.append(["x": String(x), "y": String(y), "tx": String(x + 15), "ty": String(y + 9),
                           "color": VerdictStyle.color(verdict), "label": VerdictStyle.label(verdict)])
        }
        return ["title": title, "rows": rows, "legend": legend, "height": String(legendTop + 40)]
    }

    /// The share of compliant hosts per run as a polyline (oldest left), 0–100 % on the y axis.
    static func trend(_ points: [RunPoint]) -> [String: Any] {
        let step = points.count > 1 ? 370.0 / Double(points.count - 1) : 0
        var dots: [[String: Any]] = []
        var coordinates: [String] = []
        for (index, point) in points.enumerated() {
            let x = 40 + step * Double(index), y = 120 - 110 * point.compliancePercent / 100
            coordinates.append("\(number(x)),\(number(y))")
            dots.append(["x": number(x), "y": number(y), "at": Escaping.visibleText(point.at), "percent": ReportText.percent(point.compliancePercent),
                         "compliant": String(point.compliantHosts), "hosts": String(point.hosts)])
        }
        return ["points": coordinates.joined(separator: " "), "dots": dots, "count": String(points.count),
                "firstAt": Escaping.visibleText(String(points.first?.at.prefix(10) ?? "")),
                "lastAt": Escaping.visibleText(String(points.last?.at.prefix(10) ?? ""))]
    }
}
