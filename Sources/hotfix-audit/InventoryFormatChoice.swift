import ArgumentParser
import AuditCore
import Foundation

/// `import-inventory --format`: `auto` (detect each file's format from its first bytes) or one
/// inventory format forced on every file. Typed so that `--help` lists the formats and a misspelt
/// one is refused by ArgumentParser with the valid choices.
struct InventoryFormatChoice: ExpressibleByArgument, Sendable, Hashable {
    /// The forced format; nil for `auto`.
    var format: InventoryFormat?

    /// Detection per file.
    static let auto = InventoryFormatChoice(format: nil)

    init(format: InventoryFormat?) { self.format = format }

    /// Reads `auto` or a format name (`fleet-csv`, `ps-versioninfo-csv`, …), ignoring case.
    init?(argument: String) {
        let name = argument.trimmingCharacters(in: .whitespaces).lowercased()
        if name == "auto" { self.init(format: nil); return }
        guard let format = InventoryFormat.allCases.first(where: { $0.rawValue.lowercased() == name }) else { return nil }
        self.init(format: format)
    }

    var defaultValueDescription: String { format?.rawValue ?? "auto" }

    static var allValueStrings: [String] { ["auto"] + InventoryFormat.allCases.map(\.rawValue) }

    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
