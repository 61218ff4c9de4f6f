import Foundation
import ArgumentParser
import RenkouCore
import RenkouStore

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

extension Stores {
    /// The scope of a unit named on the command line by its code (`--org`); the whole tree when nil.
    /// Throws a usage error for an unknown code.
    func scope(org: String?) async throws -> Scope {
        guard let org else { return .everything }
        guard let unit = try await orgs.unit(code: org, in: .everything) else { throw ValidationError("no unit \(org)") }
        return Scope(path: unit.path)
    }
}

/// Prints a value as one line of JSON with sorted keys (the commands' output, a line per record).
func printJSON<T: Encodable>(_ value: T) throws { print(String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)) }
