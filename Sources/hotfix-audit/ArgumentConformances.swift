import ArgumentParser
import AuditCore
import ManifestImport

// Library value types the CLI takes as option values. The conformances live here, not in the
// libraries, so that no library depends on ArgumentParser.

/// `import-manifest --format auto|kb-text|ms-csv`: `--help` lists the formats, ArgumentParser refuses others.
extension ManifestFormat: ExpressibleByArgument {}

/// `--platform`: any spelling a KB article or inventory uses (`x86`, `AMD64`, `Itanium`, `alpha` …) is
/// accepted; `--help` and the refusal of an unknown one list the canonical names.
extension Platform: ExpressibleByArgument {
    /// Any spelling ``Platform/init(spelling:)`` recognises; nil for others (ArgumentParser then lists the choices).
    public init?(argument: String) { self.init(spelling: argument) }

    /// The canonical names only: the spellings are too many to list.
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }

    /// Shells complete the canonical names.
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
