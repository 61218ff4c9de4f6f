import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore
import SQLKit

/// Benchmarks that print figures (never timed tests).
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks that print figures.", subcommands: cliModules.flatMap(\.benchCommands))
}
