import ArgumentParser

/// `renkou org|user|token|demo|backup|restore|policy|indicators`, `renkou bench rates`.
struct AdminCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [Org.self, User.self, Token.self, BackupCommand.self, RestoreCommand.self, DemoCommand.self, PolicyCommand.self, IndicatorsCommand.self, JobsCommand.self] }
    var benchCommands: [any ParsableCommand.Type] { [Bench.Rates.self] }
}
