import Foundation
import RenkouCore
import SQLKit

extension LifeEventStore {
    /// 期末归属, the registry's part: who has moved within the district since a day, from the moves
    /// that keep the path they left (`life_events.from_path`, migration 055). Contributed to
    /// `ExtensionPoint.peopleMoved`, so that indicators and report lines over people count a past
    /// period's people in the unit that held them at its end.
    ///
    /// `after(end)`: each person's first move within the district after `end`, with the path she left,
    /// which held her at `end` (`person_id, from_path`). The first is the first *entered* (ids are
    /// time-ordered): a move's `from_path` is where she was when it was entered, so a move entered
    /// later but dated earlier does not say where she was at `end`. Revoked moves are left out. A first
    /// move recorded before migration 055 kept no `from_path`: that person is not among them and
    /// counts where she is now.
    ///
    /// `anyAfter(end)`: one look-up in the index of moves by day (`life_events_moves`); nobody has
    /// moved after a day still to come, so a reading of the current period costs nothing more.
    static let peopleMoved = PeopleMoved(
        after: { end in
            let d = end.description
            return """
                SELECT m.person_id AS person_id, m.from_path AS from_path FROM life_events m
                WHERE m.from_path IS NOT NULL AND m.revoked_at IS NULL AND m.day > '\(d)'
                AND NOT EXISTS (SELECT 1 FROM life_events n WHERE n.person_id = m.person_id AND n.type = '\(LifeEventType.moveWithin.rawValue)'
                                AND n.revoked_at IS NULL AND n.day > '\(d)' AND n.id < m.id)
                """
        },
        anyAfter: { end, db in
            try await db.raw("SELECT 1 AS one FROM life_events WHERE from_path IS NOT NULL AND revoked_at IS NULL AND day > \(bind: end.description) LIMIT 1").first() != nil
        })
}
