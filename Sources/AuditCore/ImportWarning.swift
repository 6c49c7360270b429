/// A fact an importer could not use without the file being wrong (an optional value it could not
/// read, a hotfix entry that is not a KB): printed `file:line: warning: message`, import goes on.
public struct ImportWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        (line.map { "\(file):\($0)" } ?? file) + ": warning: " + message
    }
}
