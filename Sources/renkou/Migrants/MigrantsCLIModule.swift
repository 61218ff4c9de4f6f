import ArgumentParser

/// `renkou migrants rates|verify`, `renkou import roster|department`.
struct MigrantsCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [MigrantsCommand.self] }
    var importCommands: [any ParsableCommand.Type] { [RosterImport.self, DepartmentImport.self] }
}
