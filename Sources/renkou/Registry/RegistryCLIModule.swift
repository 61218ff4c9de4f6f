import ArgumentParser

/// `renkou idcheck`, `renkou import persons`, `renkou bench search|import`.
struct RegistryCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [IDCheck.self, QualityCommand.self] }
    var importCommands: [any ParsableCommand.Type] { [ImportCommand.Persons.self] }
    var benchCommands: [any ParsableCommand.Type] { [Bench.Search.self, Bench.Import.self, Bench.ImportOne.self] }
}
