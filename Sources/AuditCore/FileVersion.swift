/// A Windows file version: four 16-bit numbers compared component by component, the way
/// scanners decide whether an installed file is at least the version a hotfix ships.
///
/// `6.0.3790.3959 (srv03_sp2_rtm.070216-1710)` keeps `srv03_sp2_rtm` as ``branch``;
/// shorter forms are padded with zeros (`6.0.3790` = `6.0.3790.0`).
public struct FileVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// First component (`6` in `6.0.3790.2668`).
    public var major: Int
    /// Second component (`0` in `6.0.3790.2668`).
    public var minor: Int
    /// Third component, the Windows build (`3790` in `6.0.3790.2668`).
    public var build: Int
    /// Fourth component, the revision a hotfix raises (`2668` in `6.0.3790.2668`).
    public var revision: Int
    /// The branch tag from a parenthesised suffix (`srv03_sp2_rtm`), lowercased; nil when absent.
    public var branch: String?

    /// Why a text is not a file version.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text that was refused, as given.
        public var text: String
        /// Which part of it is wrong (empty component, over 65535, …).
        public var reason: String
        /// `bad version 'TEXT': REASON`, ready to follow `file:line: ` in an import error.
        public var description: String { "bad version '\(text)': \(reason)" }
    }

    /// A version from its four numbers (each 0…65535) and an optional branch tag.
    public init(_ major: Int, _ minor: Int, _ build: Int, _ revision: Int, branch: String? = nil) {
        self.major = major
        self.minor = minor
        self.build = build
        self.revision = revision
        self.branch = branch
    }

    /// Parses `6.0.3790.2668`, `5.2.3790.3959 (srv03_sp2_rtm.070216-1710)`, `2000.85.1062.0000`, `6.0.3790`.
    public init(parsing text: String) throws(ParseError) {
        var numeric = Substring(text.trimmingSpaces())
        var branch: String?
        if let open = numeric.firstIndex(of: "(") {
            let tag = numeric[numeric.index(after: open)...]
            guard let close = tag.firstIndex(of: ")") else {
                throw ParseError(text: text, reason: "unclosed '(' in branch tag")
            }
            let inner = tag[..<close].trimmingSpaces()
            // `srv03_sp2_rtm.070216-1710`: the branch is the part before the build stamp.
            let name = inner.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
            branch = name.isEmpty ? nil : name.lowercased()
            numeric = Substring(numeric[..<open].trimmingSpaces())
        } else if let space = numeric.firstIndex(of: " ") {
            // `6.0.3790.2668 built by: srv03_sp1_qfe` style: keep the leading number only.
            let rest = numeric[space...].trimmingSpaces()
            numeric = numeric[..<space]
            if let last = rest.split(separator: " ").last, last.contains("_") { branch = last.lowercased() }
        }
        guard !numeric.isEmpty else { throw ParseError(text: text, reason: "empty") }
        let parts = numeric.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 4 else {
            throw ParseError(text: text, reason: "more than four components")
        }
        var values = [0, 0, 0, 0]
        for (index, part) in parts.enumerated() {
            guard !part.isEmpty else { throw ParseError(text: text, reason: "empty component \(index + 1)") }
            guard part.count <= 6, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(part) else {
                throw ParseError(text: text, reason: "component \(index + 1) '\(part)' is not a number")
            }
            guard value <= 65535 else {
                throw ParseError(text: text, reason: "component \(index + 1) \(value) exceeds 65535")
            }
            values[index] = value
        }
        self.init(values[0], values[1], values[2], values[3], branch: branch)
    }

    /// The four components joined by dots, without the branch.
    public var numericString: String { "\(major).\(minor).\(build).\(revision)" }

    /// `6.0.3790.3959 (srv03_sp2_rtm)`: the numbers, and the branch when one was given.
    public var description: String {
        if let branch { return "\(numericString) (\(branch))" }
        return numericString
    }

    /// A single 64-bit key that orders exactly like the four components (for SQL comparisons).
    public var sortKey: Int64 {
        (Int64(major) << 48) | (Int64(minor) << 32) | (Int64(build) << 16) | Int64(revision)
    }

    /// Rebuilds a version from ``sortKey``.
    public init(sortKey: Int64, branch: String? = nil) {
        self.init(Int((sortKey >> 48) & 0xFFFF), Int((sortKey >> 32) & 0xFFFF),
                  Int((sortKey >> 16) & 0xFFFF), Int(sortKey & 0xFFFF), branch: branch)
    }

    /// Component-wise order, the comparison a hotfix check makes ("at least the required version").
    public static func < (lhs: FileVersion, rhs: FileVersion) -> Bool { lhs.sortKey < rhs.sortKey }

    /// Versions are equal when their numbers are; the branch tag is evidence, not identity.
    public static func == (lhs: FileVersion, rhs: FileVersion) -> Bool { lhs.sortKey == rhs.sortKey }
    /// Hashes the numbers only, consistent with ``==`` ignoring the branch.
    public func hash(into hasher: inout Hasher) { hasher.combine(sortKey) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, CR and LF (Foundation-free).
    public func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{00A0}" }
        var start = startIndex
        var end = endIndex
        while start < end, isSpace(self[start]) { start = index(after: start) }
        while end > start, isSpace(self[index(before: end)]) { end = index(before: end) }
        return Substring(self[start..<end])
    }
}
