import Foundation
import TestHarness
import Testing

@Suite struct InventoryWarningCLITests {
    static let systeminfo = """
        Host Name:           SRV01
        OS Name:             Microsoft(R) Windows(R) Server 2003, Standard Edition
        OS Version:          5.2.3790 Service Pack 2 Build 3790
        OS Manufacturer:     Microsoft Corporation
        System Type:         X86-based PC
        Hotfix(s):           2 Hotfix(s) Installed.
                             [01]: File 1
                             [02]: KB912341 - Update

        """

    @Test func hotfixEntryWithoutKBIsAWarningWithItsLineAndTheImportSucceeds() async throws { try await offCooperativePool { try hotfixEntryWithoutKBIsAWarningBody() } }
    func hotfixEntryWithoutKBIsAWarningBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let file = cli.directory + "/srv01-systeminfo.txt"
        try Self.systeminfo.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try cli.run(["import-inventory", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(file):7: warning: hotfix entry 'File 1' names no KB number; kept as text"))
        #expect(result.stdout.contains("1 hotfixes, 1 hotfix entries without a KB kept as text"))
    }

    @Test func redactedHostRefusesNamingHostAndImportsWithIt() async throws { try await offCooperativePool { try redactedHostBody() } }
    func redactedHostBody() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let file = cli.directory + "/capture.txt"
        try Self.systeminfo.replacingOccurrences(of: "SRV01", with: "...").write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try cli.run(["import-inventory", file])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\(file):1: host name '...' is not a host name (redacted?); pass --host NAME"))
        #expect(try cli.run(["import-inventory", file, "--host", "srv01"]).status == 0)
    }
}
