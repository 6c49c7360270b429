/// Why a field (a size, date, time or version cell) could not be read; importers prefix it with
/// `FILE:LINE:` and decide whether the field was required (refuse) or optional (warn).
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the field, quoting it (`bad date '31-Feb-2006'`).
    public var reason: String

    /// A failure with the reason shown to the user (`bad date '31-Feb-2006'`).
    public init(reason: String) { self.reason = reason }

    /// The reason, so that callers can put it after `file:line: `.
    public var description: String { reason }
}

/// A value read from a field together with a note when the text had to be repaired to read it
/// (`17:17l` → 17:17, `9672.768` with an irregular digit group): the caller turns the note into a warning.
public struct Lenient<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value read.
    public var value: Value
    /// What was not as expected, e.g. `ignored the stray 'l' after the time`; nil when the text was clean.
    public var note: String?

    /// A value read, with the repair note when there was one.
    public init(_ value: Value, note: String? = nil) {
        self.value = value
        self.note = note
    }
}

/// The spellings of "no value here" that tables use in place of a version, size or date:
/// `Not applicable`, `N/A`, `-`, an empty cell, and their translations (German, Spanish, French,
/// Italian, Portuguese, Dutch, Russian, Japanese, Chinese).
public enum NotApplicable {
    /// Lowercased spellings compared after trimming and dropping a trailing full stop.
    static let spellings: Set<String> = [
        "", "not applicable", "n/a", "na", "-", "--", "—", "–", "none", "not available", "n.a.", "n. a.",
        "nicht zutreffend", "nicht anwendbar", "entfällt", "k. a.", "k.a.",
        "no aplicable", "no se aplica", "no disponible", "no corresponde",
        "non applicable", "sans objet", "s/o", "non disponible",
        "non applicabile", "non disponibile", "n/d",
        "não aplicável", "nao aplicavel", "não se aplica", "nd", "não disponível",
        "niet van toepassing", "n.v.t.", "nvt",
        "не применимо", "неприменимо", "н/д", "нет",
        "該当なし", "なし", "適用外", "対象外",
        "不適用", "不适用", "無", "无",
    ]

    /// Whether the text says the field has no value.
    public static func matches(_ text: some StringProtocol) -> Bool {
        var lower = text.trimmingSpaces().lowercased()
        if lower.count > 24 { return false }
        if lower.hasSuffix("."), lower != "n.a.", lower != "k.a.", lower != "n.v.t." { lower.removeLast() }
        return spellings.contains(lower)
    }
}
