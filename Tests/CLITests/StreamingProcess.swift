import Foundation

/// The built `hotfix-audit` run with its stdout and stderr on pipes, read while it runs — as a
/// script reading a long-running command's lines would: lines can be awaited one by one, with
/// deadlines, and the process checked, stopped or killed meanwhile.
final class StreamingProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var output = [Data(), Data()]
    private var readers = 2
    /// When each stream's first complete line arrived, and whether the process was still running then.
    private var firstLines: [(at: ContinuousClock.Instant, running: Bool)?] = [nil, nil]

    enum Stream: Int { case stdout = 0, stderr = 1 }

    init(_ arguments: [String], in cli: CLIRunner) throws {
        process.executableURL = URL(fileURLWithPath: CLIRunner.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cli.directory)
        var environment = ProcessInfo.processInfo.environment
        environment["HOTFIX_AUDIT_DB"] = cli.database
        process.environment = environment
        let pipes = [Pipe(), Pipe()]
        process.standardOutput = pipes[0]
        process.standardError = pipes[1]
        try process.run()
        for (index, pipe) in pipes.enumerated() {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    lock.withLock {
                        output[index].append(data)
                        if firstLines[index] == nil, output[index].contains(0x0A) {
                            firstLines[index] = (ContinuousClock.now, process.isRunning)
                        }
                    }
                }
                lock.withLock { readers -= 1 }
            }
        }
    }

    var isRunning: Bool { process.isRunning }
    var processIdentifier: Int32 { process.processIdentifier }
    var terminationReason: Process.TerminationReason { process.terminationReason }

    /// When the first complete line of `stream` arrived and whether the process still ran then; nil before.
    func firstLineArrival(_ stream: Stream) -> (at: ContinuousClock.Instant, running: Bool)? {
        lock.withLock { firstLines[stream.rawValue] }
    }

    /// Everything read from `stream` so far.
    func text(_ stream: Stream) -> String {
        lock.withLock { String(decoding: output[stream.rawValue], as: UTF8.self) }
    }

    /// The complete lines (ending in a newline) read from `stream` so far.
    func lines(_ stream: Stream) -> [String] {
        let text = text(stream)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // the part after the last newline is not a complete line yet
        return lines
    }

    /// Waits until a complete line of `stream` satisfies `predicate`; nil when `timeout` passes first.
    func waitForLine(_ stream: Stream, timeout: Duration, where predicate: (String) -> Bool) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = lines(stream).first(where: predicate) { return line }
            if ContinuousClock.now >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Waits up to `timeout` for the process to exit; its status, or nil while it still runs.
    func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            usleep(10_000)
        }
        process.waitUntilExit()
        // Let the readers drain what the process wrote before it exited.
        let drained = ContinuousClock.now + .seconds(5)
        while lock.withLock({ readers > 0 }) && ContinuousClock.now < drained { usleep(5_000) }
        return process.terminationStatus
    }

    /// Sends `signal` (SIGKILL by default: nothing runs after it) and waits for the exit.
    func kill(_ signal: Int32 = SIGKILL) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
        _ = waitForExit(timeout: .seconds(30))
    }
}
