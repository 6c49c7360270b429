import ArgumentParser

extension HotfixAudit {
    static let commandList: [ParsableCommand.Type] = [
        ImportManifestCommand.self, ManifestsCommand.self, ManifestCommand.self,
        ImportInventoryCommand.self, AssessCommand.self, HostsCommand.self, HostCommand.self, ReportCommand.self,
    ]
}
