import Foundation
@testable import ManifestImport
import AuditCore

/// Locates test fixtures and bundled data relative to this source file.
enum FixtureSupport {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let manifests = repositoryRoot.appendingPathComponent("data/manifests")

    static func fixturePath(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    static func manifestPath(_ name: String) -> String { manifests.appendingPathComponent(name).path }

    /// Parses an in-memory text as a KB article.
    static func parse(_ text: String, fileName: String = "KB123456.txt",
                      options: ManifestImportOptions = ManifestImportOptions()) throws(ImportError) -> Manifest {
        try ManifestImporter.parse(Array(text.utf8), fileName: fileName, options: options)
    }

    /// The error a parse throws, or nil when it succeeds.
    static func error(_ bytes: [UInt8], fileName: String = "KB123456.txt",
                      options: ManifestImportOptions = ManifestImportOptions()) -> ImportError? {
        do {
            _ = try ManifestImporter.parse(bytes, fileName: fileName, options: options)
            return nil
        } catch {
            return error
        }
    }

    static func error(_ text: String, fileName: String = "KB123456.txt") -> ImportError? {
        error(Array(text.utf8), fileName: fileName)
    }
}

extension ManifestRow {
    /// `Smtpsvc.dll 6.0.3790.2668 x64 668672 2006-03-24T14:12:00Z` — compact form for table tests.
    var summary: String {
        var parts = [product.name, platform.rawValue + (isWOW ? "/WOW" : ""), fileName, version?.numericString ?? "-",
                     size.map(String.init) ?? "-", timestamp?.iso8601 ?? "-"]
        if let servicePack { parts.append("SP\(servicePack)") }
        if let branch { parts.append(branch) }
        return parts.joined(separator: " ")
    }
}
