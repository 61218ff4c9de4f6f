import Foundation
import RenkouCore
import SQLKit

/// Writes a synthetic population in bulk: multi-row inserts, one transaction per batch, one audit row
/// for the whole run (the rows are generated, not entered by anyone).
public enum DemoPopulationWriter {
    /// Generates about `persons` people into the grids and communities below `unitCode`. Returns the count written.
    @discardableResult
    public static func write(_ stores: Stores, persons target: Int, seed: UInt64, under unitCode: String,
                             progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        guard let top = try await stores.orgs.unit(code: unitCode, in: .everything) else { throw RenkouError.notFound(Text("单位", "unit")) }
        let units = try await stores.orgs.list(levels: [.community, .grid], in: Scope(path: top.path))
        guard !units.isEmpty else { throw RenkouError.notFound(Text("社区或网格", "community or grid")) }
        let districtCode = top.path.split(separator: "/").map(String.init).first { $0.count == 6 && !$0.hasSuffix("00") } ?? "310114"
        let now = stores.env.now()
        let generator = DemoPopulation(seed: seed, today: Day(now), districtCode: districtCode)
        let stamp = Timestamp.string(now)
        // Batches of about 400 people, many batches per commit: each commit writes every page it touched to the WAL.
        let batches = SendableBox(generator)
        let written = try await stores.db.bulkLoad { db in
            var written = 0
            while written < target {
                try await db.raw("BEGIN").run()
                do {
                    for _ in 0..<Self.batchesPerCommit where written < target {
                        var families: [DemoPopulation.Family] = []
                        var count = 0
                        while count < 400 && written + count < target {
                            let f = batches.value.next(units: units.count)
                            families.append(f); count += f.members.count
                        }
                        try await insert(families, units: units, stamp: stamp, db)
                        written += count
                    }
                    try await db.raw("COMMIT").run()
                } catch {
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
                progress(written)
            }
            return written
        }
        try await stores.audit.record(.cli("demo"), .import, entity: "person", entityID: "demo", path: top.path,
                                      after: "{\"generated\":\(written),\"seed\":\(seed)}")
        return written
    }

    static let batchesPerCommit = 250
    static let persons = BulkInsert("persons", ["id", "created_at"] + PersonStore.fieldColumns)
    static let households = BulkInsert("households", ["id", "number", "unit_id", "path", "type", "created_at", "updated_at"])
    static let members = BulkInsert("household_members", ["household_id", "person_id", "relation", "joined_on", "left_on"])
    static let events = BulkInsert("life_events", ["id", "type", "person_id", "other_id", "day", "source", "path", "entered_by", "entered_at"])

    static func insert(_ families: [DemoPopulation.Family], units: [OrgUnit], stamp: String, _ db: any SQLDatabase) async throws {
        var personRows: [[BulkValue]] = [], householdRows: [[BulkValue]] = [], memberRows: [[BulkValue]] = [], eventRows: [[BulkValue]] = [], gramRows: [[BulkValue]] = []
        let today = String(stamp.prefix(10))
        for f in families {
            let unit = units[f.unitIndex]
            let householdID = f.id.text
            householdRows.append([.text(householdID), .text(f.number), .text(unit.id.text), .text(unit.path), .text("family"), .text(stamp), .text(stamp)])
            for (p0, relation) in f.members {
                var p = p0
                p.unitID = unit.id; p.path = unit.path; p.createdAt = stamp; p.updatedAt = stamp
                personRows.append([.text(p.id.text), .text(stamp)] + PersonStore.fields(p))
                gramRows += NameGrams.rows(p.id.text, p.name)
                let left: String? = p.status == "active" ? nil : f.events.first { $0.person == p.id && $0.type == .death }?.day ?? today
                memberRows.append([.text(householdID), .text(p.id.text), .text(relation), .text(p.birthDate ?? today), BulkValue(left)])
            }
            for e in f.events {
                eventRows.append([.text(UUID.v7().text), .text(e.type.rawValue), .text(e.person.text), BulkValue(e.other?.text), .text(e.day),
                                  .text("import"), .text(unit.path), .text("demo"), .text(stamp)])
            }
        }
        try await persons.run(personRows, db)
        try await NameGrams.table.run(gramRows, db)
        try await households.run(householdRows, db)
        try await members.run(memberRows, db)
        try await events.run(eventRows, db)
    }
}

/// The generator, carried into the one connection's closure (used from that closure only).
final class SendableBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

extension DemoPopulationWriter {
    /// The demo's moves within the district (区内迁移), recorded as a worker records them: in each
    /// community, two people (a married woman of reproductive age and another adult) moved to the
    /// next community in the last 40 days, so that a past month's figures count them where they were
    /// at its end and this month's where they are now.
    static func moves(_ stores: Stores, seed: UInt64, communities: [String]) async throws {
        guard communities.count > 1 else { return }
        let actor = Actor.cli("demo"), today = Day(stores.env.now())
        var rng = DemoPopulation.SplitMix(seed: seed ^ 0x4D4F_5645)
        // Everyone is chosen before anyone moves (nobody moves twice), then the moves are entered in date order.
        var planned: [(day: Day, person: UUID, to: String)] = []
        for (i, community) in communities.enumerated() {
            let target = communities[(i + 1) % communities.count]
            var women = PersonQuery(); women.unit = community; women.womenOfReproductiveAge = true; women.status = "active"
            women.ageMin = 28; women.sort = .birthDate; women.limit = 20
            var adults = PersonQuery(); adults.unit = community; adults.sex = "1"; adults.status = "active"; adults.ageMin = 25; adults.sort = .birthDate; adults.limit = 20
            let woman = try await stores.persons.search(women, in: .everything, by: actor).items.first { $0.maritalStatus?.hasPrefix("2") == true }
            let man = try await stores.persons.search(adults, in: .everything, by: actor).items.first
            for person in [woman, man].compactMap({ $0 }) { planned.append((today.adding(days: -rng.int(0...40)), person.id, target)) }
        }
        for move in planned.sorted(by: { $0.day < $1.day }) {
            _ = try await stores.events.record(LifeEventInput(type: LifeEventType.moveWithin.rawValue, person: move.person.text, day: move.day.description,
                                                              source: EventSource.interview.rawValue, unit: move.to), in: .everything, by: actor)
        }
    }
}
