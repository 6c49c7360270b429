import AuditCore
import ImportSupport

/// `systeminfo /fo csv`: a header row and one data row per host, in any UI language. Multi-valued
/// fields are joined with commas inside the quotes (`"3 Hotfix(s) Installed.,[01]: File 1,[02]: Q147222"`);
/// nested lines (a network card's `      Connection Name: …`) stay inside the item before them.
/// Fields are read by position and shape through ``SysteminfoLayout``, like the list output.
enum SysteminfoCSVParser {
    static func parse(_ input: TextInput, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let reader = CSVReader(input: input)
        let file = input.fileName
        guard let first = try reader.next() else { throw ImportError(file: file, line: reader.line, reason: "empty file (no header row)") }
        // `/nh` writes no header: the first record is already a host (it holds the OS version).
        let headerless = first.fields.contains { SysteminfoLayout.isOSVersion(String($0.trimmingSpaces())) }
        let header = headerless ? first.fields.indices.map { "field \($0 + 1)" } : first.fields.map { String($0.trimmingSpaces()) }
        let lowered = header.map { $0.lowercased() }
        // Without any systeminfo column every row would become a host without facts (issue 8):
        // an English label, or the many columns of a localized export.
        let english = ["host name", "os name", "hotfix(s)"].contains { lowered.contains($0) }
        guard headerless || english || header.filter({ !$0.isEmpty }).count >= 10 else {
            throw ImportError(file: file, line: first.line,
                              reason: "systeminfo CSV header has none of 'Host Name', 'OS Name', 'Hotfix(s)' and is too short for a localized export")
        }
        var row: CSVRecord? = headerless ? first : try reader.next()
        while let record = row {
            // `systeminfo /fo csv >> all.csv` repeats the header before each host.
            let isHeader = !headerless && record.fields.map({ String($0.trimmingSpaces()).lowercased() }) == lowered
            if !isHeader {
                guard record.fields.count == header.count else {
                    throw ImportError(file: file, line: record.line,
                                      reason: "expected \(header.count) fields as in the header, got \(record.fields.count)")
                }
                var fields: [SysteminfoField] = []
                for (index, label) in header.enumerated() {
                    let (value, items) = unpack(record.fields[index])
                    fields.append(SysteminfoField(label: label, value: value, line: record.line,
                                                  items: items.map { TextLine(text: $0, number: record.line) }))
                }
                try SysteminfoLayout.emit(fields[...], recordLine: record.line, file: file, options: options, emitter: emitter)
            }
            row = try reader.next()
        }
    }

    /// `N Hotfix(s) Installed.,[01]: KB1,[02]: KB2` → (`N Hotfix(s) Installed.`, [`KB1`, `KB2`]).
    /// Only a comma followed directly by `[nn]:` starts an item.
    static func unpack(_ field: String) -> (String, [String]) {
        var parts: [Substring] = []
        var start = field.startIndex
        var index = field.startIndex
        while index < field.endIndex {
            if field[index] == ",", startsIndexedItem(field[field.index(after: index)...]) {
                parts.append(field[start..<index])
                start = field.index(after: index)
            }
            index = field.index(after: index)
        }
        parts.append(field[start...])
        let value = String(parts[0].trimmingSpaces())
        let items = parts.dropFirst().map { HotfixEntry.strippingIndex($0) ?? String($0.trimmingSpaces()) }
        return (value, items)
    }

    /// `[01]:` at the very start (no indent).
    static func startsIndexedItem(_ text: Substring) -> Bool {
        // Look at a few characters only: a hostile field of `,[,[,[…` must stay linear.
        let text = text.prefix(8)
        guard text.first == "[", let close = text.firstIndex(of: "]") else { return false }
        let number = text[text.index(after: text.startIndex)..<close]
        guard !number.isEmpty, number.count <= 4, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return text[text.index(after: close)...].drop { $0 == " " }.first == ":"
    }
}
