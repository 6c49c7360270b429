import ArgumentParser

extension HotfixAudit {
    static let commandList: [ParsableCommand.Type] = [
        AssessCommand.self, HostsCommand.self, HostCommand.self,
    ]
}
