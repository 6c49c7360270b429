import AuditCore

/// `wmic qfe` output, as captured on real hosts: the default fixed-width table (UTF-16LE with BOM
/// when redirected; `Please wait while WMIC is being installed.` glued to the header on first use;
/// `CR CR LF` line ends; a typed command line before it) and `wmic qfe list full` (`Key=value`
/// blocks), and the same objects as PowerShell prints them (`Get-HotFix > file`: a `Source` column
/// underlined with dashes; `Format-List`: `HotFixID : …` blocks). (`wmic qfe get … /format:csv` has a
/// `HotFixID` column and reads as ps-hotfix-csv.)
/// Table cells are separated by two or more spaces and matched to the header's columns by position
/// with a least-distance alignment, so a row whose non-ASCII text shifted later cells still reads.
enum WmicQfeParser {
    static let maxColumns = 64

    static func parse(_ input: TextInput, options: InventoryReadOptions, emitter: RecordEmitter) throws {
        let lines = try TextLines.read(input)
        let file = input.fileName
        let rows: [(values: [String: String], line: Int)]
        if lines.contains(where: { keyValue($0.text.lowercased())?.key == "hotfixid" }) {
            rows = listRows(lines)
        } else {
            rows = try tableRows(lines, file: file)
        }
        var seen: Set<String> = []
        let fallback = HostName.fromSuffixedFileName(file)
        for row in rows {
            try QfeRow.emit(row.values, line: row.line, file: file, options: options, fallbackHost: fallback, emitter: emitter, seen: &seen)
        }
    }

    /// `wmic qfe list full`: blocks of `Key=value` lines separated by blank lines.
    static func listRows(_ lines: [TextLine]) -> [(values: [String: String], line: Int)] {
        var rows: [(values: [String: String], line: Int)] = []
        var current: [String: String] = [:]
        var start = 0
        for line in lines + [TextLine(text: "", number: (lines.last?.number ?? 0) + 1)] {
            let text = line.text.trimmingSpaces()
            if text.isEmpty {
                if current["hotfixid"] != nil { rows.append((current, start)) }
                current = [:]
                continue
            }
            guard let (key, value) = keyValue(String(text)) else { continue }
            if current.isEmpty { start = line.number }
            current[key.lowercased()] = value
        }
        return rows
    }

    /// `HotFixID=KB912341` (wmic list) or `HotFixID   : KB912341` (PowerShell `Format-List`): a one-word key.
    static func keyValue(_ line: String) -> (key: String, value: String)? {
        let text = line.trimmingSpaces()
        guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
        let key = text[..<separator].trimmingSpaces()
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        return (String(key), String(text[text.index(after: separator)...].trimmingSpaces()))
    }

    /// Runs of text separated by two or more spaces, with their start cell.
    static func cells(_ text: String) -> [(text: String, start: Int)] {
        var out: [(text: String, start: Int)] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
            guard index < characters.count else { break }
            let start = index
            while index < characters.count {
                if characters[index] == "\t" { break }
                if characters[index] == " ", index + 1 >= characters.count || characters[index + 1] == " " { break }
                index += 1
            }
            out.append((String(characters[start..<index]).trimmingCharactersSpaces(), start))
        }
        return out
    }

    static func tableRows(_ lines: [TextLine], file: String) throws -> [(values: [String: String], line: Int)] {
        guard let headerIndex = lines.firstIndex(where: { line in cells(line.text).contains { $0.text.lowercased().hasSuffix("hotfixid") } }) else {
            throw ImportError(file: file, line: 1, reason: "wmic qfe output without a header naming 'HotFixID'")
        }
        var columns = cells(lines[headerIndex].text)
        // Win32_QuickFixEngineering has a dozen properties: a wider header is no wmic output (and would
        // make the row alignment quadratic).
        guard columns.count <= maxColumns else {
            throw ImportError(file: file, line: lines[headerIndex].number, reason: "wmic header with more than \(maxColumns) columns")
        }
        // A banner glued to the first column name (`…installed.Caption`): the column starts at the name.
        if let first = columns.first {
            let name = String(first.text.reversed().prefix { $0.isLetter }.reversed())
            let offset = first.start + first.text.count - name.count
            columns = columns.map { (text: $0.text, start: $0.start - offset) }
            columns[0] = (text: name, start: 0)
        }
        let names = columns.map { $0.text.lowercased() }
        var rows: [(values: [String: String], line: Int)] = []
        for line in lines[(headerIndex + 1)...] {
            let found = cells(line.text)
            guard !found.isEmpty else { continue }
            // PowerShell `Format-Table` (`Get-HotFix > file`) underlines its header with dashes.
            if found.allSatisfy({ $0.text.allSatisfy { $0 == "-" } }) { continue }
            let assignment: [Int]
            if found.count <= columns.count {
                assignment = align(found.map(\.start), columns.map(\.start))
            } else {
                // More cells than columns: a value held a double space. Each cell joins the last column
                // starting at or before it.
                assignment = found.map { cell in columns.lastIndex { $0.start <= cell.start } ?? 0 }
            }
            var values: [String: String] = [:]
            for (cell, column) in zip(found, assignment) {
                values[names[column]] = values[names[column]].map { $0 + "  " + cell.text } ?? cell.text
            }
            rows.append((values, line.number))
        }
        return rows
    }

    /// Assigns cells (in order) to strictly increasing columns, minimising the total distance
    /// between each cell's start and its column's start.
    static func align(_ cells: [Int], _ columns: [Int]) -> [Int] {
        let m = cells.count, n = columns.count
        let infinity = Int.max / 4
        // cost[i][j]: best cost placing the first i cells into the first j columns.
        var cost = Array(repeating: Array(repeating: infinity, count: n + 1), count: m + 1)
        var took = Array(repeating: Array(repeating: false, count: n + 1), count: m + 1)
        for j in 0...n { cost[0][j] = 0 }
        if m > 0 {
            for i in 1...m {
                for j in 1...n {
                    let skip = cost[i][j - 1]
                    let place = cost[i - 1][j - 1] == infinity ? infinity : cost[i - 1][j - 1] + abs(cells[i - 1] - columns[j - 1])
                    if place <= skip { cost[i][j] = place; took[i][j] = true } else { cost[i][j] = skip }
                }
            }
        }
        var result = Array(repeating: 0, count: m)
        var i = m, j = n
        while i > 0 && j > 0 {
            if took[i][j] { result[i - 1] = j - 1; i -= 1 }
            j -= 1
        }
        return result
    }
}

extension String {
    /// Without surrounding spaces (ASCII space, tab, NBSP).
    func trimmingCharactersSpaces() -> String { String(trimmingSpaces()) }
}
