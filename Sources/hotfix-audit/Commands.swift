import ArgumentParser

extension HotfixAudit {
    static let commandList: [ParsableCommand.Type] = [
        ImportManifestCommand.self, ManifestsCommand.self, ManifestCommand.self,
        ImportInventoryCommand.self, AssessCommand.self, HostsCommand.self, HostCommand.self,
        ProbeCommand.self, LabCommand.self, ReportCommand.self, ScanCommand.self, DemoCommand.self,
    ]
}

extension LabCommand {
    static let labSubcommands: [ParsableCommand.Type] = [LabRunCommand.self]
}
