import AuditCore

/// Reads a file-version cell: `6.0.3790.2668`, `**11.0.6000.6336**`, `6.00.3790.168`,
/// `5.2.3790.3959 (srv03_sp2_rtm.070216-1710)`, full-width digits; nil for `Not applicable`, `N/A`,
/// an empty cell and their translations. The numbers themselves are checked by ``FileVersion``.
public enum VersionText {
    /// The version, nil when the cell gives none; throws with FileVersion's reason for anything else.
    public static func parse(_ text: some StringProtocol) throws(FieldError) -> FileVersion? {
        if NotApplicable.matches(text) { return nil }
        var body = FullWidth.ascii(text.trimmingSpaces())
        if body.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "`") }) {
            body.removeAll { $0 == "*" || $0 == "`" }
            if NotApplicable.matches(body) { return nil }
        }
        return try exact(body)
    }

    /// A version written by a tool (no cell clean-up, no "not applicable"): the common `a.b.c.d` on a fast
    /// path, anything else through ``FileVersion/init(parsing:)``; throws with FileVersion's reason.
    public static func exact(_ text: String) throws(FieldError) -> FileVersion {
        if let plain = plain(text) { return plain }
        do { return try FileVersion(parsing: text) } catch { throw FieldError(reason: error.description) }
    }

    /// Fast path for the common `a.b.c.d` (four ASCII digit runs of 1…5 digits, each ≤ 65535, nothing
    /// else): the same FileVersion that FileVersion(parsing:) gives; nil means "use the full parser".
    @inline(__always)
    static func plain(_ text: String) -> FileVersion? {
        if let parsed = text.utf8.withContiguousStorageIfAvailable({ plain(bytes: $0) }) { return parsed }
        return plain(bytes: text.utf8)
    }

    @inline(__always)
    private static func plain(bytes: some Sequence<UInt8>) -> FileVersion? {
        var parts = (0, 0, 0, 0)
        var index = 0, value = 0, digits = 0
        for byte in bytes {
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                guard digits <= 5 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            } else if byte == UInt8(ascii: ".") {
                guard digits > 0, value <= 65535, index < 3 else { return nil }
                switch index { case 0: parts.0 = value; case 1: parts.1 = value; default: parts.2 = value }
                index += 1; value = 0; digits = 0
            } else {
                return nil
            }
        }
        guard index == 3, digits > 0, value <= 65535 else { return nil }
        parts.3 = value
        return FileVersion(parts.0, parts.1, parts.2, parts.3)
    }
}
