import Foundation
import RenkouCore
@testable import RenkouFiles
@testable import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct PersonImportTests {
    static func file(_ lines: [String], encoding: TableEncoding = .utf8, ext: String = "csv") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-import-\(UUID().uuidString).\(ext)")
        try Data(encoding.encode(lines.joined(separator: "\r\n") + "\r\n")).write(to: url)
        return url
    }

    static let header = "姓名,公民身份号码,性别,出生日期,民族,户口性质,婚姻状况,初婚日期,户号,与户主关系,现居住地址,联系电话"

    final class Problems: @unchecked Sendable {
        var all: [ImportProblem] = []
        let lock = NSLock()
        func add(_ p: ImportProblem) { lock.lock(); all.append(p); lock.unlock() }
    }

    /// The indexes of the tables a large load defers, as the engine describes them (name and definition).
    static func indexes(_ stores: Stores) async throws -> [String] {
        try await stores.db.read { db in
            let query: SQLQueryString = stores.db.engine == .sqlite
                ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('persons', 'person_checks') AND sql IS NOT NULL ORDER BY name"
                : "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('persons', 'person_checks') ORDER BY indexname"
            return try await db.raw(query).all().map { "\(try $0.decode(column: "name", as: String.self)): \(try $0.decode(column: "sql", as: String.self))" }
        }
    }

    /// A large load into an empty registry builds the indexes it does not read after its rows: a dry
    /// run, a refused run and a committed one all end with the same indexes as before, the committed
    /// rows are found through them, and the quality verdicts are those of the rules (people in a
    /// household and people alone, whose verdicts are written without a delete).
    @Test(arguments: TestEngine.all) func aLargeLoadBuildsItsIndexesAfterItsRows(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let before = try await Self.indexes(stores)
            #expect(before.contains { $0.hasPrefix("persons_wra:") } && before.contains { $0.hasPrefix("person_checks_code_path:") })
            let sqlite = stores.db.engine == .sqlite
            /// What `deferIndexes` would drop, in a transaction rolled back at once.
            func deferred(fileBytes: Int, mode: ImportMode) async throws -> [String] {
                try await stores.db.write { db in
                    try await db.raw("BEGIN").run()
                    do {
                        let builds = try await PersonImporter.deferIndexes(fileBytes: fileBytes, largeLoadBytes: 1, mode: mode, engine: stores.db.engine, db)
                        try await db.raw("ROLLBACK").run()
                        return builds
                    } catch { try? await db.raw("ROLLBACK").run(); throw error }
                }
            }
            // The empty registry: the indexes it does not read go, and a rollback brings them back.
            let dropped = try await deferred(fileBytes: 6000, mode: .validOnly)
            let deferrable = before.filter { line in !line.contains("UNIQUE") && !PersonImporter.readByImport.contains { line.hasPrefix($0 + ":") } }
            var droppedIndexes = 0
            for sql in dropped where sql.hasPrefix("CREATE INDEX") { droppedIndexes += 1 }
            #expect(droppedIndexes == deferrable.count && deferrable.count >= 9 && dropped.contains { $0.contains("persons_wra") }, "dropped \(dropped), deferrable \(deferrable)")
            // SQLite's row triggers of the population counts go too, and come back after the counts are made again
            #expect(dropped.filter { $0.hasPrefix("CREATE TRIGGER persons_count_") }.count == (sqlite ? 3 : 0))
            #expect(try await Self.indexes(stores) == before)
            // On PostgreSQL, where the drop makes searches wait, a dry run never does it.
            #expect(try await deferred(fileBytes: 6000, mode: .dryRun).isEmpty == !sqlite)

            let importer = PersonImporter(db: stores.db, env: stores.env, largeLoadBytes: 1)
            var lines = [Self.header]
            for i in 0..<30 {
                // the first 24 in households of three, the last 6 alone
                let household = i < 24 ? "H\(i / 3),\(i % 3 == 0 ? "户主" : "子")" : ","
                lines.append("王\(i),\(Fixture.idNumber(i, birth: "19900101")),男,1990-01-01,汉族,非农业,\(i % 2 == 0 ? "已婚" : "未婚"),,\(household),白银路\(i)号,")
            }
            let good = try Self.file(lines), bad = try Self.file(lines + ["坏行,310114198503120010,男,1985-03-12,汉族,,,,,,,"])
            defer { try? FileManager.default.removeItem(at: good); try? FileManager.default.removeItem(at: bad) }
            for (url, mode) in [(good, ImportMode.dryRun), (bad, .allOrNothing)] {
                let r = try await importer.run(file: url, fileName: "big.csv", unitCode: Fixture.communityA1, mode: mode, in: .everything, by: .cli())
                #expect(!r.committed && r.imported == 30)
                #expect(try await stores.persons.count(in: .everything) == 0)
                #expect(try await Self.indexes(stores) == before)
            }
            let triggers: SQLQueryString = sqlite ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'persons_count_%'"
                : "SELECT COUNT(*) AS n FROM pg_trigger WHERE tgrelid = 'persons'::regclass AND tgname LIKE 'persons_count_%'"
            #expect(try await stores.db.read { try await $0.raw(triggers).first()!.decode(column: "n", as: Int.self) } == 3)
            let r = try await importer.run(file: good, fileName: "big.csv", unitCode: Fixture.communityA1, mode: .validOnly, in: .everything, by: .cli())
            #expect(r.committed && r.imported == 30)
            #expect(try await Self.indexes(stores) == before)
            #expect(try await stores.db.read { try await $0.raw(triggers).first()!.decode(column: "n", as: Int.self) } == 3)
            try await PopulationCountsTests.countsMatch(stores, "after a large load")
            #expect(try await stores.persons.ageStructure(unitCode: Fixture.communityA1, on: Day("2026-11-18")!, in: .everything).first { $0.label == "35–39" }?.male == 30)
            let found = try await stores.persons.search({ var q = PersonQuery(); q.name = "王25"; return q }(), in: .everything, by: .cli())
            #expect(found.total == 1 && found.items[0].name == "王25")
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
            let quality = try await stores.quality.summary(unitCode: Fixture.communityA1, in: .everything).unit
            #expect(quality.records == 30 && quality.failures["K01-relation"] == 6)
            // A registry that holds more than half the file's rows (SQLite), or any records at all (PostgreSQL), is not a large load.
            #expect(try await deferred(fileBytes: sqlite ? 30 * 2 * 100 - 1 : 1 << 30, mode: .validOnly).isEmpty)
            #expect(try await Self.indexes(stores) == before)
        }
    }

    @Test(arguments: TestEngine.all) func dryRunAllOrNothingValidOnlyAndIdempotence(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let head = Fixture.idNumber(1, birth: "19700101"), wife = Fixture.idNumber(2, birth: "19720202"), son = Fixture.idNumber(3, birth: "20000303")
            let url = try Self.file([
                Self.header,
                "王建国,\(head),男,1970-01-01,汉族,非农业,已婚,1995/5/1,A0001,户主,白银路1号,13800138000",
                "李秀英,\(wife),女,19720202,汉,非农业,初婚,1995年5月1日,A0001,配偶,白银路1号,",
                "王磊,\(son),男,36588,01,居民,未婚,,A0001,子,白银路1号,",
                "坏行,310114198503120010,男,1985-03-12,汉族,,,,,,,",      // wrong check character
                "重复,\(wife),女,1972-02-02,汉族,,,,,,,",                  // the same ID number as row 3
                "无名,\(Fixture.idNumber(5)),火星,1985-03-12,,,,,,,,",     // unknown sex
                "小宝,,女,2026-01-02,汉族,,,,,,,",                        // no ID number yet: registered by hand, not by file
            ], encoding: .gb18030)
            defer { try? FileManager.default.removeItem(at: url) }
            let count = { try await stores.persons.count(in: .everything) }

            // A dry run finds everything and writes nothing.
            let problems = Problems()
            let dry = try await stores.importer.run(file: url, fileName: "a.csv", unitCode: Fixture.communityA1, mode: .dryRun, in: .everything, by: .cli(),
                                                    problem: problems.add)
            #expect(dry.encoding == "GB18030")
            #expect((dry.read, dry.imported, dry.updated, dry.unchanged, dry.rejected, dry.committed) == (7, 3, 0, 0, 4, false))
            #expect(problems.all.filter(\.isError).map(\.row) == [5, 6, 7, 8])
            #expect(problems.all.first { $0.row == 8 }?.column == "公民身份号码")
            #expect(problems.all.first { $0.row == 6 }?.reason.en == "The same ID number as row 3.")
            #expect(problems.all.first { $0.row == 7 }?.column == "性别")
            #expect(try await count() == 0)

            // All or nothing with rejected rows keeps everything out.
            let refused = try await stores.importer.run(file: url, fileName: "a.csv", unitCode: Fixture.communityA1, mode: .allOrNothing, in: .everything, by: .cli())
            #expect(!refused.committed && refused.rejected == 4)
            #expect(try await count() == 0)

            // Valid rows only: three people, one household with its head, spouse and son.
            let first = try await stores.importer.run(file: url, fileName: "a.csv", unitCode: Fixture.communityA1, mode: .validOnly, in: .everything, by: .cli())
            #expect((first.read, first.imported, first.updated, first.unchanged, first.rejected, first.committed) == (7, 3, 0, 0, 4, true))
            #expect(try await count() == 3)
            let found = try await stores.persons.search({ var q = PersonQuery(); q.idNumber = son; return q }(), in: .everything, by: .cli()).items[0]
            #expect(found.birthDate == "2000-03-03" && found.hukouType == "resident" && found.maritalStatus == "10" && found.unitCode == Fixture.communityA1)
            let household = try await stores.households.search(number: "A0001", in: .everything).items[0]
            let detail = try await stores.households.detail(household.id, in: .everything, by: .cli())
            #expect(detail.head?.name == "王建国")
            #expect(Set(detail.current.map(\.relation)) == ["02", "10", "20"])
            #expect(try await stores.audit.search(AuditQuery(entity: "person", entityID: first.run, action: "import"), in: .everything).total == 1)

            // The same file again changes nothing.
            let again = try await stores.importer.run(file: url, fileName: "a.csv", unitCode: Fixture.communityA1, mode: .validOnly, in: .everything, by: .cli())
            #expect((again.read, again.imported, again.updated, again.unchanged, again.rejected) == (7, 0, 0, 3, 4))
            #expect(try await count() == 3)
            #expect(try await stores.households.detail(household.id, in: .everything, by: .cli()).members.count == 3)

            // A corrected row updates the record; the old value stays in the audit row.
            let fix = try Self.file([Self.header, "王建国,\(head),男,1970-01-01,汉族,非农业,已婚,1995/5/1,A0001,户主,白银路2号,13900139000"])
            defer { try? FileManager.default.removeItem(at: fix) }
            let corrected = try await stores.importer.run(file: fix, fileName: "b.csv", unitCode: Fixture.communityA1, mode: .allOrNothing, in: .everything, by: .cli())
            #expect((corrected.read, corrected.updated, corrected.committed) == (1, 1, true))
            let updates = try await stores.audit.search(AuditQuery(entity: "person", action: "update"), in: .everything).items
            #expect(updates.count == 1 && updates[0].before?.contains("白银路1号") == true && updates[0].after?.contains("白银路2号") == true)
            // imported people are found by the name box
            #expect(try await stores.persons.list(unitCode: nil, nameContains: "秀英", in: .everything, by: .cli()).items.map(\.idNumber) == [wife])
            try await PersonSearchTests.expectGramsMatchNames(stores)
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
        }
    }

    @Test(arguments: TestEngine.all) func scopeAndHouseholdRules(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            // someone registered in street B; a household with a head in street A
            _ = try await stores.persons.create(PersonInput(name: "外区人", idNumber: Fixture.idNumber(11), unit: Fixture.communityB1), in: .everything, by: .cli())
            let streetA = Scope(path: "/310000/310114/310114001/")
            let url = try Self.file([
                Self.header,
                "甲,\(Fixture.idNumber(12)),,,,,,,H9,户主,,",
                "乙,\(Fixture.idNumber(13)),,,,,,,H9,户主,,",       // a second head
                "丙,\(Fixture.idNumber(11)),,,,,,,,,,",             // registered in another area
                "丁,\(Fixture.idNumber(14)),,,,,,,H9,,,",           // household without relation
            ])
            defer { try? FileManager.default.removeItem(at: url) }
            let problems = Problems()
            let r = try await stores.importer.run(file: url, fileName: "c.csv", unitCode: Fixture.communityA1, mode: .validOnly, in: streetA, by: .cli(), problem: problems.add)
            #expect((r.read, r.imported, r.rejected) == (4, 1, 3))
            let elsewhere = problems.all.first { $0.row == 4 }!
            #expect(elsewhere.reason.en == "This ID number is registered in another area.")
            #expect(!elsewhere.reason.zh.contains("外区人"))
            #expect(problems.all.first { $0.row == 3 }?.reason.en == "Household H9 has a head already.")
            // a unit outside the caller's area is refused like an unknown one, before anything is read
            await #expect {
                try await stores.importer.run(file: url, fileName: "c.csv", unitCode: Fixture.communityB1, mode: .validOnly, in: streetA, by: .cli())
            } throws: { isRenkouError($0, field: "/unit", code: "unknown-unit") }
            // a file without the required columns is refused as a whole
            let bad = try Self.file(["姓名,性别", "甲,男"])
            defer { try? FileManager.default.removeItem(at: bad) }
            let e = await #expect {
                try await stores.importer.run(file: bad, fileName: "d.csv", unitCode: Fixture.communityA1, mode: .validOnly, in: .everything, by: .cli())
            } throws: { isRenkouError($0, field: "/header", code: "column-missing") } as? RenkouError
            #expect(e?.fields.first?.code == "header-not-found")
            #expect(e?.fields.dropFirst().map(\.code) == ["column-missing"])
        }
    }

    @Test(arguments: TestEngine.all) func xlsxFilesReadLikeCSV(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-import-\(UUID().uuidString).xlsx")
            defer { try? FileManager.default.removeItem(at: url) }
            var batches = [[["姓名", "公民身份号码", "出生日期", "现居住地址"], ["张<&>三", Fixture.idNumber(21), "31118", "白银路 \"3\" 号"]]]
            try await XLSX.write(to: url) { batches.popLast() }
            let r = try await stores.importer.run(file: url, fileName: "e.xlsx", unitCode: Fixture.communityA1, mode: .allOrNothing, in: .everything, by: .cli())
            #expect((r.read, r.imported, r.fileKind) == (1, 1, "xlsx"))
            let p = try await stores.persons.search(PersonQuery(), in: .everything, by: .cli()).items[0]
            #expect(p.name == "张<&>三" && p.birthDate == "1985-03-12" && p.address == "白银路 \"3\" 号")
        }
    }

    @Test func sharedStringsAndSparseRows() {
        let shared = XLSX.sharedStrings(Array("<sst><si><t>姓名</t></si><si><r><t>张</t></r><r><t xml:space=\"preserve\">三</t></r><rPh><t>zhang</t></rPh></si></sst>".utf8))
        #expect(shared == ["姓名", "张三"])
        let row = XLSX.parseRow(Array("<row r=\"4\"><c r=\"A4\" t=\"s\"><v>1</v></c><c r=\"C4\"><v>43832</v></c><c r=\"D4\" t=\"inlineStr\"><is><t>a&amp;b</t></is></c></row>".utf8)[...], shared: shared)
        #expect(row?.0 == 4)
        #expect(row?.1 == ["张三", "", "43832", "a&b"])
    }
}
