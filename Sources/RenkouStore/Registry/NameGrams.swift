import Foundation
import SQLKit

/// The one- and two-character pieces of a name that the name box searches by (table
/// `person_name_grams`, migration 012). Characters are Unicode scalars, as SQL's `substr` counts them,
/// lower-cased by Swift on both the stored and the searched side.
enum NameGrams {
    static let table = BulkInsert("person_name_grams", ["gram", "person_id"])

    /// Every distinct piece of `name`.
    static func of(_ name: String) -> [String] {
        let scalars = Array(name.lowercased().unicodeScalars)
        var grams: Set<String> = []
        for i in scalars.indices {
            grams.insert(String(scalars[i]))
            if i + 1 < scalars.count { grams.insert(String(String.UnicodeScalarView(scalars[i...i + 1]))) }
        }
        return grams.sorted()
    }

    /// The pieces a search for `text` looks up: the text itself when it is one character, otherwise its
    /// first and its last two characters. Empty for an empty text.
    static func lookup(_ text: String) -> [String] {
        let scalars = Array(text.lowercased().unicodeScalars)
        guard scalars.count > 1 else { return scalars.map { String($0) } }
        let first = String(String.UnicodeScalarView(scalars[0...1]))
        let last = String(String.UnicodeScalarView(scalars[(scalars.count - 2)...]))
        return first == last ? [first] : [first, last]
    }

    /// The rows for a bulk writer.
    static func rows(_ personID: String, _ name: String) -> [[BulkValue]] {
        of(name).map { [.text($0), .text(personID)] }
    }

    static func add(_ personID: String, _ name: String, _ db: any SQLDatabase) async throws {
        try await table.run(rows(personID, name), db)
    }

    static func remove(_ personID: String, _ name: String, _ db: any SQLDatabase) async throws {
        let grams = of(name)
        guard !grams.isEmpty else { return }
        try await db.raw("DELETE FROM person_name_grams WHERE person_id = \(bind: personID) AND gram IN (\(binds: grams))").run()
    }
}
