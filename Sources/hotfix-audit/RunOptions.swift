import ArgumentParser
import AuditCore
import AuditReport
import AuditStore
import Foundation
import ImportSupport

/// Options of a command that makes an assessment run (`assess`, `scan`): how many runs to keep, the
/// waivers to apply, and what fails the exit code.
struct RunOptions: ParsableArguments {
    @Option(help: "Keep the newest N assessment runs (older runs and their results are deleted); reports compare a run with the one before it.")
    var keepRuns = 30

    @Option(help: "Waiver file (CSV: host,kb,expires,owner,reason): matching non-compliant results become accepted-risk until they expire.")
    var waivers: String?

    @Option(help: "What makes the exit code 3: any non-compliant host (any), or only something that became non-compliant since the previous run (new).")
    var failOn: FailOn = .any

    /// When the exit code is 3.
    enum FailOn: String, ExpressibleByArgument, CaseIterable {
        case any, new
    }

    func validate() throws {
        guard keepRuns >= 1 else { throw ValidationError("--keep-runs must be at least 1 (the run being made)") }
    }

    /// The waiver file, read and checked (a bad line is `file:line: reason`).
    func waiverFile() throws -> WaiverFile? {
        guard let path = waivers else { return nil }
        let parsed = try WaiverFileParser.parse(path: path)
        return WaiverFile(path: path, sha256: parsed.sha256, waivers: parsed.waivers)
    }

    /// The exit code of a run: by ``failOn``, from the run's counts or from what changed since the run before.
    func exitCode(_ summary: AssessmentSummary, store: any AuditStore) throws -> Int32 {
        switch failOn {
        case .any:
            return summary.exitCode
        case .new:
            let changes = try store.withSnapshot { snapshot in
                try StoreReportSource(snapshot: snapshot, database: store.location, toolVersion: HotfixAudit.version, generatedAt: summary.at)
                    .changes()
            }
            // The first run has nothing to compare with: everything non-compliant in it is new.
            guard let changes else { return summary.exitCode }
            return changes.addsNonCompliance ? 3 : 0
        }
    }
}

extension RunOptions {
    /// Lists, after a run with waivers, how many results they accepted and which waivers need
    /// attention (expired, or in force but unused): on stderr, so `--json` output stays one document.
    func printWaivers(store: any AuditStore) throws {
        guard waivers != nil, let stored = try store.withSnapshot({ try $0.waivers(run: nil) }) else { return }
        var lines = ["Waivers (\(TerminalText.escaped(stored.file ?? "-"))): \(stored.acceptedResults) result(s) accepted as risks"]
        for item in stored.waivers where item.state != .applied {
            let (waiver, state) = (item.waiver, item.state)
            let what = switch state {
            case .expiredNeeded: "expired \(waiver.expires.dateString), no longer hides a non-compliant result"
            case .expired: "expired \(waiver.expires.dateString)"
            case .unused: "in force but matched no non-compliant result"
            case .applied: ""
            }
            lines.append("  \(TerminalText.escaped(waiver.place)) \(TerminalText.escaped(waiver.hostPattern)) \(waiver.kbText) (\(TerminalText.escaped(waiver.owner))): \(what)")
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
