/// The verdict rules of ARCHITECTURE.md as pure functions: the store gathers the facts set-wise,
/// these decide. Table-tested in AuditCoreTests.
public enum VerdictRules {
    /// The facts about one host that the rules need.
    public struct HostContext: Sendable, Hashable {
        /// The host's product; nil when no inventory said it.
        public var product: Product?
        /// The host's platform; nil when unknown.
        public var platform: Platform?
        /// The host's service pack; nil when unknown.
        public var servicePack: ServicePack?
        /// Architecture text when it was given but not recognised (for the `unknown` reason).
        public var architectureText: String?
        /// The facts as known; the rules name the missing one in an `unknown` reason.
        public init(product: Product?, platform: Platform?, servicePack: ServicePack?, architectureText: String? = nil) {
            self.product = product
            self.platform = platform
            self.servicePack = servicePack
            self.architectureText = architectureText
        }
    }

    /// Paths that hold backup or staging copies rather than the file in use.
    static func isBackupPath(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.contains("$ntuninstall") || lower.contains("$hf_mig$") || lower.contains("servicepackfiles")
            || lower.contains("\\dllcache\\") || lower.contains("/dllcache/") || lower.contains("$ntservicepackuninstall")
    }

    static func isWOWPath(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.contains("syswow64") || lower.contains("\\wow64\\") || lower.contains("\\wow\\")
    }

    /// The manifest rows of `rows` that apply to a host of `product`, `platform` at service pack `servicePack`:
    /// rows for the SP itself, else the rows of the highest SP below it (a later SP supersedes).
    public static func applicableRows(_ rows: [ManifestRow], product: Product, platform: Platform, servicePack: Int) -> [ManifestRow] {
        let candidates = rows.filter { $0.product == product && $0.platform == platform }
        let general = candidates.filter { $0.servicePack == nil }
        let specific = candidates.filter { $0.servicePack != nil }
        guard !specific.isEmpty else { return general }
        if specific.contains(where: { $0.servicePack == servicePack }) {
            return general + specific.filter { $0.servicePack == servicePack }
        }
        let lower = specific.compactMap(\.servicePack).filter { $0 < servicePack }
        if let best = lower.max() { return general + specific.filter { $0.servicePack == best } }
        return general
    }

