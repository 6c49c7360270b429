import Foundation
import TestHarness
import Testing

@Suite struct GeneratorTests {
    /// Every regular file under `directory`, relative path → bytes.
    static func contents(of directory: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = directory + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return result
    }

    @Test func sameSeedWritesTheSameBytesAndAnotherSeedDoesNot() async throws { try await offCooperativePool { try sameSeedWritesTheSameBytesAndAnotherSeedDoesNotBody() } }
    func sameSeedWritesTheSameBytesAndAnotherSeedDoesNotBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        for (out, seed) in [("a", "7"), ("b", "7"), ("c", "8")] {
            let result = try cli.run(["lab", "generate", "--hosts", "300", "--files-per-host", "10", "--seed", seed, "--out", out])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let a = try Self.contents(of: cli.directory + "/a"), b = try Self.contents(of: cli.directory + "/b")
        let c = try Self.contents(of: cli.directory + "/c")
        #expect(a.count >= 1 + 10 + 2)
        #expect(a == b)
        #expect(a["fleet.csv"] != c["fleet.csv"])
        let fleet = String(decoding: try #require(a["fleet.csv"]), as: UTF8.self)
        let lines = fleet.split(separator: "\n")
        #expect(lines.first == "host,address,product,service_pack,arch,path,file,version,hotfix")
        #expect(lines.count == 1 + 300 * 10)
        #expect(a.keys.filter { $0.hasPrefix("manifests/KB") && $0.hasSuffix(".txt") }.count == 10)
        #expect(a.keys.contains { $0.hasSuffix("-versioninfo.csv") })
        #expect(a.keys.contains { $0.hasSuffix("-osquery.json") })
    }

    @Test func generatedFleetImportsAndAssessesToSeveralVerdicts() async throws { try await offCooperativePool { try generatedFleetImportsAndAssessesToSeveralVerdictsBody() } }
    func generatedFleetImportsAndAssessesToSeveralVerdictsBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["lab", "generate", "--hosts", "500", "--files-per-host", "10", "--seed", "3", "--out", "fleet"]).status == 0)
        let manifests = try FileManager.default.contentsOfDirectory(atPath: cli.directory + "/fleet/manifests").sorted()
            .map { "fleet/manifests/" + $0 }
        let imported = try cli.run(["import-manifest"] + manifests)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("prerequisite: SP1"))
        let inventory = try cli.run(["import-inventory", "fleet/fleet.csv", "fleet/samples"])
        #expect(inventory.status == 0, "\(inventory.stderr)")
        #expect(inventory.stdout.contains("500 host(s) (500 new)"), "\(inventory.stdout)")
        let assessed = try cli.run(["assess", "--json"])
        #expect(assessed.status == 3, "\(assessed.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(assessed.stdout.utf8)) as? [String: Any])
        #expect(json["results"] as? Int == 500 * 10)
        let byVerdict = try #require(json["byVerdict"] as? [String: Int])
        for verdict in ["patched", "vulnerable", "prerequisite-missing", "not-applicable", "unknown"] {
            #expect((byVerdict[verdict] ?? 0) > 0, "no \(verdict) in \(byVerdict)")
        }
    }
}
