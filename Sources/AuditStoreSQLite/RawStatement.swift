import GRDB
import GRDBSQLite

// Raw sqlite3 calls for the store's bulk paths (a million rows per import or assessment): binding,
// stepping and reading columns without GRDB's per-row argument arrays and Row objects. Errors carry
// SQLite's message and the SQL, as GRDB's do.

/// SQLite copies bound text (SQLITE_TRANSIENT, which Swift does not import).
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

@inline(__always)
func bind(_ statement: SQLiteStatement, _ index: Int32, _ value: String?) {
    if let value { sqlite3_bind_text(statement, index, value, -1, sqliteTransient) } else { sqlite3_bind_null(statement, index) }
}

@inline(__always)
func bind(_ statement: SQLiteStatement, _ index: Int32, _ value: Int?) {
    if let value { sqlite3_bind_int64(statement, index, Int64(value)) } else { sqlite3_bind_null(statement, index) }
}

/// The error for a failed step of `statement` (and resets it).
func stepError(_ code: Int32, _ statement: Statement, _ db: Database) -> DatabaseError {
    let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
    sqlite3_reset(statement.sqliteStatement)
    return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
}

/// Runs a bound insert or update to completion.
func stepToDone(_ statement: Statement, _ db: Database) throws {
    let code = sqlite3_step(statement.sqliteStatement)
    guard code == SQLITE_DONE else { throw stepError(code, statement, db) }
}

@inline(__always)
func columnText(_ statement: SQLiteStatement, _ index: Int32) -> String? {
    guard let text = sqlite3_column_text(statement, index) else { return nil }
    return String(cString: text)
}

@inline(__always)
func columnInt(_ statement: SQLiteStatement, _ index: Int32) -> Int? {
    sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(statement, index))
}
