import ArgumentParser
import AuditCore

/// `--check-confirms CHECK=KB,KB…`: which KBs a behavioural check's outcome is evidence for in this run.
/// Shared by `assess` and `scan`. Each value is read when the command line is parsed, so an unknown
/// check or a bad KB is a usage error naming the known checks before anything is opened.
struct CheckOptions: ParsableArguments {
    @Option(name: .customLong("check-confirms"),
            help: ArgumentHelp("Bind a behavioural check to the KBs whose fix it confirms, replacing its default (repeatable), "
                               + "e.g. smtp-data-multiline-354=KB912341,KB935683. "
                               + "Checks: \(CheckRegistry.all.map(\.id.rawValue).joined(separator: ", ")).", valueName: "check=kbs"),
            transform: CheckOverride.init(parsing:))
    var checkConfirms: [CheckOverride] = []

    /// The registry's defaults with every `--check-confirms` applied, in the order given.
    func bindings() throws -> CheckBindings {
        do { return try CheckBindings(overrides: checkConfirms.map(\.text)) } catch { throw ValidationError("--check-confirms: \(error)") }
    }
}

/// One `--check-confirms` value, checked against the registry when it is parsed (the check exists,
/// every KB reads), kept as text for ``CheckBindings/init(overrides:)``, the one reader of that syntax.
struct CheckOverride: Sendable, Hashable {
    /// The value as given: `CHECK=KB,KB…`.
    var text: String

    /// Accepts a value that ``CheckBindings`` accepts; throws its reason otherwise (shown by ArgumentParser).
    init(parsing text: String) throws {
        _ = try CheckBindings(overrides: [text])
        self.text = text
    }
}
