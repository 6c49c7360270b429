import AuditCore
import ImportSupport

/// The old fixed-width layout: a header such as `Date  Time  Version  Size  File name  Platform` over a
/// dashed rule, then rows separated by runs of spaces or TABs. Cells rarely sit under their headers
/// (right-aligned sizes, 4-digit years, `01:47p 382,064`), so the header only says which fields exist
/// and in what order; each row is tokenised and its tokens are told apart by shape (``TextFieldShapes``).
enum FixedWidthTable {
    /// What a header word stands for.
    enum Field: Sendable, Equatable {
        case name, version, size, date, time, dateTime, platform
        /// A column kept as text and not imported (`Language`, `Destination folder`).
        case other
        var isTyped: Bool { self == .version || self == .size || self == .date || self == .time || self == .dateTime }
    }

    /// Header phrases, longest first, as lowercase word lists.
    static let phrases: [([String], Field)] = [
        (["file", "name", "and", "path"], .name), (["filename", "and", "path"], .name), (["file", "name", "and", "location"], .name),
        (["date", "and", "time"], .dateTime), (["destination", "folder"], .other), (["file", "version"], .version),
        (["current", "version"], .version), (["file", "size"], .size), (["file", "name"], .name), (["file", "names"], .name),
        (["file", "date"], .date), (["file", "time"], .time), (["date/time"], .dateTime), (["filename"], .name), (["name"], .name),
        (["date"], .date), (["time"], .time), (["version"], .version), (["size"], .size), (["bytes"], .size),
        (["platform"], .platform), (["cpu"], .platform), (["processor"], .platform), (["architecture"], .platform),
        (["language"], .other), (["folder"], .other), (["location"], .other), (["path"], .other), (["description"], .other),
    ]

