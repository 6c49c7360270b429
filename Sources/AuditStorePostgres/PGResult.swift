import CLibPQ

/// The rows of one statement (text format), with typed accessors; freed with the value.
public final class PGResult: @unchecked Sendable {
    let raw: OpaquePointer

    init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { PQclear(raw) }

    /// Rows returned.
    public var count: Int { Int(PQntuples(raw)) }
    /// Rows changed by an INSERT, UPDATE, DELETE or COPY (0 when the statement reports none).
    public var changes: Int { Int(String(cString: PQcmdTuples(raw))) ?? 0 }

    /// The text of (row, column); nil for SQL NULL.
    public func string(_ row: Int, _ column: Int) -> String? {
        if PQgetisnull(raw, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(raw, Int32(row), Int32(column)))
    }

    /// An integer column; nil for NULL (a non-integer text is a programming error: the SQL chose the type).
    public func int(_ row: Int, _ column: Int) -> Int? { string(row, column).flatMap { Int($0) } }
    /// A 64-bit integer column.
    public func int64(_ row: Int, _ column: Int) -> Int64? { string(row, column).flatMap { Int64($0) } }
    /// A double precision column.
    public func double(_ row: Int, _ column: Int) -> Double? { string(row, column).flatMap { Double($0) } }
    /// A boolean column (`t`/`f`).
    public func bool(_ row: Int, _ column: Int) -> Bool? { string(row, column).map { $0 == "t" } }
}

/// A value sent as a statement parameter, in PostgreSQL's text form.
public protocol PGParameter {
    /// The text PostgreSQL parses for the parameter's type.
    var pgText: String { get }
}

extension String: PGParameter { public var pgText: String { self } }
extension Substring: PGParameter { public var pgText: String { String(self) } }
extension Int: PGParameter { public var pgText: String { String(self) } }
extension Int64: PGParameter { public var pgText: String { String(self) } }
extension Int32: PGParameter { public var pgText: String { String(self) } }
extension Double: PGParameter { public var pgText: String { "\(self)" } }
extension Bool: PGParameter { public var pgText: String { self ? "true" : "false" } }
