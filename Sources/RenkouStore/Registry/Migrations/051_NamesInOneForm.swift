import RenkouCore
import SQLKit

enum Migration051NamesInOneForm {
    /// Names stored before `PersonName` kept look-alike middle dots, spaces inside Chinese names and
    /// invisible characters as typed, so that a search or the duplicate list missed `阿依古丽•买买提`
    /// against `阿依古丽·买买提`. This puts every stored name in the one form (only where it differs).
    ///
    /// It also rebuilds the name grams of names with non-ASCII letters that have case (`É`, Cyrillic,
    /// Greek): migration 012 filled the table with SQL's `lower()`, which on SQLite folds ASCII letters
    /// only, while the application folds every letter (`NameGrams`), so a search for `ÉMILE` typed as
    /// stored looked up grams the table did not hold. (SQLite's LIKE, which checks the match after the
    /// grams, still tells `é` from `É`: a search there is case-exact for such letters.) Read in pages of
    /// 5,000 by id; no audit rows (no one's record changes in meaning). Names in rosters, certificates
    /// and birth registrations are copies of what was typed then and are left as they are.
    static let migration = Migration(id: 51, name: "names in one form, name grams folded as the application folds them", statements: { _ in [] }) { _, db in
        var after = ""
        while true {
            let rows = try await db.raw("SELECT id, name FROM persons WHERE id > \(bind: after) ORDER BY id LIMIT 5000").all()
            guard let last = rows.last else { break }
            after = try last.decode(column: "id", as: String.self)
            for r in rows {
                let id = try r.decode(column: "id", as: String.self), name = try r.decode(column: "name", as: String.self)
                let normal = PersonName.normalize(name)
                let renamed = normal != name && !normal.isEmpty
                let folded = name.unicodeScalars.contains { !$0.isASCII && $0.properties.changesWhenLowercased }
                guard renamed || folded else { continue }
                let stored = renamed ? normal : name
                if renamed { try await db.raw("UPDATE persons SET name = \(bind: stored) WHERE id = \(bind: id)").run() }
                try await db.raw("DELETE FROM person_name_grams WHERE person_id = \(bind: id)").run()
                try await NameGrams.add(id, stored, db)
            }
        }
    }
}
