import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
import Foundation
import ManifestImport

struct ImportManifestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-manifest",
        abstract: "Imports the file-information tables of KB articles into the store.",
        discussion: """
            Example:
              hotfix-audit import-manifest data/manifests/KB912341.txt
              hotfix-audit import-manifest notes.txt --kb KB912341 --requires-sp 1
              hotfix-audit import-manifest Q325571.TXT --product "Windows 2000" --platform x86
              hotfix-audit import-manifest a.txt b.txt --product-for b.txt="Exchange Server 5.5"
            All files are imported in one transaction: a bad row in any file imports nothing.
            Re-importing a KB replaces its rows.
            Rows under no product heading get --product; without it the product is inferred from
            the file versions' Windows build (5.0.2195 = Windows 2000) or the article's applies-to
            list, and the output says which rows were inferred.
            """)

    @Argument(help: "KB text files (the article's File information section).")
    var files: [String]

    @Option(help: "KB number when neither the text nor the file name says it (KB912341, 912341, Q912341).")
    var kb: String?

    @Option(name: .customLong("requires-sp"), help: "Prerequisite service pack level when the text does not say it.")
    var requiresSP: Int?

    @Option(help: "Input format: \(ManifestFormat.allCases.map(\.rawValue).joined(separator: "|")).")
    var format: String = "auto"

    @Option(help: "Product for rows whose table names none, in every file (\"Windows 2000\", \"Exchange Server 5.5\").")
    var product: String?

    @Option(name: .customLong("product-for"), help: "Product for one file only: FILE=NAME (repeatable; wins over --product).")
    var productFor: [String] = []

    @Option(help: "Platform for rows whose table names none: \(Platform.allCases.map(\.rawValue).joined(separator: ", ")).")
    var platform: String?

    @Flag(name: .customLong("skip-bad-rows"),
          help: "Import the readable rows of a table whose other rows cannot be read (e.g. a last row cut off), listing those skipped.")
    var skipBadRows = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let kb, KBNumber(kb) == nil { throw ValidationError("--kb '\(kb)' is not a KB number (e.g. KB912341)") }
        if ManifestFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of \(ManifestFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let requiresSP, !(0...9).contains(requiresSP) { throw ValidationError("--requires-sp must be 0...9") }
        if let product, ManifestImporter.product(named: product) == nil { throw ValidationError("--product '\(product)' names no product") }
        if let platform, Platform(spelling: platform) == nil {
            throw ValidationError("--platform '\(platform)' is not one of \(Platform.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for item in productFor {
            guard let equals = item.lastIndex(of: "="), files.contains(String(item[..<equals])),
                  ManifestImporter.product(named: String(item[item.index(after: equals)...])) != nil else {
                throw ValidationError("--product-for '\(item)' must be FILE=NAME with FILE one of the files given")
            }
        }
    }

    func run() async throws {
        var options = ManifestImportOptions(format: ManifestFormat(rawValue: format) ?? .auto,
                                            kb: kb.flatMap { KBNumber($0) }, requiresServicePack: requiresSP,
                                            product: product.flatMap { ManifestImporter.product(named: $0) },
                                            platform: platform.flatMap { Platform(spelling: $0) })
        options.skipBadRows = skipBadRows
        var perFile: [String: Product] = [:]
        for item in productFor {
            if let equals = item.lastIndex(of: "="), let named = ManifestImporter.product(named: String(item[item.index(after: equals)...])) {
                perFile[String(item[..<equals])] = named
            }
        }
        var importRun = ManifestImportRun(files: files, options: options)
        importRun.productsByFile = perFile
        let (summaries, inferred) = try importRun.runDetailed(on: try database.open())
        for (file, inferences) in inferred where !inferences.isEmpty {
            for line in InferredProduct.summary(inferences) { print("\(file): product inferred: \(line)") }
        }
        for summary in summaries {
            let prerequisite = summary.prerequisiteServicePack.map { "SP\($0)" } ?? "none"
            print("\(summary.kb): \(summary.rowCount) rows (products: \(summary.products.joined(separator: ", ")); "
                  + "platforms: \(summary.platforms.joined(separator: ", ")); prerequisite: \(prerequisite))"
                  + (summary.replacedRows > 0 ? "; replaced \(summary.replacedRows) earlier rows" : ""))
            if let title = summary.title { print("  \(title)") }
        }
    }
}

/// Parses every file first (nothing is written if one is bad), records each with its SHA-256 and the
/// format actually detected, then stores all in one transaction. Shared by `import-manifest` and `scan`.
struct ManifestImportRun {
    var files: [String]
    var options = ManifestImportOptions()
    /// `--product-for FILE=NAME`: a product for one file, over `options.product`.
    var productsByFile: [String: Product] = [:]

