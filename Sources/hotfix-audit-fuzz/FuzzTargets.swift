import AuditCore
import InventoryImport
import ManifestImport

/// The fuzz targets: each takes arbitrary bytes and must either parse them or throw an
/// `ImportError` — never crash, hang or allocate without bound.
enum FuzzTarget: String, CaseIterable {
    case kbText = "kb-text"
    case msCSV = "ms-csv"
    case fleetCSV = "fleet-csv"
    case psVersionInfoCSV = "ps-versioninfo-csv"
    case psHotfixCSV = "ps-hotfix-csv"
    case systeminfoCSV = "systeminfo-csv"
    case osqueryJSON = "osquery-json"
    case ovalSC = "oval-sc"
    case systeminfoList = "systeminfo-list"
    case wmicQfe = "wmic-qfe"
    case updateList = "update-list"
    case inventoryAuto = "inventory-auto"
    case smtpLine = "smtp-line"
    case smtpReply = "smtp-reply"
    case smtpReplyLegacy = "smtp-reply-legacy"
    case smtpResponder = "smtp-responder"

    /// Feeds one input to the code under test. Errors are expected outcomes; anything else is a bug.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .kbText: manifest(bytes, format: .kbText, fileName: "KB912341.txt")
        case .msCSV: manifest(bytes, format: .msCSV, fileName: "KB912341-x86.csv")
        case .fleetCSV: inventory(bytes, format: .fleetCSV)
        case .psVersionInfoCSV: inventory(bytes, format: .psVersionInfoCSV)
        case .psHotfixCSV: inventory(bytes, format: .psHotfixCSV)
        case .systeminfoCSV: inventory(bytes, format: .systeminfoCSV)
        case .osqueryJSON: inventory(bytes, format: .osqueryJSON)
        case .ovalSC: inventory(bytes, format: .ovalSystemCharacteristics)
        case .systeminfoList: inventory(bytes, format: .systeminfoList)
        case .wmicQfe: inventory(bytes, format: .wmicQfe)
        case .updateList: inventory(bytes, format: .updateList)
        case .inventoryAuto: inventory(bytes, format: nil)
        case .smtpLine: SMTPFuzz.lineDecoder(bytes)
        case .smtpReply: SMTPFuzz.replyDecoder(bytes, mode: .rfc5321)
        case .smtpReplyLegacy: SMTPFuzz.replyDecoder(bytes, mode: .firstLineOnly)
        case .smtpResponder:
            #if DEBUG || FUZZING
            SMTPFuzz.responder(bytes)
            #else
            fatalError("smtp-responder needs a debug or FUZZING build (it drives the internal state machine)")
            #endif
        }
    }

    private func manifest(_ bytes: [UInt8], format: ManifestFormat, fileName: String) {
        do {
            let manifest = try ManifestImporter.parse(bytes, fileName: fileName, options: ManifestImportOptions(format: format))
            // Every row must point into the input.
            for row in manifest.rows where row.line < 1 { fatalError("row without a line: \(row)") }
        } catch {
            check(error)
        }
    }

    private func inventory(_ bytes: [UInt8], format: InventoryFormat?) {
        var records = 0
        do {
            _ = try InventoryReader.read(bytes: bytes, fileName: "fuzz-input", options: InventoryReadOptions(format: format)) { _ in
                records += 1
            }
        } catch let error as ImportError {
            check(error)
        } catch {
            fatalError("inventory reader threw a non-ImportError: \(error)")
        }
    }

    /// An error must name the input file and a non-empty reason.
    private func check(_ error: ImportError) {
        if error.file.isEmpty || error.reason.isEmpty { fatalError("error without file or reason: \(error)") }
        if let line = error.line, line < 1 { fatalError("error with line \(line): \(error)") }
    }

    /// The target named by `HOTFIX_FUZZ_TARGET` (default kb-text).
    static var selected: FuzzTarget {
        let name = getenv("HOTFIX_FUZZ_TARGET").map { String(cString: $0) } ?? "kb-text"
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("unknown HOTFIX_FUZZ_TARGET '\(name)'; one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
