import AuditCore
import Foundation
import Logging
import NIOCore
import NIOPosix
@testable import SMTPProbe

enum TestSupport {
    static var logger: Logger {
        var logger = Logger(label: "smtpprobe.tests")
        logger.logLevel = ProcessInfo.processInfo.environment["PROBE_TEST_LOG"] == nil ? .critical : .debug
        return logger
    }

    /// Starts a responder on `host`, port chosen by the kernel; returns it and the bound port.
    static func responder(host: String, tokens: TokenAuthority, limits: ResponderLimits = ResponderLimits()) async throws -> (ProbeResponder, Int) {
        let responder = ProbeResponder(configuration: ResponderConfiguration(listen: [ListenAddress(host: host, port: 0)],
                                                                             probeDomain: "probe.test", limits: limits),
                                       tokens: tokens, logger: logger)
        let bound = try await responder.start()
        let port = Int(bound[0].split(separator: ":").last!)!
        return (responder, port)
    }

    static func tool(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs a program; returns its exit status and combined output. Killed after `timeout` seconds.
    static func run(_ path: String, _ arguments: [String], timeout: Double = 20) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let output = LockedBox(Data())
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.withLock { $0.append(data) }
        }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in continuation.resume(returning: process.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error); return }
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                kill(pid, SIGKILL)
            }
        }
        pipe.fileHandleForReading.readabilityHandler = nil
        let rest = pipe.fileHandleForReading.readDataToEndOfFile()
        let text = output.withLock { data -> String in data.append(rest); return String(decoding: data, as: UTF8.self) }
        return (status, text)
    }
}
