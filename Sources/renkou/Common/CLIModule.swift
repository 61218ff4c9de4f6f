import ArgumentParser

/// What a module contributes to the command line. Listed once in `cliModules` (`Modules.swift`).
protocol CLIModule: Sendable {
    /// Top-level subcommands (`renkou org`, `renkou migrants` ...).
    var commands: [any ParsableCommand.Type] { get }
    /// Subcommands of `renkou import` (`persons`, `roster` ...).
    var importCommands: [any ParsableCommand.Type] { get }
    /// Subcommands of `renkou bench`.
    var benchCommands: [any ParsableCommand.Type] { get }
}

extension CLIModule {
    var commands: [any ParsableCommand.Type] { [] }
    var importCommands: [any ParsableCommand.Type] { [] }
    var benchCommands: [any ParsableCommand.Type] { [] }
}
