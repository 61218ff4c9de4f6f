import ArgumentParser

/// `renkou tasks`.
struct TasksCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [TasksCommand.self] }
}
