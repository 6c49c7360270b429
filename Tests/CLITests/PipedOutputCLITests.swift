import Foundation
import TestHarness
import Testing

/// A long-running command started by a script, with stdout a pipe: the script sees each line when it
/// is printed, not when the process exits (issue 12, point 2). Processes run through ``StreamingProcess``.
@Suite(.timingSensitive) struct PipedOutputCLITests {
    @Test func labResponderPrintsItsRecipientAtOnceThroughAPipe() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let started = ContinuousClock.now
        let responder = try StreamingProcess(["lab", "responder", "--listen", "127.0.0.1:0", "--duration", "60s"], in: cli)
        defer { responder.kill() }
        let line = try #require(responder.waitForLine(.stdout, timeout: .seconds(20)) { _ in true },
                                "no stdout line while running; stderr: \(responder.text(.stderr))")
        #expect(line.hasPrefix("probe+") && line.hasSuffix("@probe.bench.test"), "\(line)")
        // The line came while the responder runs (it would run 60 s more), not at its exit ...
        let first = try #require(responder.firstLineArrival(.stdout))
        #expect(first.running)
        // ... and within a second of the responder being up (its stderr status follows the line).
        _ = responder.waitForLine(.stderr, timeout: .seconds(5)) { _ in true }
        if let status = responder.firstLineArrival(.stderr) {
            #expect(abs((first.at - status.at) / .seconds(1)) < 1, "line vs status")
        }
        #expect(first.at - started < .seconds(10), "first line after \(first.at - started)")
        responder.kill(SIGTERM)
        // Exited at all first: `terminationReason` of a process still running stops the test process
        // (seen on a loaded machine, where the responder took more than the 1 s this waited).
        let status = responder.waitForExit(timeout: .seconds(15))
        #expect(status != nil, "still running 15 s after SIGTERM")
        if status != nil { #expect(status == 0 || responder.terminationReason == .uncaughtSignal) }
    }

    /// One SIGTERM sent the moment the ready line appears stops the command: the signal handlers are
    /// armed before that line is printed (before, a signal in that window was ignored and the
    /// responder ran its whole --duration).
    @Test func oneSigtermRightAfterTheReadyLineStopsTheResponder() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let responder = try StreamingProcess(["lab", "responder", "--listen", "127.0.0.1:0", "--duration", "60s"], in: cli)
        defer { responder.kill() }
        _ = try #require(responder.waitForLine(.stdout, timeout: .seconds(20)) { _ in true },
                         "no stdout line while running; stderr: \(responder.text(.stderr))")
        kill(responder.processIdentifier, SIGTERM)
        #expect(responder.waitForExit(timeout: .seconds(15)) != nil, "still running 15 s after one SIGTERM")
    }
}

extension DemoCLITests {
    /// Runs inside the serialized demo suite: the demo's lab binds the fixed 127.0.42.x:2525 addresses.
    @Test func demoPrintsItsFirstLineAtOnceThroughAPipe() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let started = ContinuousClock.now
        let demo = try StreamingProcess(["demo", "--data", CLIRunner.repo("data"), "--out", cli.directory + "/reports"], in: cli)
        defer { demo.kill() }
        let line = try #require(demo.waitForLine(.stdout, timeout: .seconds(30)) { _ in true }, "no stdout line; stderr: \(demo.text(.stderr))")
        #expect(line.hasPrefix("hotfix-audit demo: KB912341 and KB935683 against"), "\(line)")
        let first = try #require(demo.firstLineArrival(.stdout))
        #expect(first.running, "the first line arrived only at exit")
        #expect(first.at - started < .seconds(10), "first line after \(first.at - started)")
    }
}
