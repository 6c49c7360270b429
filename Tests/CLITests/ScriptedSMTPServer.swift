import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback SMTP host for CLI tests: sends a raw greeting, answers each command line with
/// `reply(line)` (nil: no answer, the host goes silent), and after a `354` swallows message data
/// up to the dot, answered by `reply(".")`. A host that "accepts but never delivers" is one that
/// answers 250 throughout: it queues nothing anywhere.
final class ScriptedSMTPServer: @unchecked Sendable {
    let host: String
    let port: Int
    private let fd: Int32
    private let greeting: [UInt8]
    private let reply: @Sendable (String) -> String?
    private let lock = NSLock()
    private var stopped = false
    private var clients: [Int32] = []

    init(host: String, greeting: [UInt8], reply: @escaping @Sendable (String) -> String?) throws {
        self.host = host
        self.greeting = greeting
        self.reply = reply
        (fd, port) = try Self.listen(host: host)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Greets with 220 and accepts everything (250 to every command, 354 to DATA).
    static func acceptingEverything(host: String) throws -> ScriptedSMTPServer {
        try ScriptedSMTPServer(host: host, greeting: Array("220 sink.example ESMTP\r\n".utf8)) { line in
            line.uppercased() == "DATA" ? "354 go ahead\r\n" : line.uppercased() == "QUIT" ? "221 bye\r\n" : "250 ok\r\n"
        }
    }

    var address: String { "\(host):\(port)" }

    /// A bound, listening socket on `host` (port chosen by the kernel).
    static func listen(host: String) throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, host, &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0, Glibc.listen(fd, 64) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard result == 0 else { close(fd); throw CLIRunnerFailure("listen on \(host): errno \(errno)") }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port on `host` that nothing listens on (bound, then released).
    static func unusedPort(host: String = "127.0.0.1") throws -> Int {
        let (fd, port) = try listen(host: host)
        close(fd)
        return port
    }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { if lock.withLock({ stopped }) { return }; continue }
            lock.withLock { clients.append(client) }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        Self.send(client, greeting)
        var line: [UInt8] = []
        var inData = false
        var byte: UInt8 = 0
        while recv(client, &byte, 1, 0) > 0 {
            guard byte == UInt8(ascii: "\n") else { line.append(byte); continue }
            let text = String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
            line = []
            if inData && text != "." { continue }
            inData = false
            guard let answer = reply(text) else { continue }
            Self.send(client, Array(answer.utf8))
            if answer.hasPrefix("354") { inData = true }
        }
    }

    static func send(_ client: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    func stop() {
        let all = lock.withLock { stopped = true; return clients }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        for client in all { shutdown(client, Int32(SHUT_RDWR)) }
    }
}

/// A blocking SMTP client line by line, to play a host delivering to the responder.
final class LineClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(host: String, port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw CLIRunnerFailure("connect \(host):\(port): errno \(errno)") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) { ScriptedSMTPServer.send(fd, Array(text.utf8)) }

    /// Reads reply lines up to the last one of a reply (`CODE SP…` or a bare code); all of them.
    func readReply() throws -> [String] {
        var lines: [String] = []
        while true {
            let line = try readLine()
            lines.append(line)
            let bytes = Array(line.utf8)
            if bytes.count <= 3 || bytes[3] == UInt8(ascii: " ") { return lines }
        }
    }

    private func readLine() throws -> String {
        while true {
            if let lf = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[..<lf]
                buffer.removeSubrange(...lf)
                return String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let got = recv(fd, &chunk, chunk.count, 0)
            guard got > 0 else { throw CLIRunnerFailure("connection closed or timed out while reading a reply") }
            buffer += chunk[0..<got]
        }
    }
}

struct CLIRunnerFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
