import ArgumentParser

/// `renkou org|user|token|demo|backup|restore`.
struct AdminCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [Org.self, User.self, Token.self, BackupCommand.self, RestoreCommand.self, DemoCommand.self, PolicyCommand.self] }
}
