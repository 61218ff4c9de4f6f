import Foundation
import RenkouCore
import SQLKit

/// Following the registry: a person who moves, is merged, dies, or whose life event is revoked.
extension ServiceStore {
    // MARK: Following the person

    /// The person's record moved to another unit: their open visits go to the new unit's list, marked as
    /// handed over from the old one; their services and methods follow the record.
    static func moved(_ person: UUID, from oldPath: String, _ ctx: EventContext) async throws {
        let p = try await PersonStore.require(person, in: .everything, engine: ctx.engine, ctx.db)
        let oldUnit = try await ctx.db.raw("SELECT name FROM org_units WHERE path = \(bind: oldPath)").first()?.decode(column: "name", as: String.self) ?? oldPath
        // Handed over: the new unit assigns them afresh.
        try await ctx.db.raw("""
            DELETE FROM task_assignments WHERE task_id IN (SELECT id FROM follow_ups WHERE person_id = \(bind: person.text) AND done_on IS NULL AND closed_reason IS NULL)
            """).run()
        try await ctx.db.raw("""
            UPDATE follow_ups SET unit_id = \(bind: p.unitID.text), path = \(bind: p.path), handed_over_from = \(bind: oldUnit)
            WHERE person_id = \(bind: person.text) AND done_on IS NULL AND closed_reason IS NULL
            """).run()
        for table in ["services", "method_uses", "pregnancies", "prepregnancy_checks"] {
            try await ctx.db.raw("UPDATE \(unsafeRaw: table) SET path = \(bind: p.path) WHERE person_id = \(bind: person.text)").run()
        }
        for table in ["services", "pregnancies", "prepregnancy_checks"] {
            try await ctx.db.raw("UPDATE \(unsafeRaw: table) SET unit_id = \(bind: p.unitID.text) WHERE person_id = \(bind: person.text)").run()
        }
    }

    /// Two records of one person became one: everything follows the kept record (its unit too), and of
    /// two methods in use the one started later stays, the other ends as merged.
    static func merged(kept: UUID, merged: UUID, _ ctx: EventContext) async throws {
        // One line per woman and round: where both records were due in a round, the kept record's line stays.
        try await ctx.db.raw("""
            DELETE FROM checkups WHERE person_id = \(bind: merged.text) AND round_id IN (SELECT round_id FROM checkups WHERE person_id = \(bind: kept.text))
            """).run()
        for table in ["services", "method_uses", "follow_ups", "pregnancies", "checkups", "prepregnancy_checks"] {
            try await ctx.db.raw("UPDATE \(unsafeRaw: table) SET person_id = \(bind: kept.text) WHERE person_id = \(bind: merged.text)").run()
        }
        try await ctx.db.raw("UPDATE prepregnancy_checks SET spouse_id = \(bind: kept.text) WHERE spouse_id = \(bind: merged.text)").run()
        let p = try await PersonStore.require(kept, in: .everything, engine: ctx.engine, ctx.db)
        for table in ["services", "method_uses", "follow_ups", "pregnancies", "prepregnancy_checks"] {
            try await ctx.db.raw("UPDATE \(unsafeRaw: table) SET path = \(bind: p.path) WHERE person_id = \(bind: kept.text)").run()
        }
        for table in ["services", "follow_ups", "pregnancies", "prepregnancy_checks"] {
            try await ctx.db.raw("UPDATE \(unsafeRaw: table) SET unit_id = \(bind: p.unitID.text) WHERE person_id = \(bind: kept.text)").run()
        }
        let open = try await ctx.db.raw("SELECT id, started_on FROM method_uses WHERE person_id = \(bind: kept.text) AND stopped_on IS NULL ORDER BY started_on DESC, id").all()
        for r in open.dropFirst() {
            try await ctx.db.raw("UPDATE method_uses SET stopped_on = \(bind: try r.decode(column: "started_on", as: String.self)), stop_reason = 'merged' WHERE id = \(bind: try r.decode(column: "id", as: String.self))").run()
        }
        let pregnancies = try await ctx.db.raw("SELECT id FROM pregnancies WHERE person_id = \(bind: kept.text) AND outcome IS NULL ORDER BY detected_on, id").all()
        for r in pregnancies.dropFirst() {
            try await ctx.db.raw("DELETE FROM pregnancies WHERE id = \(bind: try r.decode(column: "id", as: String.self))").run()
        }
    }

    /// A life event entered by mistake was revoked: a birth's care visits not yet made go (and the
    /// mother's pregnancy it ended is open again); a death's closed visits and ended methods come back.
    static func revoked(_ eventID: UUID, _ ctx: EventContext) async throws {
        guard let e = try await ctx.db.raw("SELECT type, person_id, other_id, day FROM life_events WHERE id = \(bind: eventID.text)").first() else { return }
        let type = try e.decode(column: "type", as: String.self), person = try e.decode(column: "person_id", as: String.self)
        let day = try e.decode(column: "day", as: String.self)
        if type == LifeEventType.birth.rawValue {
            let mother = try e.decode(column: "other_id", as: String?.self)
            try await ctx.db.raw("""
                DELETE FROM follow_ups WHERE done_on IS NULL AND anchor = \(bind: day) AND ((person_id = \(bind: person) AND schedule = \(bind: FollowUpSchedules.childHealth))
                    OR (person_id = \(bind: mother ?? "") AND schedule = \(bind: FollowUpSchedules.postpartum)))
                """).run()
            try await ctx.db.raw("""
                UPDATE pregnancies SET outcome = NULL, outcome_on = NULL, child_id = NULL WHERE child_id = \(bind: person)
                AND NOT EXISTS (SELECT 1 FROM pregnancies o WHERE o.person_id = pregnancies.person_id AND o.outcome IS NULL)
                """).run()
        } else if type == LifeEventType.death.rawValue {
            try await ctx.db.raw("UPDATE follow_ups SET closed_reason = NULL WHERE person_id = \(bind: person) AND closed_reason = 'deceased'").run()
            try await ctx.db.raw("UPDATE method_uses SET stopped_on = NULL, stop_reason = NULL WHERE person_id = \(bind: person) AND stop_reason = 'deceased'").run()
        }
    }

    /// A death closes the person's open visits and ends their methods.
    static func died(_ person: UUID, on day: Day, _ ctx: EventContext) async throws {
        try await ctx.db.raw("UPDATE follow_ups SET closed_reason = 'deceased' WHERE person_id = \(bind: person.text) AND done_on IS NULL AND closed_reason IS NULL").run()
        try await ctx.db.raw("UPDATE method_uses SET stopped_on = \(bind: day.description), stop_reason = 'deceased' WHERE person_id = \(bind: person.text) AND stopped_on IS NULL").run()
    }
}
