import AuditCore
import ImportSupport

/// One file row of a plain-text (fixed-width or box) table, read by shape before it becomes
/// manifest rows: the cells as written, the platform if a cell named one, and any text the platform
/// column held that is no processor (`Windows 95 & OSR1`, `Windows 98 Second Edition`).
struct TableRow: Sendable {
    var line: Int
    var name: String?
    /// The folder of a `File name and path` cell (`%EXSRVROOT%\Bin`).
    var directory: String?
    /// One entry per version column; `label` is the column's product (`Outlook 98 version`) when it names one.
    var versions: [(label: String?, text: String)] = []
    var size: String?
    /// `44KB`: the size cell gives no byte count, so the row gets none.
    var sizeIsApproximate = false
    var date: String?
    var time: String?
    var platform: Platform?
    var platformToken: String?
    /// A platform cell that names no processor: an OS or edition phrase.
    var platformText: String?
    var otherText: String?
    var indent = 0
    /// How many of the header's date, time, version and size columns the row filled.
    var fieldCount = 0
    var lastTextColumn: Int?

    init(line: Int) { self.line = line }

    /// `%EXSRVROOT%\Bin\Imcmsg.dll` → name `Imcmsg.dll`, directory `%EXSRVROOT%\Bin`.
    mutating func splitPath() {
        guard let name, let cut = name.lastIndex(where: { $0 == "\\" || $0 == "/" }), cut != name.startIndex,
              name.index(after: cut) != name.endIndex else { return }
        directory = String(name[..<cut])
        self.name = String(name[name.index(after: cut)...])
    }

    /// Appends a wrapped line (`Second Edition` under `Windows 98`) to the last text cell.
    mutating func appendContinuation(_ text: String) {
        if platformText != nil { platformText! += " " + text }
        else if otherText != nil { otherText! += " " + text }
        else if let name { self.name = name + " " + text }
    }

    /// The date as `YYYY-MM-DD` and the time as `HH:MM`, the forms ``CellParser`` reads back; a cell that is
    /// no date or time is an error with the cell quoted.
    func canonicalDateTime(dayFirst: Bool) throws(CellParser.Failure) -> (date: String?, time: String?) {
        var date: String?
        var time: String?
        if let text = self.date, !CellParser.isNotApplicable(text) {
            guard let day = TextFieldShapes.date(text, dayFirst: dayFirst) else { throw CellParser.Failure(reason: "bad date '\(text)'") }
            date = day.iso
        }
        if let text = self.time, !CellParser.isNotApplicable(text) {
            guard let clock = TextFieldShapes.time(text) else { throw CellParser.Failure(reason: "bad time '\(text)'") }
            time = TextFieldShapes.clock(clock.hour, clock.minute)
        }
        return (date, time)
    }

    /// `524,560 bytes` → `524,560`; `144 KB (147,728 bytes)` → `147,728`; `44KB` → nil (no byte count).
    var sizeCell: String? {
        guard var text = size?.trimmingSpaces() else { return nil }
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            let inner = text[text.index(after: open)..<close].trimmingSpaces()
            if inner.lowercased().hasSuffix("bytes") { text = inner }
        } else if sizeIsApproximate || TextFieldShapes.isApproximateSize(text.filter { $0 != " " }) {
            return nil
        }
        if text.lowercased().hasSuffix("bytes") { text = text.dropLast(5).trimmingSpaces() }
        return String(text)
    }
}
