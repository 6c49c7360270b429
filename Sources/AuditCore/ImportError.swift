/// Why an input file could not be imported, with the place to look: printed `file:line: reason`
/// (or `file:line:column: reason` for XML). Imports that throw this write nothing.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; nil when the problem is the whole file (empty, binary, unknown format).
    public var line: Int?
    public var column: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if line != nil, let column { place += ":\(column)" }
        return "\(place): \(reason)"
    }
}