    /// File evidence for one host and one KB.
    /// - Parameters:
    ///   - rows: all manifest rows of the KB.
    ///   - files: the host's installed files whose names occur in `rows` (any case).
    ///   - hotfixRecorded: the KB is in the host's installed-hotfix list.
    public static func assess(host: HostContext, kb: KBNumber, prerequisiteServicePack: Int?, rows: [ManifestRow],
                              files: [InstalledFile], hotfixRecorded: Bool) -> FileAssessment {
        guard let product = host.product else {
            return FileAssessment(verdict: .unknown, reason: "product unknown: no OS name in the inventory")
        }
        let kbProducts = Set(rows.map(\.product))
        guard kbProducts.contains(product) else {
            return FileAssessment(verdict: .notApplicable, reason: "\(kb) has no files for \(product)")
        }
        guard let platform = host.platform else {
            let given = host.architectureText.map { " ('\($0)' not recognised)" } ?? ""
            return FileAssessment(verdict: .unknown, reason: "architecture unknown\(given)")
        }
        guard let servicePack = host.servicePack else {
            return FileAssessment(verdict: .unknown, reason: "service pack unknown")
        }
        let applicable = applicableRows(rows, product: product, platform: platform, servicePack: servicePack.level)
        guard !applicable.isEmpty else {
            return FileAssessment(verdict: .notApplicable, reason: "\(kb) has no files for \(product) \(platform) \(servicePack)")
        }

        // Pair each versioned row with the host's copy in use.
        struct Pair { var row: ManifestRow; var file: InstalledFile }
        var pairs: [Pair] = []
        for row in applicable where row.version != nil {
            let name = row.fileName.lowercased()
            let copies = files.filter { $0.fileName.lowercased() == name && !isBackupPath($0.path) }
            let matchingWOW = copies.filter { $0.path.isEmpty || isWOWPath($0.path) == row.isWOW }
            let chosen = (matchingWOW.isEmpty ? copies : matchingWOW)
            // Several copies in use: the oldest decides (conservative).
            if let oldest = chosen.min(by: { ($0.version?.sortKey ?? -1) < ($1.version?.sortKey ?? -1) }) {
                pairs.append(Pair(row: row, file: oldest))
            }
        }
        // Several branch rows for one file (GDR/QFE): keep the one matching the file's branch, else the floor.
        var byFile: [String: Pair] = [:]
        for pair in pairs {
            let key = pair.row.fileName.lowercased() + (pair.row.isWOW ? "|wow" : "")
            guard let existing = byFile[key] else { byFile[key] = pair; continue }
            let tag = pair.file.version?.branch ?? ""
            let matchesNew = pair.row.branch.map { !tag.isEmpty && tag.contains($0.lowercased()) } ?? false
            let matchesOld = existing.row.branch.map { !tag.isEmpty && tag.contains($0.lowercased()) } ?? false
            if matchesNew && !matchesOld { byFile[key] = pair }
            else if matchesNew == matchesOld, let a = pair.row.version, let b = existing.row.version, a < b { byFile[key] = pair }
        }
        let decided = byFile.values.sorted { $0.row.fileName.lowercased() < $1.row.fileName.lowercased() }

        guard !decided.isEmpty else {
            let names = Set(applicable.map(\.fileName)).sorted().joined(separator: ", ")
            return FileAssessment(verdict: .notApplicable, reason: "component not installed: \(names) not found on host")
        }
        if let prerequisite = prerequisiteServicePack, servicePack.level < prerequisite {
            let first = decided[0]
            return FileAssessment(verdict: .prerequisiteMissing,
                                  reason: "host is at \(servicePack), \(kb) requires SP\(prerequisite)",
                                  fileName: first.row.fileName, requiredVersion: first.row.version,
                                  foundVersion: first.file.version, path: first.file.path)
        }
        if let unreadable = decided.first(where: { $0.file.version == nil }) {
            return FileAssessment(verdict: .unknown,
                                  reason: "version of \(unreadable.file.fileName) unreadable ('\(unreadable.file.versionText)')",
                                  fileName: unreadable.row.fileName, requiredVersion: unreadable.row.version,
                                  path: unreadable.file.path)
        }
        var anomalies: [Anomaly] = []
        for pair in decided {
            if let anomaly = foreignBranch(pair.file, row: pair.row, servicePack: servicePack.level) { anomalies.append(anomaly) }
        }
        let older = decided.filter { $0.file.version! < $0.row.version! }
        if let worst = older.first {
            let found = worst.file.version!, required = worst.row.version!
            if hotfixRecorded {
                anomalies.append(Anomaly(kind: .hotfixRecordedFileOlder,
                                         detail: "\(kb) is recorded as installed but \(worst.file.fileName) is \(found.numericString) < \(required.numericString)"))
            }
            return FileAssessment(verdict: .vulnerable,
                                  reason: "\(worst.row.fileName) \(found.numericString) is older than \(required.numericString)",
                                  fileName: worst.row.fileName, requiredVersion: required, foundVersion: found,
                                  path: worst.file.path, anomalies: anomalies)
        }
        let shown = decided[0]
        let reason = decided.count == 1
            ? "\(shown.row.fileName) \(shown.file.version!.numericString) ≥ \(shown.row.version!.numericString)"
            : "all \(decided.count) files at or above the required versions"
        return FileAssessment(verdict: .patched, reason: reason, fileName: shown.row.fileName,
                              requiredVersion: shown.row.version, foundVersion: shown.file.version,
                              path: shown.file.path, anomalies: anomalies)
    }

    /// A file whose branch tag (`srv03_sp1_qfe`) names another service pack than the host's,
    /// or another servicing branch than the row's.
    static func foreignBranch(_ file: InstalledFile, row: ManifestRow, servicePack: Int) -> Anomaly? {
        guard let tag = file.version?.branch?.lowercased() else { return nil }
        var tagSP: Int?
        if let range = tag.firstRange(of: "_sp") {
            let digits = tag[range.upperBound...].prefix { $0.isNumber }
            tagSP = Int(digits)
        } else if tag.contains("_rtm") || tag.hasSuffix("rtm") {
            tagSP = 0
        }
        let expectedSP = row.servicePack ?? servicePack
        if let tagSP, tagSP != expectedSP, tag.hasPrefix("srv03") || tag.hasPrefix("xpsp") || tag.hasPrefix("win") {
            return Anomaly(kind: .foreignBranch,
                           detail: "\(file.fileName) branch '\(tag)' is from SP\(tagSP), host/row is SP\(expectedSP)")
        }
        if let branch = row.branch?.lowercased(), ["gdr", "qfe", "ldr"].contains(branch) {
            let other = ["gdr", "qfe", "ldr"].filter { $0 != branch }
            if other.contains(where: { tag.contains($0) }) {
                return Anomaly(kind: .foreignBranch, detail: "\(file.fileName) branch '\(tag)' differs from the row's \(branch.uppercased()) branch")
            }
        }
        return nil
    }

    /// The smtpsvc.dll version the KB requires of a host's *running* SMTP service: the lowest version of
    /// the applicable (non-WOW) Smtpsvc.dll rows; nil when the KB has no such row for the host's
    /// product, platform and service pack (then a greeting's version says nothing about this KB).
    public static func runningRequirement(host: HostContext, rows: [ManifestRow]) -> FileVersion? {
        guard let product = host.product, let platform = host.platform, let servicePack = host.servicePack else { return nil }
        return applicableRows(rows, product: product, platform: platform, servicePack: servicePack.level)
            .filter { !$0.isWOW && $0.fileName.lowercased() == runningFileName }
            .compactMap(\.version).min()
    }

