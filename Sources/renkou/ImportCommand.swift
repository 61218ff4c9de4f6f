import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import records from CSV or XLSX files.", subcommands: cliModules.flatMap(\.importCommands))
}
