import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately dumb blocking TCP client for hostile-peer tests: sends whatever it is told,
/// reads with deadlines, and says whether the server closed the connection.
final class RawClient {
    let fd: Int32
    private(set) var received: [UInt8] = []
    private(set) var closedByPeer = false

    /// `source`: the local address to connect from (another loopback address is another peer).
    init(port: Int, host: String = "127.0.0.1", source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: \(errno)") }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { let code = errno; close(fd); throw Failure("bind \(source): \(code)") }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { let code = errno; close(fd); throw Failure("connect: \(code)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    struct Failure: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    var text: String { String(decoding: received, as: UTF8.self) }

    /// Sends all bytes; false when the peer has closed (EPIPE/ECONNRESET).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { _ = poll(timeoutMilliseconds: 50); continue }
                return false
            }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Sends what the socket takes without blocking; the number of bytes sent (-1 once the peer has
    /// closed or reset the connection).
    func sendWithoutBlocking(_ bytes: [UInt8]) -> Int {
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        if sent >= 0 { return sent }
        return errno == EAGAIN || errno == EINTR ? 0 : -1
    }

    /// Whether the connection has been reset by the peer, without reading any data (a client that
    /// never reads learns of the close only from the socket's error or hang-up state).
    func isResetOrClosed() -> Bool {
        // With unread bytes of ours in its buffer the server's close is a reset: POLLERR / POLLHUP.
        var descriptor = pollfd(fd: fd, events: 0, revents: 0)
        guard Glibc.poll(&descriptor, 1, 0) > 0 else { return false }
        return descriptor.revents & Int16(POLLERR | POLLHUP) != 0
    }

    /// Waits up to `timeoutMilliseconds` for readable data; reads what is there.
    func poll(timeoutMilliseconds: Int) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard Glibc.poll(&descriptor, 1, Int32(timeoutMilliseconds)) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let got = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        if got > 0 { received += buffer[0..<got]; return true }
        if got == 0 || (errno != EAGAIN && errno != EINTR) { closedByPeer = true }
        return false
    }

    /// Reads until `predicate` holds for the text so far, the peer closes, or the deadline passes.
    @discardableResult
    func read(until predicate: (String) -> Bool, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !predicate(text) {
            if closedByPeer || ContinuousClock.now >= deadline { return predicate(text) }
            _ = poll(timeoutMilliseconds: 20)
        }
        return true
    }

    /// Reads until the peer closes or the deadline passes; true when it closed.
    func waitForClose(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !closedByPeer && ContinuousClock.now < deadline { _ = poll(timeoutMilliseconds: 20) }
        return closedByPeer
    }
}

/// Resident set size of this process (VmRSS), in KiB.
func residentKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}