    /// The file whose running version an SMTP greeting announces.
    public static let runningFileName = "smtpsvc.dll"

    /// Reconciles file evidence with the probe's combined outcome (nil: not probed) of the default check.
    public static func combine(file: FileAssessment, probe: ProbeOutcome?) -> (verdict: Verdict, reason: String, anomalies: [Anomaly]) {
        combine(file: file, probe: probe, check: CheckRegistry.defaultCheck, running: nil)
    }

    /// Reconciles the three kinds of evidence for one host × KB: the file evidence, the outcome of a
    /// behavioural `check` that confirms this KB (nil: none, or not probed) and the running version a
    /// greeting announced against the version the KB requires (nil: no greeting version, or no
    /// Smtpsvc.dll row applies). A conclusive probe outranks the greeting; the greeting outranks the
    /// file only to say the service was not reloaded; every piece of evidence present is named in the reason.
    public static func combine(file: FileAssessment, probe: ProbeOutcome?, check: any BehaviourCheck,
                               running: RunningVersionEvidence?) -> (verdict: Verdict, reason: String, anomalies: [Anomaly]) {
        var (verdict, reason, anomalies) = combineProbe(file: file, probe: probe, check: check)
        guard let running else { return (verdict, reason, anomalies) }
        let conclusiveProbe: Bool = switch probe {
        case .fixed?, .vulnerable?: true
        default: false
        }
        let announced = "the SMTP greeting announces \(runningFileName) \(running.version.numericString)"
        let atLeast = running.version >= running.required
        switch (file.verdict, atLeast) {
        case (.vulnerable, true), (.prerequisiteMissing, true):
            anomalies.append(Anomaly(kind: .runningVersionContradictsFile,
                                     detail: "\(announced) ≥ \(running.required.numericString) although the file evidence says \(file.verdict.rawValue)"))
            reason += "; \(announced) ≥ \(running.required.numericString) (inventory out of date, or another service answers?)"
        case (.patched, false) where !conclusiveProbe:
            verdict = .serviceNotReloaded
            reason += ", but \(announced) < \(running.required.numericString): restart the SMTP service"
        case (_, true):
            reason += "; \(announced) ≥ \(running.required.numericString)"
        case (_, false):
            reason += "; \(announced) < \(running.required.numericString)"
        }
        return (verdict, reason, anomalies)
    }

    /// File evidence with a check's outcome; the texts come from the check.
    static func combineProbe(file: FileAssessment, probe: ProbeOutcome?, check: any BehaviourCheck) -> (verdict: Verdict, reason: String, anomalies: [Anomaly]) {
        var anomalies = file.anomalies
        guard let probe else { return (Verdict(file.verdict), file.reason, anomalies) }
        switch (file.verdict, probe) {
        case (_, .inconclusive(let why)):
            return (Verdict(file.verdict), file.reason + "; " + check.inconclusiveText(why), anomalies)
        case (.patched, .fixed):
            return (.patched, file.reason + "; " + check.confirmsFixText, anomalies)
        case (.patched, .vulnerable(let mode)):
            return (.serviceNotReloaded, file.reason + ", " + check.notReloadedText(mode), anomalies)
        case (.vulnerable, .vulnerable(let mode)), (.prerequisiteMissing, .vulnerable(let mode)):
            return (Verdict(file.verdict), file.reason + "; " + check.confirmsVulnerableText(mode), anomalies)
        case (.vulnerable, .fixed), (.prerequisiteMissing, .fixed):
            anomalies.append(Anomaly(kind: .probeContradictsFile,
                                     detail: "\(check.id) found a fixed SMTP service although the file evidence says \(file.verdict.rawValue)"))
            return (Verdict(file.verdict), file.reason + "; " + check.contradictsFileText, anomalies)
        case (.notApplicable, .vulnerable(let mode)), (.unknown, .vulnerable(let mode)):
            return (.vulnerable, file.reason + "; " + check.showsVulnerableText(mode), anomalies)
        case (.notApplicable, .fixed), (.unknown, .fixed):
            return (Verdict(file.verdict), file.reason + "; " + check.fixedWithoutFileText, anomalies)
        }
    }
}

/// The running smtpsvc.dll version a greeting announced, beside the version a KB requires of it.
public struct RunningVersionEvidence: Sendable, Hashable {
    /// The version the greeting announced.
    public var version: FileVersion
    /// The version of smtpsvc.dll the KB requires for this host.
    public var required: FileVersion
    /// Running-version evidence for one host × KB.
    public init(version: FileVersion, required: FileVersion) {
        self.version = version
        self.required = required
    }
}