    /// Recognises a header line (`Date  Time  Version  Size  File name`, `Size  File name`, `File Name  Version`):
    /// it names the file and at least one date, time, version or size column, and nothing else but known columns.
    static func header(_ line: Substring) -> [Field]? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard words.count >= 2, words.count <= 24 else { return nil }
        var fields: [Field] = []
        var index = 0
        var unknown = 0
        outer: while index < words.count {
            for (phrase, field) in phrases where index + phrase.count <= words.count && Array(words[index..<(index + phrase.count)]) == phrase {
                fields.append(field)
                index += phrase.count
                continue outer
            }
            // `Outlook 97 version`: a version column named after its product.
            if let next = words.dropFirst(index).prefix(3).firstIndex(of: "version"), next > index {
                fields.append(.version)
                index = next + 1
                continue
            }
            unknown += 1
            fields.append(.other)
            index += 1
        }
        guard unknown <= 1, fields.filter({ $0 == .name }).count == 1, fields.contains(where: \.isTyped) else { return nil }
        return fields
    }

    /// `Date  Time  Version  Size  File name`, for error messages.
    static func describe(_ fields: [Field]) -> String {
        fields.map { field in
            switch field {
            case .name: "File name"
            case .version: "Version"
            case .size: "Size"
            case .date: "Date"
            case .time: "Time"
            case .dateTime: "Date/Time"
            case .platform: "Platform"
            case .other: "(text)"
            }
        }.joined(separator: "  ")
    }

    /// A line of dashes (or `=`), possibly broken by spaces.
    static func isRule(_ line: String) -> Bool {
        let trimmed = line.trimmingSpaces()
        return trimmed.count >= 3 && trimmed.allSatisfy { $0 == "-" || $0 == "=" || $0 == " " || $0 == "\t" }
    }

    /// One whitespace-separated token with the column it starts at.
    struct Token: Sendable {
        var text: String
        var column: Int
        var shape: TextFieldShapes.Shape
    }

    /// Splits a row on spaces and TABs, keeping `3:22 PM`, `524,560 bytes` and `Not applicable` together
    /// and cutting a platform glued to a name (`Exupload.dll(Intel)`).
    static func tokens(of line: Substring) -> [Token] {
        // Split on ASCII blanks over the UTF-8 view (columns are UTF-8 offsets, the same for every row of a table).
        var raw: [(String, Int)] = []
        let utf8 = line.utf8
        var start: String.Index?
        var startColumn = 0
        var column = 0
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                if let open = start {
                    raw.append((String(line[open..<index]), startColumn))
                    start = nil
                    if raw.count > 4 * ColumnMap.maximumColumns { break }
                }
            } else if start == nil {
                start = index
                startColumn = column
            }
            column += 1
            index = utf8.index(after: index)
        }
        if let open = start, raw.count <= 4 * ColumnMap.maximumColumns { raw.append((String(line[open..<utf8.endIndex]), startColumn)) }
        var tokens: [Token] = []
        for (text, column) in raw {
            let lower = text.lowercased()
            if let previous = tokens.last {
                if TextFieldShapes.isMeridiem(lower), previous.shape == .time || TextFieldShapes.time(previous.text + "am") != nil {
                    let joined = previous.text + " " + text
                    tokens[tokens.count - 1] = Token(text: joined, column: previous.column, shape: .time)
                    continue
                }
                if ["k", "kb", "mb", "gb"].contains(lower), [.groupedNumber, .number, .version].contains(previous.shape) {
                    tokens[tokens.count - 1] = Token(text: previous.text + " " + text, column: previous.column, shape: .approximateSize)
                    continue
                }
                if lower == "bytes", previous.shape == .groupedNumber || previous.shape == .number {
                    tokens[tokens.count - 1].shape = .groupedNumber
                    continue
                }
                if lower == "applicable", previous.text.lowercased() == "not" {
                    tokens[tokens.count - 1] = Token(text: previous.text + " " + text, column: previous.column, shape: .none)
                    continue
                }
            }
            if let open = text.firstIndex(of: "("), open != text.startIndex, text.hasSuffix(")"),
               Platform(spelling: text[text.index(after: open)..<text.index(before: text.endIndex)]) != nil {
                let name = String(text[..<open])
                tokens.append(Token(text: name, column: column, shape: TextFieldShapes.shape(of: name)))
                tokens.append(Token(text: String(text[open...]), column: column + name.count, shape: .text))
                continue
            }
            tokens.append(Token(text: text, column: column, shape: TextFieldShapes.shape(of: text)))
        }
        return tokens
    }

    /// `(x86)`, `(Alpha)`, `Intel`, `I386`, `X86`: a token that can only be a processor platform.
    static func platformToken(_ text: String) -> Platform? {
        var body = Substring(text)
        if body.hasPrefix("("), body.hasSuffix(")") { body = body.dropFirst().dropLast() }
        guard body.count <= 12, !body.contains(".") else { return nil }
        return Platform(spelling: body)
    }

    /// Reads one row under `fields`; nil when the line is not a row of this table (prose, a new header).
    static func row(_ line: Substring, fields: [Field], number: Int) -> TableRow? {
        let tokens = tokens(of: line)
        guard !tokens.isEmpty else { return nil }
        var row = TableRow(line: number)
        row.indent = tokens[0].column
        let has = { (field: Field) in fields.contains(field) }
        var typedMatched = 0
        var runs: [[Token]] = [[]]
        // Text after a platform token (`i486   (Debug)`) belongs to the platform cell, not to the file name.
        var platformTail: [Token]?
        // `786  649,488`: with a grouped size in the row, a bare number is the (build-only) version, not the size.
        let bareNumberIsVersion = has(.version) && tokens.contains { $0.shape == .groupedNumber }
            && !tokens.contains { $0.shape == .version }
        for (position, token) in tokens.enumerated() {
            switch token.shape {
            case .number where bareNumberIsVersion && row.versions.isEmpty:
                row.versions = [(nil, token.text)]; typedMatched += 1
            case .date where row.date == nil:
                row.date = token.text; typedMatched += has(.date) || has(.dateTime) ? 1 : 0
            case .time where row.time == nil:
                row.time = token.text; typedMatched += has(.time) || has(.dateTime) ? 1 : 0
            case .version where row.versions.isEmpty:
                row.versions = [(nil, token.text)]; typedMatched += has(.version) ? 1 : 0
            case .groupedNumber where row.size == nil, .number where row.size == nil && has(.size):
                row.size = token.text; typedMatched += has(.size) ? 1 : 0
            case .approximateSize where row.size == nil:
                row.size = token.text; row.sizeIsApproximate = true; typedMatched += has(.size) ? 1 : 0
            case .none:
                if !runs[runs.count - 1].isEmpty { runs.append([]) }
            default:
                if position > 0, row.platform == nil, let platform = platformToken(token.text) {
                    row.platform = platform
                    row.platformToken = token.text
                    if has(.platform) { platformTail = [] }
                    continue
                }
                if platformTail != nil { platformTail?.append(token) } else { runs[runs.count - 1].append(token) }
                continue
            }
            if let tail = platformTail {
                if !tail.isEmpty { row.platformText = tail.map(\.text).joined(separator: " ") }
                platformTail = nil
            }
            if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        if let tail = platformTail, !tail.isEmpty { row.platformText = tail.map(\.text).joined(separator: " ") }
        runs.removeAll { $0.isEmpty }
        // `Component: STORE version 5.5`, `NOTE: …`: a label line, not a row.
        if let first = runs.first?.first, first.text.hasSuffix(":") { return nil }
        let typedWanted = fields.filter(\.isTyped).count
        guard typedMatched >= min(2, typedWanted), typedMatched > 0 else { return nil }
        row.fieldCount = typedMatched
        // Text runs fill the text columns in header order; a run is split when there are fewer runs than columns.
        var textFields = fields.filter { !$0.isTyped }
        if row.platform != nil, let platformIndex = textFields.firstIndex(of: .platform) { textFields.remove(at: platformIndex) }
        var queue = runs
        for (index, field) in textFields.enumerated() {
            guard !queue.isEmpty else { break }
            let remaining = textFields.count - index
            var taken: [Token]
            if remaining == 1 {
                taken = queue.flatMap { $0 }
                queue = []
            } else if queue.count >= remaining {
                taken = queue.removeFirst()
            } else {
                taken = [queue[0].removeFirst()]
                if queue[0].isEmpty { queue.removeFirst() }
            }
            let value = taken.map(\.text).joined(separator: " ")
            switch field {
            case .name: row.name = value
            case .platform: row.platformText = value
            default: row.otherText = value
            }
            row.lastTextColumn = taken.first?.column
        }
        guard let name = row.name, !name.hasSuffix(":"), name.contains(where: \.isLetter) else { return nil }
        row.splitPath()
        return row
    }
}
