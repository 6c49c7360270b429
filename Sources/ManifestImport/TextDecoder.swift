import AuditCore
import ImportSupport

/// The manifest importer's view of the shared decoder: whole files as lines, with the manifest limits
/// (``StrictLineOptions/manifest``) and errors naming the file.
enum TextDecoder {
    /// Longest accepted line, in bytes of the source encoding.
    static let maximumLineLength = StrictLineOptions.manifest.maximumLineLength

    static func lines(of bytes: [UInt8], file: String) throws(ImportError) -> [String] {
        do throws(TextDecodingError) {
            return try TextDecoding.strictLines(bytes, options: .manifest)
        } catch {
            throw ImportError(file: file, line: error.line, reason: error.reason)
        }
    }
}
