import ArgumentParser
import AuditCore
import AuditStore
import AuditStoreSQLite
import FeedImport
import Foundation

/// `--supersedence feed|files|both` on the command line.
extension SupersedencePolicy: ExpressibleByArgument {}

struct ImportFeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-feed",
        abstract: "Imports vendor security-update feeds: MSRC CVRF documents, WES-NG definitions CSV.",
        discussion: """
            Example:
              hotfix-audit import-feed cvrfDocument-2017-Mar.xml
              hotfix-audit import-feed cvrfDocument-2017-Mar.xml.xz CVEs_20260628.csv
            The format is recognised from the content (CVRF XML with a cvrfdoc root, or a CSV with
            WES-NG's header); xz-compressed files are unpacked with /usr/bin/xz on the way.
            All files are imported in one transaction: a bad file imports nothing. Re-importing a file
            (same path or same bytes) replaces its rows.
            """)

    @Argument(help: "Feed files (CVRF XML, optionally .xz; WES-NG CSV).")
    var files: [String]

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one feed file (CVRF XML, .xz, or WES-NG CSV)") }
    }

    func run() async throws {
        var parsed: [(FeedDocument, SourceFile)] = []
        for file in files {
            let feed = try FeedImporter.read(path: file)
            for warning in feed.document.warnings { Output.status(warning.description) }
            parsed.append((feed.document, SourceFile(path: file, sha256: feed.sha256, format: feed.document.format.rawValue)))
        }
        let summaries = try database.open().importFeeds(parsed)
        for summary in summaries {
            let document = [summary.documentID, summary.released.map { "released \($0)" }].compactMap { $0 }.joined(separator: ", ")
            print("\(TerminalText.escaped(summary.path)): \(summary.format)\(document.isEmpty ? "" : " (\(TerminalText.escaped(document)))"): "
                  + "\(summary.kbCount) KBs, \(summary.updateCount) KB×product entries, \(summary.cveCount) CVEs, "
                  + "\(summary.remediationCount) remediations, \(summary.supersedenceEdgeCount) supersedence edges"
                  + (summary.replaced ? "; replaced the earlier import" : ""))
        }
    }
}

struct KBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Shows what every source knows about KBs: manifest rows, feed entries, CVEs, supersedence.",
        discussion: """
            Example:
              hotfix-audit kb KB4012212 KB4012215
              hotfix-audit kb 4012215 --json --supersedence feed
            Supersedence lists the feed's edges and those the manifests' files show (files: KB B ships
            every file of KB A at an equal or higher version), and where the two disagree.
            """)

    @Argument(help: "KB numbers (KB4012215, 4012215).") var kbs: [String]
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Which supersedence to trust: feed, files or both (default both; files win where they refute the feed).")
    var supersedence: SupersedencePolicy = .both
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        for kb in kbs where KBNumber(kb) == nil { throw ValidationError("'\(kb)' is not a KB number (e.g. KB4012215)") }
    }

    func run() async throws {
        let store = try database.open()
        let knowledge = try store.feedKnowledge()
        let manifests = try store.allManifests()
        let (graph, disagreements) = knowledge.supersedence(policy: supersedence, manifests: manifests)
        var facts: [KBFacts] = []
        for text in kbs {
            let kb = KBNumber(text)!
            facts.append(KBFacts(kb: kb, manifest: manifests.first { $0.kb == kb }, feed: try store.feedUpdates(kb: kb),
                                 knowledge: knowledge, graph: graph, disagreements: disagreements))
        }
        if json { try Output.json(facts.map(\.json)) } else { for fact in facts { print(fact.text) } }
        let unknown = facts.filter(\.isUnknown).map(\.kb.description)
        if !unknown.isEmpty {
            throw CommandFailure("\(unknown.joined(separator: ", ")): no manifest and no feed entry in the store "
                                 + "(import one with `import-manifest` or `import-feed`)")
        }
    }
}
