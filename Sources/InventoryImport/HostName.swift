import AuditCore
import ImportSupport
import Foundation

/// Host names as inventories spell them, reduced to the key the store merges facts on.
public enum HostName {
    /// The merge key: lowercased, surrounding spaces and a trailing dot removed (`WEB01.corp.` → `web01.corp`).
    public static func key(_ name: String) -> String {
        HostFacts.key(name)
    }

    static let fileExtensions: Set<String> = ["csv", "json", "ndjson", "jsonl", "log", "xml", "txt"]
    static let fileSuffixes: [String] = [
        "versioninfo", "version-info", "fileversions", "files", "hotfixes", "hotfix", "gethotfix", "get-hotfix",
        "systeminfo", "osquery", "patches", "inventory", "syschar", "oval-sc", "sc", "qfe", "wmic", "updates",
    ]

    /// The host named by a file name that ends in a known suffix (`web01-updates.txt`, `WEB01_qfe.txt`):
    /// for console captures whose content does not name the host, only such a name is trusted.
    static func fromSuffixedFileName(_ fileName: String) -> String? {
        let (base, suffixed) = baseName(fileName)
        guard suffixed else { return nil }
        let host = String(base.trimmingSpaces())
        return host.isEmpty ? nil : host
    }

    /// The host a single-host inventory is about, from its file name: the last path component,
    /// minus known extensions (`.csv`, `.json`, `.ndjson`, `.jsonl`, `.log`, `.xml`, `.txt`),
    /// minus one trailing `-`/`_`/`.` + known suffix (`versioninfo`, `hotfix`, `systeminfo`, `osquery`, …).
    /// `web01.csv`, `web01-versioninfo.csv`, `WEB01_hotfixes.csv` → `web01`/`WEB01`; nil when nothing is left.
    static func fromFileName(_ fileName: String) -> String? {
        let (base, suffixed) = baseName(fileName)
        if suffixed { return base.isEmpty ? nil : base }
        let trimmed = String(base.trimmingSpaces())
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The file's last path component without known extensions, and without one `-`/`_`/`.` + known
    /// suffix when it has one (`suffixed`).
    private static func baseName(_ fileName: String) -> (base: String, suffixed: Bool) {
        var base = InstalledFile.fileName(ofPath: fileName)
        while let dot = base.lastIndex(of: "."), fileExtensions.contains(base[base.index(after: dot)...].lowercased()) {
            base = String(base[..<dot])
        }
        let lower = base.lowercased()
        for suffix in fileSuffixes {
            for separator in ["-", "_", "."] where lower.hasSuffix(separator + suffix) && lower.count > suffix.count + 1 {
                return (String(base.dropLast(suffix.count + 1)), true)
            }
        }
        return (base, false)
    }
}

/// Passes records to the caller's sink, announcing each distinct host once (bare facts) before its
/// first file or hotfix so that the store knows every host a file mentions.
/// A host name whose merge key is empty (only dots and spaces) is refused here with `file:line`.
final class RecordEmitter {
    private let sink: (InventoryRecord) throws -> Void
    private let source: RawSource?
    @exclusivity(unchecked) private var announced: Set<String> = []

    init(sink: @escaping (InventoryRecord) throws -> Void, source: RawSource? = nil) {
        self.sink = sink
        self.source = source
    }

    func host(_ facts: HostFacts) throws {
        let key = HostName.key(facts.name)
        if key.isEmpty { throw emptyHostName(facts.name) }
        announced.insert(key)
        try sink(.host(facts))
        // Its files and hotfixes that follow need no announcement (the key is in `announced` now).
        lastAnnounced = facts.name
    }

    private func emptyHostName(_ name: String) -> ImportError {
        ImportError(file: source?.fileName ?? "input", line: source?.recordLine, reason: FieldParse.emptyHostReason(name))
    }

    func file(_ file: InstalledFile) throws {
        try announce(file.host)
        try sink(.file(file))
    }

    func hotfix(_ hotfix: InstalledHotfix) throws {
        try announce(hotfix.host)
        try sink(.hotfix(hotfix))
    }

    /// A hotfix entry that names no KB: stored as written, and a warning naming its line.
    func rawHotfix(_ entry: RawHotfixEntry, file: String) throws {
        try announce(entry.host)
        try sink(.rawHotfix(entry))
        try sink(.warning(ImportWarning(file: file, line: entry.line,
                                        message: "hotfix entry '\(entry.text)' names no KB number; kept as text")))
    }

    func warning(_ warning: ImportWarning) throws {
        try sink(.warning(warning))
    }

    /// The name of the last file/hotfix host announced: consecutive records of one host skip the key and set work.
    @exclusivity(unchecked) private var lastAnnounced: String?

