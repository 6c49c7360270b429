/// A fact an importer could not use without the file being wrong (an optional value it could not
/// read, a hotfix entry that is not a KB): printed `file:line: warning: message`, import goes on.
public struct ImportWarning: Sendable, Hashable, CustomStringConvertible {
    /// The input file the warning is about.
    public var file: String
    /// 1-based line, nil when the warning is about the whole file.
    public var line: Int?
    /// What was skipped or kept as text, in one sentence.
    public var message: String

    /// A warning about a file, optionally at one line.
    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: warning: message`, the shape compilers use, so that editors can jump to it.
    public var description: String {
        (line.map { "\(file):\($0)" } ?? file) + ": warning: " + message
    }
}
