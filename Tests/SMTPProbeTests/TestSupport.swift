import AuditCore
import Foundation
import Logging
import NIOCore
import NIOPosix
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

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
    /// posix_spawn + waitpid on a plain thread, output through a temp file: daemons that a command
    /// starts (postfix master) may keep inherited descriptors open, which would stall a pipe reader.
    static func run(_ path: String, _ arguments: [String], timeout: Double = 20) async throws -> (Int32, String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("probe-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
                let argv = ([path] + arguments).map { strdup($0) } + [nil]
                defer { argv.forEach { free($0) } }
                var pid: pid_t = 0
                let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
                guard spawned == 0 else {
                    continuation.resume(throwing: POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO))
                    return
                }
                let deadline = Date().addingTimeInterval(timeout)
                var raw: Int32 = 0
                while waitpid(pid, &raw, WNOHANG) == 0 {
                    if Date() > deadline {
                        kill(pid, SIGKILL)
                        _ = waitpid(pid, &raw, 0)
                        break
                    }
                    usleep(20_000)
                }
                // Exit status from the wait status word (WEXITSTATUS); a signal gives 128 + signal.
                let signal = raw & 0x7f
                continuation.resume(returning: signal == 0 ? (raw >> 8) & 0xff : 128 + signal)
            }
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (status, text)
    }
}
