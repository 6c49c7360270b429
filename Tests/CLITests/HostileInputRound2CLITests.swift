import Foundation
import TestHarness
import Testing

/// Issue 12, point 8, as a user meets it: FIFOs and `<(…)` import (each input is read once), the stored
/// SHA-256 is the one of the bytes imported, nothing is imported silently, and bad OVAL/CSV input names
/// `FILE:LINE` instead of a raw SQLite error — with the store unchanged.
@Suite(.serialized, .timingSensitive) struct HostileInputRound2CLITests {
    static let sha256sum = ["/usr/bin/sha256sum", "/bin/sha256sum"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `sha256sum` of `bytes` (an independent peer for the digest the tool stores).
    static func peerSHA256(_ bytes: [UInt8], in cli: CLIRunner) throws -> String? {
        guard let tool = sha256sum else { return nil }
        let path = try cli.write("digest-\(UUID().uuidString).bin", bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = [path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: " ").first.map(String.init)
    }

    static func storedSHA256(_ cli: CLIRunner, path: String) throws -> String {
        try StoreState.query(cli.database, "SELECT sha256 FROM import_source WHERE path = '\(path)'")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let fleet: [UInt8] = {
        var text = "host,address,product,service_pack,arch,path,file,version\n"
        for index in 0..<3_000 {
            text += "fifo\(index % 3),127.0.0.\(index % 3 + 2):25,Windows Server 2003,SP1,x86,C:\\WINDOWS\\f\(index).dll,f\(index).dll,6.0.3790.\(index)\n"
        }
        return Array(text.utf8)
    }()

    /// Starts a writer that feeds `bytes` into a new FIFO at `path` once a reader opens it.
    static func feedFIFO(_ path: String, _ bytes: [UInt8]) throws -> DispatchSemaphore {
        signal(SIGPIPE, SIG_IGN)
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { done.signal() }
            let deadline = Date().addingTimeInterval(30)
            var fd: Int32 = -1
            while fd < 0 && Date() < deadline {
                fd = open(path, O_WRONLY | O_NONBLOCK)
                if fd < 0 { usleep(2_000) }
            }
            guard fd >= 0 else { return }
            defer { close(fd) }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, min(16 * 1024, bytes.count - offset)) }
                if written <= 0 { return }
                offset += written
            }
        }
        return done
    }

    @Test func inventoryFromAFIFOImportsAndStoresTheDigestOfTheBytesWritten() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let path = cli.directory + "/fleet.csv"
        let writer = try Self.feedFIFO(path, Self.fleet)
        let started = Date()
        let result = try cli.run(["import-inventory", path], timeout: 30)
        _ = writer.wait(timeout: .now() + 5)
        #expect(Date().timeIntervalSince(started) < 25, "the import hung on the FIFO")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("3000 file versions"), "\(result.stdout)")
        if let expected = try Self.peerSHA256(Self.fleet, in: cli) {
            #expect(try Self.storedSHA256(cli, path: path) == expected)
        } else {
            print("note: sha256sum not installed; skipping the digest comparison")
        }
    }

    @Test func inventoryFromProcessSubstitutionImports() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let source = try cli.write("source.csv", Self.fleet)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "\"$0\" import-inventory <(cat \"$1\") && \"$0\" import-inventory --format fleet-csv <(cat \"$1\")",
                             CLIRunner.executable, source]
        process.currentDirectoryURL = URL(fileURLWithPath: cli.directory)
        var environment = ProcessInfo.processInfo.environment
        environment["HOTFIX_AUDIT_DB"] = cli.database
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let killer = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: killer)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        killer.cancel()
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(stdout.components(separatedBy: "3000 file versions").count == 3, "\(stdout)")
        if let expected = try Self.peerSHA256(Self.fleet, in: cli) {
            let stored = try StoreState.query(cli.database, "SELECT DISTINCT sha256 FROM import_source WHERE path LIKE '/dev/fd/%'")
            #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
        }
    }

    @Test func storedDigestIsTheDigestOfTheImportedFile() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let path = try cli.write("fleet.csv", Self.fleet)
        let result = try cli.run(["import-inventory", path])
        #expect(result.status == 0, "\(result.stderr)")
        guard let expected = try Self.peerSHA256(Self.fleet, in: cli) else {
            print("note: sha256sum not installed; skipping")
            return
        }
        #expect(try Self.storedSHA256(cli, path: path) == expected)
    }

    @Test func manifestFromAFIFOImports() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CLIRunner.repo("data/manifests/KB912341.txt"))))
        let path = cli.directory + "/KB912341.txt"
        let writer = try Self.feedFIFO(path, bytes)
        let result = try cli.run(["import-manifest", path], timeout: 30)
        _ = writer.wait(timeout: .now() + 5)
        #expect(result.status == 0, "\(result.stderr)")
        if let expected = try Self.peerSHA256(bytes, in: cli) {
            #expect(try Self.storedSHA256(cli, path: path) == expected)
        }
    }

    @Test func inventoryWithNoRecordsSaysSo() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let path = try cli.write("empty-fleet.csv", Array("host,file,version\n".utf8))
        let result = try cli.run(["import-inventory", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("empty-fleet.csv: warning: no inventory records"), "\(result.stderr)")
        // A CR-only file is no longer "nothing": its rows are read.
        let mac = try cli.write("mac.csv", Array("host,file,version\rmac01,a.dll,1.0.0.1\rmac02,b.dll,1.0.0.2\r".utf8))
        let macResult = try cli.run(["import-inventory", mac])
        #expect(macResult.status == 0, "\(macResult.stderr)")
        #expect(macResult.stdout.contains("2 file versions"), "\(macResult.stdout)")
        #expect(!macResult.stderr.contains("warning"))
    }

    struct BadCase: CustomStringConvertible {
        var name: String
        var text: String
        var line: Int
        var reason: String
        var description: String { name }
    }

    static let ovalHead = """
        <?xml version="1.0"?>
        <oval_system_characteristics xmlns="http://oval.mitre.org/XMLSchema/oval-system-characteristics-5" \
        xmlns:win-sc="http://oval.mitre.org/XMLSchema/oval-system-characteristics-5#windows">
        <system_info><os_name>Microsoft Windows Server 2003 Service Pack 1</os_name><primary_host_name>oval01</primary_host_name></system_info>

        """

    static func ovalItem(size: String) -> String {
        "<system_data><win-sc:file_item id=\"1\"><win-sc:filepath>C:\\WINDOWS\\system32\\inetsrv\\smtpsvc.dll</win-sc:filepath>"
            + "<win-sc:version>6.0.3790.1830</win-sc:version><win-sc:size>\(size)</win-sc:size></win-sc:file_item></system_data>\n"
            + "</oval_system_characteristics>\n"
    }

    static let badCases: [BadCase] = [
        BadCase(name: "oval-negative-size.xml", text: ovalHead + ovalItem(size: "-5"), line: 4, reason: "bad size '-5'"),
        BadCase(name: "oval-unreadable-size.xml", text: ovalHead + ovalItem(size: "12abc"), line: 4, reason: "bad size '12abc'"),
        BadCase(name: "oval-sp150.xml", text: ovalHead.replacingOccurrences(of: "Service Pack 1", with: "Service Pack 150") + ovalItem(size: "1"),
                line: 3, reason: "bad service pack"),
        BadCase(name: "dotted-host.csv", text: "host,file,version\nweb01,a.dll,1.0.0.1\n...,b.dll,1.0.0.2\n", line: 3, reason: "is empty"),
        BadCase(name: "bare-cr.csv", text: "host,file,version\nweb01,a.dll,1.0.0.1\nweb\r01,b.dll,1.0.0.2\n", line: 3, reason: "carriage return"),
        BadCase(name: "duplicate-key.json", text: "[\n{\"path\":\"C:\\\\a.dll\",\"filename\":\"a.dll\",\"file_version\":\"1.0.0.1\",\n\"file_version\":\"1.0.0.2\"}]\n",
                line: 3, reason: "duplicate key"),
    ]

    @Test func badInputNamesFileAndLineAndLeavesTheStoreUntouched() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try cli.importGoodData()
        let before = try StoreState.read(cli.database)
        for bad in Self.badCases {
            let path = try cli.write(bad.name, Array(bad.text.utf8))
            let result = try cli.run(["import-inventory", path])
            #expect(result.status == 1, "\(bad): exit \(result.status), \(result.stderr)")
            #expect(result.stderr.contains("\(path):\(bad.line):"), "\(bad): \(result.stderr)")
            #expect(result.stderr.contains(bad.reason), "\(bad): \(result.stderr)")
            #expect(!result.stderr.contains("SQLite error"), "\(bad): \(result.stderr)")
            #expect(try StoreState.read(cli.database) == before, "\(bad) changed the store")
        }
    }
}