    /// `store` is opened only after every file parsed, so bad input leaves no new database behind.
    func run(on store: @autoclosure () throws -> any AuditStore) throws -> [ManifestImportSummary] {
        try runDetailed(on: try store()).summaries
    }

    /// Like ``run(on:)``, also returning, per file in order, the rows whose product was inferred.
    func runDetailed(on store: @autoclosure () throws -> any AuditStore) throws
        -> (summaries: [ManifestImportSummary], inferred: [(file: String, rows: [InferredProduct])]) {
        var parsed: [(Manifest, SourceFile)] = []
        var inferred: [(file: String, rows: [InferredProduct])] = []
        for file in files {
            var fileOptions = options
            if let product = productsByFile[file] { fileOptions.product = product }
            let (result, sha256) = try FileDigest.readOnce(file) { try ManifestImporter.parseDetailed($0, fileName: file, options: fileOptions) }
            for skipped in result.skipped { Output.status("\(skipped.file):\(skipped.line ?? 0): skipped: \(skipped.reason)") }
            for warning in result.warnings { Output.status("\(warning.file):\(warning.line ?? 0): warning: \(warning.reason)") }
            parsed.append((result.manifest, SourceFile(path: file, sha256: sha256, format: result.format.rawValue)))
            inferred.append((file: file, rows: result.inferredProducts))
        }
        return (try store().importManifests(parsed), inferred)
    }
}

struct ManifestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifests",
        abstract: "Lists the KBs in the store.",
        discussion: "Example:\n  hotfix-audit manifests --json")

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let kbs = try database.open().storedKBs()
        if json { return try Output.json(kbs) }
        if kbs.isEmpty { return print("No manifests yet: run `hotfix-audit import-manifest FILE`.") }
        print(Output.table(["KB", "rows", "prereq", "imported", "title"], kbs.map {
            [$0.kb, String($0.rowCount), $0.prerequisiteServicePack.map { "SP\($0)" } ?? "-", $0.importedAt, $0.title ?? ""]
        }))
    }
}

/// A manifest row as `manifest --json` prints it.
struct ManifestRowJSON: Encodable {
    var product: String
    var platform: String
    var wow: Bool
    var servicePack: String?
    var branch: String?
    var file: String
    var version: String
    var versionText: String
    var size: Int?
    var timestamp: String?
    var line: Int
    /// The folder a `File name and path` cell gave, as written.
    var directory: String?
}

struct ManifestJSON: Encodable {
    var kb: String
    var title: String?
    var prerequisiteServicePack: String?
    var rows: [ManifestRowJSON]
}

struct ManifestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "Shows the file rows of one KB.",
        discussion: "Example:\n  hotfix-audit manifest KB912341 --json")

    @Argument(help: "KB number (KB912341, 912341, Q912341).") var kb: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if KBNumber(kb) == nil { throw ValidationError("'\(kb)' is not a KB number (e.g. KB912341)") }
    }

    func run() async throws {
        let number = KBNumber(kb)!
        guard let manifest = try database.open().manifest(number) else { throw StoreError.unknownKB(number) }
        if json {
            return try Output.json(ManifestJSON(
                kb: manifest.kb.description, title: manifest.title,
                prerequisiteServicePack: manifest.prerequisiteServicePack.map { "SP\($0)" },
                rows: manifest.rows.map {
                    ManifestRowJSON(product: $0.product.name, platform: $0.platform.rawValue, wow: $0.isWOW,
                                    servicePack: $0.servicePack.map { ServicePack(level: $0).description }, branch: $0.branch,
                                    file: $0.fileName, version: $0.version?.description ?? "", versionText: $0.versionText,
                                    size: $0.size, timestamp: $0.timestamp?.iso8601, line: $0.line, directory: $0.directory)
                }))
        }
        print("\(manifest.kb)\(manifest.title.map { ": \($0)" } ?? "")")
        print("Prerequisite: \(manifest.prerequisiteServicePack.map { "SP\($0)" } ?? "none")")
        print(Output.table(["product", "platform", "SP", "branch", "file", "version", "size", "date (UTC)"], manifest.rows.map {
            [$0.product.name, $0.platform.rawValue + ($0.isWOW ? " (WOW)" : ""), $0.servicePack.map { "SP\($0)" } ?? "any",
             $0.branch ?? "-", $0.fileName, $0.versionText, $0.size.map(String.init) ?? "-", $0.timestamp?.iso8601 ?? "-"]
        }))
    }
}
