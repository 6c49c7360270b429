import ArgumentParser

extension HotfixAudit {
    static let commandList: [ParsableCommand.Type] = [
        ImportInventoryCommand.self, AssessCommand.self, HostsCommand.self, HostCommand.self,
    ]
}