    private func announce(_ name: String) throws {
        if name == lastAnnounced { return }
        let key = HostName.key(name)
        if key.isEmpty { throw emptyHostName(name) }
        if announced.insert(key).inserted { try sink(.host(HostFacts(name: name))) }
        lastAnnounced = name
    }
}

/// Field conversions shared by the readers, each failing with the file and line.
enum FieldParse {
    /// Why a host name cannot name a host: nothing is left once spaces and trailing dots are removed.
    static func emptyHostReason(_ name: String) -> String {
        "host name '\(TerminalText.escaped(name))' is empty once surrounding spaces and trailing dots are removed"
    }

    /// `name` when it can name a host; otherwise an error at `file:line` (`what` says where the name came from).
    static func hostName(_ name: String, file: String, line: Int?, what: String = "host name") throws(ImportError) -> String {
        guard HostName.key(name).isEmpty else { return name }
        throw ImportError(file: file, line: line, reason: what == "host name" ? emptyHostReason(name)
                          : "\(what) '\(TerminalText.escaped(name))' is empty once surrounding spaces and trailing dots are removed")
    }

    /// A file version as a tool writes it (``VersionText/exact(_:)``), failing at `file:line`.
    static func version(_ text: String, file: String, line: Int, column: Int? = nil) throws(ImportError) -> FileVersion {
        do { return try VersionText.exact(text) } catch {
            throw ImportError(file: file, line: line, column: column, reason: error.reason)
        }
    }

    /// `483328`, `483,328`, `483 328` → 483328 (``SizeParser`` with the ``SizeParser/Syntax/machine`` spellings).
    static func size(_ text: String, file: String, line: Int) throws(ImportError) -> Int {
        guard let value = try? SizeParser.parse(text, syntax: .machine)?.value else {
            throw ImportError(file: file, line: line, reason: "bad size '\(text)': not a whole number of bytes")
        }
        return value
    }

    /// A hotfix ID; nil for the placeholder entries Windows lists (`File 1`), error for anything else unreadable.
    static func hotfix(_ text: String, file: String, line: Int) throws(ImportError) -> KBNumber? {
        if let kb = plainKB(text) { return kb }
        if let kb = KBNumber(text) { return kb }
        let lower = text.lowercased()
        if lower.hasPrefix("file ") || lower == "file" { return nil }
        throw ImportError(file: file, line: line, reason: "bad hotfix ID '\(text)'")
    }

    /// Fast path for the common ASCII `KB912341` / `Q147222` / `943729` (prefix in any case, 3…9 digits,
    /// not all zero): the KBNumber that ``KBNumber/init(_:)`` gives; nil means "ask it".
    @inline(__always)
    static func plainKB(_ text: String) -> KBNumber? {
        var utf8 = text.utf8[...]
        if let first = utf8.first, first | 0x20 == UInt8(ascii: "k"), utf8.dropFirst().first.map({ $0 | 0x20 }) == UInt8(ascii: "b") {
            utf8 = utf8.dropFirst(2)
        } else if let first = utf8.first, first | 0x20 == UInt8(ascii: "q") {
            utf8 = utf8.dropFirst()
        }
        var value = 0, digits = 0
        for byte in utf8 {
            guard byte >= 0x30 && byte <= 0x39, digits < 9 else { return nil }
            value = value * 10 + Int(byte - 0x30)
            digits += 1
        }
        guard digits >= 3, value > 0 else { return nil }
        return KBNumber(value)
    }

    /// Service pack named in an OS name or version text, nil when none names one; an error at `file:line`
    /// when one names a level that cannot be one (see ``servicePackMentioned(in:file:line:)``).
    static func servicePackNamed(in texts: [String?], file: String, line: Int?) throws(ImportError) -> ServicePack? {
        for text in texts.compactMap({ $0 }) {
            if let sp = try servicePackMentioned(in: text, file: file, line: line) { return sp }
        }
        return nil
    }

    /// The service pack a text names (`5.2.3790 Service Pack 2 Build 3790`, `SP1`), nil when it names none.
    /// A level of more than two digits (`Service Pack 150`) is refused rather than read as RTM, the same
    /// rule as a `service_pack` column (`SP150` is a bad service pack there too).
    static func servicePackMentioned(in text: String, file: String, line: Int?) throws(ImportError) -> ServicePack? {
        let upper = text.uppercased()
        for marker in ["SERVICE PACK", "SP"] {
            var search = upper[...]
            while let range = search.firstRange(of: marker) {
                let before = range.lowerBound == upper.startIndex ? " " : upper[upper.index(before: range.lowerBound)]
                let after = search[range.upperBound...]
                search = after
                guard !before.isLetter, !before.isNumber else { continue }
                let rest = marker == "SP" ? after : after.drop { $0 == " " }
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty else { continue }
                guard digits.count <= 2, let level = Int(digits) else {
                    throw ImportError(file: file, line: line,
                                      reason: "bad service pack in '\(TerminalText.escaped(text))': level \(digits) is not a service pack level (1 or 2 digits)")
                }
                return ServicePack(level: level)
            }
        }
        return nil
    }

    static func platform(_ text: String?) -> (Platform?, String?) {
        guard let text, !text.isEmpty else { return (nil, nil) }
        if let platform = Platform(spelling: text) { return (platform, nil) }
        return (nil, text)
    }
}
