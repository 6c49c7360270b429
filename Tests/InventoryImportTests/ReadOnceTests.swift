import AuditCore
import Digest
import Foundation
import Testing
@testable import InventoryImport

// Issue 12, point 8: each input is opened and read once; the digest is the one of the bytes parsed.

/// A FIFO in a fresh temp directory, fed `bytes` by a writer thread once a reader opens it.
final class FeedingFIFO: @unchecked Sendable {
    let directory: String
    let path: String
    private let done = DispatchSemaphore(value: 0)

    init(name: String, bytes: [UInt8], chunkDelay: useconds_t = 0) throws {
        signal(SIGPIPE, SIG_IGN)
        directory = NSTemporaryDirectory() + "fifo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/" + name
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        let path = self.path, done = self.done
        Thread.detachNewThread {
            defer { done.signal() }
            // Wait (at most 60 s) for a reader: opening a FIFO for writing without one fails with ENXIO.
            let deadline = Date().addingTimeInterval(60)
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
                let count = min(64 * 1024, bytes.count - offset)
                let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, count) }
                if written <= 0 { return }
                offset += written
                if chunkDelay > 0 { usleep(chunkDelay) }
            }
        }
    }

    /// Waits until the writer has finished (or given up).
    func wait() { done.wait() }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

func sha256Hex(_ bytes: [UInt8]) -> String { SHA256Hasher.digest(bytes).hexString }

@Test func csvFromAFIFOIsReadOnceAndHashed() throws {
    var text = "host,file,version\n"
    for index in 0..<30_000 { text += "web\(index % 7),f\(index).dll,6.0.3790.\(index % 60_000)\n" }
    let bytes = Array(text.utf8)
    let fifo = try FeedingFIFO(name: "fleet.csv", bytes: bytes)
    var files = 0
    let result = try InventoryReader.readOnce(atPath: fifo.path, options: InventoryReadOptions()) { if case .file = $0 { files += 1 } }
    fifo.wait()
    #expect(result.format == .fleetCSV)
    #expect(files == 30_000)
    #expect(result.bytes == bytes.count)
    #expect(result.sha256 == sha256Hex(bytes))
}

@Test func ovalFromAFIFOIsDetectedAndParsedFromTheSameRead() throws {
    let bytes = Array(ovalDocument(ovalSystemInfo + ovalItem(1, size: "483328")).utf8)
    let fifo = try FeedingFIFO(name: "mail07.xml", bytes: bytes, chunkDelay: 1_000)
    var read: [InventoryRecord] = []
    let result = try InventoryReader.readOnce(atPath: fifo.path, options: InventoryReadOptions()) { read.append($0) }
    fifo.wait()
    #expect(result.format == .ovalSystemCharacteristics)
    #expect(read.files.map(\.size) == [483_328])
    #expect(result.sha256 == sha256Hex(bytes))
}

@Test func largeOVALIsReplayedFromItsFirstChunkWithoutReopening() throws {
    // Larger than one chunk: detection reads the first MB, libxml2 must still get every byte once.
    let items = (0..<12_000).map { ovalItem($0).replacingOccurrences(of: "smtpsvc.dll", with: "f\($0).dll") }.joined(separator: "\n")
    let bytes = Array(ovalDocument(ovalSystemInfo + items).utf8)
    #expect(bytes.count > 2 << 20)
    let path = NSTemporaryDirectory() + "oval-\(UUID().uuidString).xml"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    var files = 0
    let result = try InventoryReader.readOnce(atPath: path, options: InventoryReadOptions()) { if case .file = $0 { files += 1 } }
    #expect(files == 12_000)
    #expect(result.bytes == bytes.count)
    #expect(result.sha256 == sha256Hex(bytes))
}

@Test func fileThatGrowsWhileReadIsHashedAsImported() throws {
    let path = NSTemporaryDirectory() + "growing-\(UUID().uuidString).csv"
    defer { try? FileManager.default.removeItem(atPath: path) }
    var text = "host,file,version\n"
    for index in 0..<40_000 { text += "web01,f\(index).dll,6.0.3790.\(index % 60_000)\n" }
    #expect(text.utf8.count > 1 << 20)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let appended = "late01,late.dll,6.0.3790.2668\n"
    var appendedOnce = false
    var hosts: Set<String> = []
    let result = try InventoryReader.readOnce(atPath: path, options: InventoryReadOptions()) { record in
        if case .file(let file) = record { hosts.insert(file.host) }
        guard !appendedOnce else { return }
        appendedOnce = true
        // The first chunk is being parsed; the rest of the file is not read yet.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(appended.utf8))
        try handle.close()
    }
    let final = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(hosts.contains("late01"), "the appended row was imported")
    #expect(result.bytes == final.count)
    #expect(result.sha256 == sha256Hex(final))
    #expect(result.sha256 != sha256Hex(Array(text.utf8)))
}

@Test func emptyResultIsReportedAsZeroRecords() throws {
    let result = try InventoryReader.readOnce(bytes: Array("host,file,version\n".utf8), fileName: "h.csv", options: InventoryReadOptions()) { _ in }
    #expect(result.records == 0)
    #expect(result.format == .fleetCSV)
}

@Test func detectedFormatIsToldBeforeTheFirstRecord() throws {
    var events: [String] = []
    _ = try InventoryReader.readOnce(bytes: Array("host,file,version\nh,a.dll,1.0.0.1\n".utf8), fileName: "f.csv",
                                     options: InventoryReadOptions(), detected: { events.append("format \($0.rawValue)") }) { _ in
        events.append("record")
    }
    #expect(events.first == "format fleet-csv")
    #expect(events.count == 3)
}
