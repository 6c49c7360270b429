import ArgumentParser

/// Options of a command that makes an assessment run (`assess`, `scan`): how many runs to keep.
struct RunOptions: ParsableArguments {
    @Option(help: "Keep the newest N assessment runs (older runs and their results are deleted); reports compare a run with the one before it.")
    var keepRuns = 30

    func validate() throws {
        guard keepRuns >= 1 else { throw ValidationError("--keep-runs must be at least 1 (the run being made)") }
    }
}
