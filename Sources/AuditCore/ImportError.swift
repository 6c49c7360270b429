/// Why an input file could not be imported, with the place to look: printed `file:line: reason`
/// (or `file:line:column: reason` for XML). Imports that throw this write nothing.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input file, as named on the command line (`-` or a path).
    public var file: String
    /// 1-based; nil when the problem is the whole file (empty, binary, unknown format).
    public var line: Int?
    /// 1-based column, when the parser knows it (libxml2 does); nil otherwise.
    public var column: Int?
    /// What is wrong and, where one exists, which option would fix it.
    public var reason: String

    /// An error at a position in a file; `line` and `column` nil when the problem is the whole file.
    public init(file: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `file:line:column: reason`, omitting the parts that are not known, so that editors can jump to it.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if line != nil, let column { place += ":\(column)" }
        return "\(place): \(reason)"
    }
}
