import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

struct IDCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idcheck",
        abstract: "Check citizen ID numbers; prints one JSON object per line. Address codes are looked up in the database's code table when one was imported.")
    @OptionGroup var db: DatabaseOptions
    @Argument var numbers: [String]
    func run() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try await withStores(db) { stores in
            for number in numbers {
                let check = try await stores.orgs.checkIDNumber(number, today: Day(Date()))
                print(String(data: try encoder.encode(check), encoding: .utf8)!)
            }
        }
    }
}
