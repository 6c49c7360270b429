import Foundation
import TestHarness
import Testing

/// A long-running command started by a script, with stdout a pipe: the script sees each line when it
/// is printed, not when the process exits (issue 12, point 2).
final class PipedProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private let lineArrived = DispatchSemaphore(value: 0)
    private var stdoutBytes: [UInt8] = []
    private var stderrBytes: [UInt8] = []
    /// When the first complete stdout line arrived, and whether the process was still running then.
    private(set) var firstLineAt: Date?
    private(set) var runningAtFirstLine = false
    /// When stderr's first complete line arrived.
    private(set) var firstStatusAt: Date?

    init(_ arguments: [String], directory: String) throws {
        process.executableURL = URL(fileURLWithPath: CLIRunner.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        drain(out.fileHandleForReading, stdout: true)
        drain(err.fileHandleForReading, stdout: false)
    }

    private func drain(_ handle: FileHandle, stdout: Bool) {
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                lock.withLock {
                    if stdout {
                        stdoutBytes += data
                        if firstLineAt == nil, stdoutBytes.contains(0x0A) {
                            firstLineAt = Date()
                            runningAtFirstLine = process.isRunning
                            lineArrived.signal()
                        }
                    } else {
                        stderrBytes += data
                        if firstStatusAt == nil, stderrBytes.contains(0x0A) { firstStatusAt = Date() }
                    }
                }
            }
            if stdout { lineArrived.signal() }
        }
        thread.start()
    }

    /// The first stdout line, waiting at most `timeout`; nil when none came (or stdout closed first).
    func firstLine(timeout: TimeInterval) -> String? {
        _ = lineArrived.wait(timeout: .now() + timeout)
        return lock.withLock {
            guard let end = stdoutBytes.firstIndex(of: 0x0A) else { return nil }
            return String(decoding: stdoutBytes[..<end], as: UTF8.self)
        }
    }

    var stderr: String { lock.withLock { String(decoding: stderrBytes, as: UTF8.self) } }

    /// SIGTERM until the process exits (a signal that arrives while the command is still installing
    /// its handlers may be ignored), SIGKILL after 10 s; then waits for the exit.
    func terminate() {
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline {
            kill(process.processIdentifier, SIGTERM)
            Thread.sleep(forTimeInterval: 0.2)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

@Suite(.timingSensitive) struct PipedOutputCLITests {
    @Test func labResponderPrintsItsRecipientAtOnceThroughAPipe() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let started = Date()
        let responder = try PipedProcess(["lab", "responder", "--listen", "127.0.0.1:0", "--duration", "60s"], directory: cli.directory)
        defer { responder.terminate() }
        let line = try #require(responder.firstLine(timeout: 20), "no stdout line while running; stderr: \(responder.stderr)")
        #expect(line.hasPrefix("probe+") && line.hasSuffix("@probe.bench.test"), "\(line)")
        // The line came while the responder runs (it would run 60 s more), not at its exit ...
        #expect(responder.runningAtFirstLine)
        // ... and within a second of the responder being up (its stderr status follows the line).
        let lineAt = try #require(responder.firstLineAt)
        if let statusAt = responder.firstStatusAt { #expect(abs(lineAt.timeIntervalSince(statusAt)) < 1, "line vs status") }
        #expect(lineAt.timeIntervalSince(started) < 10, "first line after \(lineAt.timeIntervalSince(started)) s")
        responder.terminate()
        #expect(responder.process.terminationStatus == 0 || responder.process.terminationReason == .uncaughtSignal)
    }

    /// One SIGTERM sent the moment the ready line appears stops the command: the signal handlers are
    /// armed before that line is printed (before, a signal in that window was ignored and the
    /// responder ran its whole --duration).
    @Test func oneSigtermRightAfterTheReadyLineStopsTheResponder() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let responder = try PipedProcess(["lab", "responder", "--listen", "127.0.0.1:0", "--duration", "60s"], directory: cli.directory)
        defer { responder.terminate() }
        _ = try #require(responder.firstLine(timeout: 20), "no stdout line while running; stderr: \(responder.stderr)")
        let sent = Date()
        kill(responder.process.processIdentifier, SIGTERM)
        while responder.process.isRunning && Date().timeIntervalSince(sent) < 15 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!responder.process.isRunning, "still running 15 s after one SIGTERM")
        #expect(Date().timeIntervalSince(sent) < 15)
    }
}

extension DemoCLITests {
    /// Runs inside the serialized demo suite: the demo's lab binds the fixed 127.0.42.x:2525 addresses.
    @Test func demoPrintsItsFirstLineAtOnceThroughAPipe() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let started = Date()
        let demo = try PipedProcess(["demo", "--data", CLIRunner.repo("data"), "--out", cli.directory + "/reports"], directory: cli.directory)
        defer { demo.terminate() }
        let line = try #require(demo.firstLine(timeout: 30), "no stdout line; stderr: \(demo.stderr)")
        #expect(line.hasPrefix("hotfix-audit demo: KB912341 and KB935683 against"), "\(line)")
        #expect(demo.runningAtFirstLine, "the first line arrived only at exit")
        let lineAt = try #require(demo.firstLineAt)
        #expect(lineAt.timeIntervalSince(started) < 10, "first line after \(lineAt.timeIntervalSince(started)) s")
    }
}
