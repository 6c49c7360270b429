import AuditCore

/// `systeminfo` default list output in any UI language: `Label:<spaces>value` lines whose values
/// all start in one column, indented continuation lines (`[01]: KB912341`), possibly inside a
/// captured cmd session (banner, prompt lines) — see ``SysteminfoLayout`` for how facts are found.
/// The value column is measured in console cells (a CJK character is two), found as the column
/// most `label:` lines agree on; labels may themselves hold colons (`Page File: Max Size:`).
enum SysteminfoListParser {
    static func parse(_ input: TextInput, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let lines = try TextLines.read(input)
        let file = input.fileName
        guard let column = valueColumn(lines) else {
            throw ImportError(file: file, line: 1, reason: "not a systeminfo list: no column of `Label:   value` lines")
        }
        let fields = fields(lines, column: column)
        for record in records(fields) {
            try SysteminfoLayout.emit(record, recordLine: record.first?.line ?? 1, file: file, options: options, emitter: emitter)
        }
    }

    /// Several hosts' outputs appended into one file (`systeminfo /s HOST >> all.txt`): a record per OS
    /// version field, starting at its host-name field (two before it) when that value looks like a host name.
    static func records(_ fields: [SysteminfoField]) -> [ArraySlice<SysteminfoField>] {
        let anchors = fields.indices.filter { SysteminfoLayout.isOSVersion(fields[$0].value) }
        guard anchors.count > 1 else { return [fields[...]] }
        var starts = [0]
        for anchor in anchors.dropFirst() {
            let hostIndex = anchor - 2
            starts.append(hostIndex > starts.last! && SysteminfoLayout.isHostName(fields[hostIndex].value) ? hostIndex : anchor - 1)
        }
        return starts.indices.map { index in fields[starts[index]..<(index + 1 < starts.count ? starts[index + 1] : fields.count)] }
    }

    /// Console cells of one character: East Asian wide characters take two.
    static func cells(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first?.value else { return 1 }
        switch scalar {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
            return 2
        default:
            return 1
        }
    }

    /// The cell columns at which a value starts after `label:` + spaces, in one non-indented line.
    static func candidateColumns(_ text: String) -> [Int] {
        guard let first = text.first, !first.isWhitespace else { return [] }
        var columns: [Int] = []
        var cell = 0
        var afterColon = false
        var spaces = 0
        for character in text {
            if afterColon {
                if character == " " { spaces += 1 } else {
                    if spaces >= 1 { columns.append(cell) }
                    afterColon = false
                }
            }
            if character == ":" { afterColon = true; spaces = 0 }
            cell += cells(character)
        }
        return columns
    }

    /// The column most lines agree on (at least 5 lines), the smaller one on a tie.
    static func valueColumn(_ lines: [TextLine]) -> Int? {
        var votes: [Int: Int] = [:]
        for line in lines { for column in Set(candidateColumns(line.text)) { votes[column, default: 0] += 1 } }
        guard let best = votes.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }), best.value >= 5 else { return nil }
        return best.key
    }

    /// Splits `text` at cell `column`: the part before (nil when the line is shorter) and after.
    static func split(_ text: String, atCell column: Int) -> (Substring, Substring)? {
        var cell = 0
        var index = text.startIndex
        while index < text.endIndex, cell < column {
            cell += cells(text[index])
            index = text.index(after: index)
        }
        guard cell == column else { return nil }
        return (text[..<index], text[index...])
    }

    static func fields(_ lines: [TextLine], column: Int) -> [SysteminfoField] {
        var fields: [SysteminfoField] = []
        var current: Int?
        var itemIndent: Int?
        for line in lines {
            let text = line.text
            guard let first = text.first else { continue }
            if first.isWhitespace {
                guard let field = current else { continue }
                let indent = text.prefix { $0.isWhitespace }.reduce(0) { $0 + cells($1) }
                let item = String(text.trimmingSpaces())
                guard !item.isEmpty else { continue }
                if itemIndent == nil { itemIndent = indent }
                guard indent == itemIndent else { continue }
                fields[field].items.append(TextLine(text: HotfixEntry.strippingIndex(item) ?? item, number: line.number))
                continue
            }
            current = nil
            itemIndent = nil
            let trimmed = String(text.trimmingSpaces())
            let label: Substring
            let value: Substring
            if let (before, after) = split(text, atCell: column), before.trimmingSpaces().hasSuffix(":"),
               after.first.map({ !$0.isWhitespace }) ?? true {
                label = before.trimmingSpaces().dropLast()
                value = after.trimmingSpaces()
            } else if trimmed.hasSuffix(":"), trimmed.reduce(0, { $0 + cells($1) }) <= column {
                label = Substring(trimmed).dropLast()
                value = ""
            } else {
                continue
            }
            fields.append(SysteminfoField(label: String(label.trimmingSpaces()), value: String(value), line: line.number))
            current = fields.count - 1
        }
        return fields
    }
}
