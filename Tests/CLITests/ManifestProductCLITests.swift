import Foundation
import TestHarness
import Testing

/// `import-manifest --product/--product-for/--platform` for tables that name no product, the line naming rows
/// whose product was inferred, and the refusal that says which option fixes it.
@Suite struct ManifestProductCLITests {
    /// An old-style table under no heading, with versions of `build`.
    static func article(kb: Int, build: String) -> String {
        """
        Q\(kb): sample fix

           Date      Time    Version      Size     File name     Platform
           --------------------------------------------------------------
           11/22/99  06:31p  \(build).10    329,024  Asp.dll       x86
           11/22/99  06:33p  \(build).10    549,648  Asp.dll       Alpha

        """
    }

    static func write(_ text: String, _ name: String, in cli: CLIRunner) throws -> String {
        let path = cli.directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func productAndPlatformOptionsApplyToTablesThatNameNeither() async throws { try await offCooperativePool { try productAndPlatformOptionsBody() } }
    func productAndPlatformOptionsBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let text = "Q100021: sample\n\n   Version        File name\n   ------------------------\n   3.1.40.2       Tool.dll\n"
        let file = try Self.write(text, "Q100021.TXT", in: cli)
        let imported = try cli.run(["import-manifest", file, "--product", "Microsoft Internet Information Server version 4.0", "--platform", "alpha"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("KB100021: 1 rows (products: IIS 4.0; platforms: Alpha;"))
        #expect(!imported.stdout.contains("product inferred"))
        let shown = try cli.run(["manifest", "KB100021", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let rows = try #require(object?["rows"] as? [[String: Any]])
        #expect(rows.map { $0["product"] as? String } == ["IIS 4.0"])
        #expect(rows.map { $0["platform"] as? String } == ["Alpha"])
    }

    @Test func inferredProductsAreNamedWithTheirRowsAndSource() async throws { try await offCooperativePool { try inferredProductsBody() } }
    func inferredProductsBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let file = try Self.write(Self.article(kb: 100022, build: "5.0.2195"), "Q100022.TXT", in: cli)
        let imported = try cli.run(["import-manifest", file])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("\(file): product inferred: Windows 2000 for 2 rows (lines 5-6) from file version build 5.0.2195"))
        #expect(imported.stdout.contains("KB100022: 2 rows (products: Windows 2000; platforms: x86, Alpha;"))
    }

    @Test func tableNamingNothingIsRefusedNamingTheOptionAndStoresNothing() async throws { try await offCooperativePool { try refusalBody() } }
    func refusalBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let good = try Self.write(Self.article(kb: 100023, build: "5.1.2600"), "Q100023.TXT", in: cli)
        let bad = try Self.write(Self.article(kb: 100024, build: "3.1.40"), "Q100024.TXT", in: cli)
        let refused = try cli.run(["import-manifest", good, bad])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\(bad):5: no product for Asp.dll"))
        #expect(refused.stderr.contains("pass --product NAME"))
        let listed = try cli.run(["manifests"])
        #expect(!listed.stdout.contains("KB100023"))
        // Naming the product for that one file imports both.
        let fixed = try cli.run(["import-manifest", good, bad, "--product-for", "\(bad)=SMS 1.2"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdout.contains("KB100023: 2 rows (products: Windows XP;"))
        #expect(fixed.stdout.contains("KB100024: 2 rows (products: SMS 1.2;"))
    }

    @Test func unknownPlatformOrUnmatchedProductForIsAUsageError() async throws { try await offCooperativePool { try usageBody() } }
    func usageBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let file = try Self.write(Self.article(kb: 100025, build: "5.0.2195"), "Q100025.TXT", in: cli)
        let platform = try cli.run(["import-manifest", file, "--platform", "MIPS"])
        #expect(platform.status != 0)
        // ArgumentParser refuses the value itself now (typed option), listing the canonical names.
        #expect(platform.status == 2)
        #expect(platform.stderr.contains("The value 'MIPS' is invalid for '--platform <platform>'. Please provide one of 'x86', 'x64', 'IA-64' or 'Alpha'."),
                "\(platform.stderr)")
        let other = try cli.run(["import-manifest", file, "--product-for", "other.txt=IIS 4.0"])
        #expect(other.status != 0)
        #expect(other.stderr.contains("must be FILE=NAME with FILE one of the files given"))
    }
}
