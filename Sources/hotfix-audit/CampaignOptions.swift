import ArgumentParser
import AuditStorePostgres
import Foundation

/// `probe --campaign NAME --claim N [--site S] [--lease SECONDS] [--scanner ID]`: this process is one of
/// any number of scanners that share a campaign through a PostgreSQL store. Each claims batches of hosts
/// (`SELECT … FOR UPDATE SKIP LOCKED`), probes them with its own responder, writes the sessions back and
/// renews its lease while it works; a scanner that dies leaves its batch to the others once the lease passes.
struct CampaignOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Join (or start) the shared campaign NAME in a PostgreSQL store (--db postgresql://…) "
                               + "and probe batches of its hosts; other scanners may join the same campaign.", valueName: "name"))
    var campaign: String?

    @Option(help: ArgumentHelp("Hosts claimed per batch (with --campaign).", valueName: "N"))
    var claim = 50

    @Option(help: ArgumentHelp("Claim only hosts whose inventory `site` column is S (case-insensitive; with --campaign).", valueName: "S"))
    var site: String?

    @Option(help: ArgumentHelp("Seconds a claim lasts unless renewed; a dead scanner's batch is taken over after it (with --campaign).",
                               valueName: "seconds"))
    var lease: Double = 300

    @Option(help: ArgumentHelp("This scanner's id in the campaign (default: HOSTNAME-PID).", valueName: "id"))
    var scanner: String?

    var isCampaign: Bool { campaign != nil }

    /// The scanner id: given, or this machine's name and process id.
    var scannerID: String { scanner ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())" }

    /// Checks the campaign options against the rest of `probe`'s command line.
    func validate(hosts: [String], all: Bool, listenOnly: Bool, greetingOnly: Bool, database: DatabaseOptions) throws {
        guard let campaign else {
            if site != nil { throw ValidationError("--site S restricts the hosts a scanner claims: use it with --campaign NAME") }
            return
        }
        guard !campaign.isEmpty, campaign.count <= 64, campaign.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ValidationError("--campaign '\(campaign)' must be 1-64 letters, digits, '-', '_' or '.'")
        }
        if !hosts.isEmpty || all { throw ValidationError("--campaign takes its hosts from the campaign: drop --host/--all") }
        if listenOnly || greetingOnly { throw ValidationError("--campaign triggers hosts: it excludes --listen-only and --greeting-only") }
        guard (1...10_000).contains(claim) else { throw ValidationError("--claim must be 1...10000") }
        guard lease >= 1, lease <= 86_400 else { throw ValidationError("--lease must be 1...86400 seconds") }
        if let site, site.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--site is empty") }
        if let scanner, scanner.isEmpty || scanner.count > 128 { throw ValidationError("--scanner must be 1-128 characters") }
        guard PostgresURL.isPostgres(database.path) else {
            throw ValidationError("--campaign needs a store that several scanners share: pass --db postgresql://USER@HOST:PORT/DB "
                                  + "(or set HOTFIX_AUDIT_DB to one); \(database.origin) names a SQLite file")
        }
    }
}
