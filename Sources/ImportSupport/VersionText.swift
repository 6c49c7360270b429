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
        do { return try FileVersion(parsing: body) } catch { throw FieldError(reason: error.description) }
    }
}
