import ArgumentParser

extension HotfixAudit {
    static let commandList: [ParsableCommand.Type] = [
        ImportManifestCommand.self, ManifestsCommand.self, ManifestCommand.self, ImportFeedCommand.self, KBCommand.self,
        ImportInventoryCommand.self, AssessCommand.self, HostsCommand.self, HostCommand.self,
        ProbeCommand.self, LabCommand.self, ReportCommand.self, ScanCommand.self, DemoCommand.self,
    ]
}

extension LabCommand {
    // bench branch: LabGenerateCommand and LabResponderCommand registered here for testing (the lead registers them on main).
    static let labSubcommands: [ParsableCommand.Type] = [LabRunCommand.self, LabGenerateCommand.self, LabResponderCommand.self]
}
