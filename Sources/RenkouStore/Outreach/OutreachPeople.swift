import Foundation
import RenkouCore
import SQLKit

/// What outreach keeps of a registry person follows her record: a merge moves her attendance, her
/// place in a survey's sample, her answers, her memberships (with their hours and reports) and the
/// reports about her to the kept record; a deletion takes them away (her answers stay, anonymous).
enum OutreachPeople {
    static var subscription: Subscription {
        Subscription.on(RegistryEvent.self, "outreach.follow-the-person") { event, ctx in
            switch event {
            case .merged(let kept, let merged): try await Self.merged(kept: kept, merged: merged, ctx.db)
            case .deleted(let person): try await Self.deleted(person, ctx.db)
            default: break
            }
        }
    }

    static func merged(kept: UUID, merged: UUID, _ db: any SQLDatabase) async throws {
        let k = kept.text, m = merged.text
        // one line per activity and per survey: where both records are there, the kept one's stays
        for (table, key) in [("outreach_attendance", "activity_id"), ("survey_sample", "survey_id")] {
            try await db.raw("""
                UPDATE \(unsafeRaw: table) SET person_id = \(bind: k) WHERE person_id = \(bind: m)
                AND NOT EXISTS (SELECT 1 FROM \(unsafeRaw: table) o WHERE o.\(unsafeRaw: key) = \(unsafeRaw: table).\(unsafeRaw: key) AND o.person_id = \(bind: k))
                """).run()
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE person_id = \(bind: m)").run()
        }
        // both records answered the same survey: both answers count, the merged one's as anonymous
        try await db.raw("""
            UPDATE survey_responses SET person_id = \(bind: k) WHERE person_id = \(bind: m)
            AND NOT EXISTS (SELECT 1 FROM survey_responses o WHERE o.survey_id = survey_responses.survey_id AND o.person_id = \(bind: k))
            """).run()
        try await db.raw("UPDATE survey_responses SET person_id = NULL WHERE person_id = \(bind: m)").run()
        // a membership of both: the kept one takes the other's hours and reports
        for r in try await db.raw("""
            SELECT d.id AS dropped, s.id AS stays FROM association_members d JOIN association_members s ON s.association_id = d.association_id AND s.person_id = \(bind: k)
            WHERE d.person_id = \(bind: m)
            """).all() {
            let dropped = try r.decode(column: "dropped", as: String.self), stays = try r.decode(column: "stays", as: String.self)
            try await db.raw("UPDATE volunteer_hours SET member_id = \(bind: stays) WHERE member_id = \(bind: dropped)").run()
            try await db.raw("UPDATE volunteer_reports SET member_id = \(bind: stays) WHERE member_id = \(bind: dropped)").run()
            try await db.raw("DELETE FROM association_members WHERE id = \(bind: dropped)").run()
        }
        try await db.raw("UPDATE association_members SET person_id = \(bind: k) WHERE person_id = \(bind: m)").run()
        try await db.raw("UPDATE volunteer_reports SET person_id = \(bind: k) WHERE person_id = \(bind: m)").run()
    }

    static func deleted(_ person: UUID, _ db: any SQLDatabase) async throws {
        let p = person.text
        try await db.raw("DELETE FROM outreach_attendance WHERE person_id = \(bind: p)").run()
        try await db.raw("DELETE FROM survey_sample WHERE person_id = \(bind: p)").run()
        try await db.raw("UPDATE survey_responses SET person_id = NULL WHERE person_id = \(bind: p)").run()
        try await db.raw("UPDATE volunteer_reports SET person_id = NULL WHERE person_id = \(bind: p)").run()
        // a record entered by mistake was no member: its hours and reports go with it
        for table in ["volunteer_hours", "volunteer_reports"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE member_id IN (SELECT id FROM association_members WHERE person_id = \(bind: p))").run()
        }
        try await db.raw("DELETE FROM association_members WHERE person_id = \(bind: p)").run()
    }
}
