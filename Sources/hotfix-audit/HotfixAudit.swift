import ArgumentParser
import AuditCore
import AuditEngine
import AuditStore
import AuditStoreSQLite
import CStdio
import Foundation
import Logging

/// The `hotfix-audit` command: is this hotfix really in place, fleet-wide?
@main
struct HotfixAudit: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "hotfix-audit",
        abstract: "Checks whether Windows hotfixes are really in place: file evidence, SMTP probe, audit reports.",
        discussion: """
            Typical run:
              hotfix-audit import-manifest data/manifests/KB912341.txt
              hotfix-audit import-inventory data/inventories/*
              hotfix-audit assess
              hotfix-audit report --format html,xml
            Or everything at once on bundled data and a simulated fleet: hotfix-audit demo

            Exit codes: 0 compliant, 3 non-compliant hosts found, 2 usage error, 1 failure.
            """,
        version: version,
        subcommands: commandList
    )

    /// Maps errors to the documented exit codes: usage errors 2, failures 1.
    static func main() async {
        // Every line reaches a pipe or file at once: scripts wait for per-host lines of long runs.
        hotfix_audit_line_buffer_stdout()
        // Libraries log through swift-log; only warnings reach the terminal unless HOTFIX_AUDIT_LOG asks for more.
        let level = ProcessInfo.processInfo.environment["HOTFIX_AUDIT_LOG"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch let error as ImportError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            Foundation.exit(1)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("hotfix-audit: \(error)\n".utf8))
            Foundation.exit(1)
        } catch let error as CommandFailure {
            FileHandle.standardError.write(Data("hotfix-audit: \(error.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 0 {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = fullMessage(for: error)
            if code == .validationFailure || error is ValidationError || code.rawValue == 64 {
                FileHandle.standardError.write(Data("\(message)\n".utf8))
                Foundation.exit(2)
            }
            FileHandle.standardError.write(Data("hotfix-audit: \(message.isEmpty ? String(describing: error) : message)\n".utf8))
            Foundation.exit(1)
        }
    }
}

/// A failure with a message for the user (exit 1).
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

