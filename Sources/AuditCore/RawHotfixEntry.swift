/// An entry of a host's hotfix list that names no KB number (`File 1`, `{7A068575-…}`): Windows
/// lists such entries for updates installed without a KB, and they are kept as written so that
/// nothing the inventory said is lost, while the file still imports.
public struct RawHotfixEntry: Sendable, Hashable {
    /// The host whose inventory held the entry.
    public var host: String
    /// The entry as written, without its `[01]:` index.
    public var text: String
    /// The line of the inventory it was read from.
    public var line: Int?

    /// An entry kept as text; `line` is where the source had it, when known.
    public init(host: String, text: String, line: Int? = nil) {
        self.host = host
        self.text = text
        self.line = line
    }
}
