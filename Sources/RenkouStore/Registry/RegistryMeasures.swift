import Foundation
import RenkouCore

/// The registry's lines of the report forms: the population at the period's end, births (by sex and
/// order), deaths, marriages, divorces and moves, each counted where the record says it happened.
enum RegistryMeasures {
    static func event(_ key: String, _ type: LifeEventType) -> ReportMeasure {
        ReportMeasure(key, from: "life_events x") { p, _ in "x.type = '\(type.rawValue)' AND x.revoked_at IS NULL AND \(ReportMeasure.within("x.day", p))" }
    }
    static func births(_ key: String, _ extra: String? = nil) -> ReportMeasure {
        ReportMeasure(key, from: "persons x") { p, _ in ReportMeasure.within("x.birth_date", p) + (extra.map { " AND \($0)" } ?? "") }
    }

    static var all: [ReportMeasure] {
        [
            // the registered population (the inflow is the migrants' section) at the period's end: born by
            // then, not moved in after it, and active now or gone (died, moved away) only after it
            ReportMeasure("registry.population", stock: true, from: "persons x") { p, _ in
                let d = p.end.description
                return """
                    x.category <> 'inflow' AND (x.birth_date IS NULL OR x.birth_date <= '\(d)') \
                    AND NOT EXISTS (SELECT 1 FROM life_events i WHERE i.person_id = x.id AND i.type = 'move-in' AND i.revoked_at IS NULL AND i.day > '\(d)') \
                    AND (x.status = 'active' OR (x.status IN ('deceased', 'moved-away') AND EXISTS (SELECT 1 FROM life_events e \
                    WHERE e.person_id = x.id AND e.type IN ('death', 'move-out') AND e.revoked_at IS NULL AND e.day > '\(d)')))
                    """
            },
            births("registry.births"), births("registry.births.male", "x.sex = '1'"), births("registry.births.female", "x.sex = '2'"),
            births("registry.births.order1", "x.birth_order = 1"), births("registry.births.order2", "x.birth_order = 2"), births("registry.births.order3", "x.birth_order >= 3"),
            event("registry.deaths", .death), event("registry.marriages", .marriage), event("registry.divorces", .divorce),
            event("registry.moves-in", .moveIn), event("registry.moves-out", .moveOut),
        ]
    }
}
