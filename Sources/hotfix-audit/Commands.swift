import ArgumentParser

extension HotfixAudit {
    static let commandList: [ParsableCommand.Type] = [
        ImportManifestCommand.self, ManifestsCommand.self, ManifestCommand.self,
        ImportInventoryCommand.self, AssessCommand.self, HostsCommand.self, HostCommand.self, ReportCommand.self,
        LabCommandForBench.self,  // TEMPORARY (bench branch): replaced by the real `lab` group when it lands
    ]
}

/// TEMPORARY (bench branch only): a `lab` group holding `generate` until the real `lab` command lands.
struct LabCommandForBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab", abstract: "Lab tools.",
                                                    subcommands: [LabGenerateCommand.self])
}
