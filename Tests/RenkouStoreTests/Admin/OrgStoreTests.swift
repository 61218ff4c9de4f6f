import Foundation
import RenkouCore
import RenkouFiles
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct OrgStoreTests {
    @Test(arguments: TestEngine.all) func treeWithCountsAndPaths(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            // setup
            try await Fixture.tree(stores)
            try await stores.persons.create(PersonInput(name: "王芳", idNumber: Fixture.idNumber(1), unit: Fixture.gridA1), in: .everything, by: .cli())
            // act
            let district = try #require(try await stores.orgs.unit(code: Fixture.district, in: .everything))
            let streets = try await stores.orgs.children(of: district.id, in: .everything)
            // assert
            #expect(streets.map(\.unit.code) == [Fixture.streetA, Fixture.streetB])
            #expect(streets.map(\.childCount) == [2, 1])
            #expect(streets.map(\.personCount) == [1, 0])
            let grid = try #require(try await stores.orgs.unit(code: Fixture.gridA1, in: .everything))
            #expect(grid.path == "/310000/310114/310114001/310114001001/310114001001-01/")
        }
    }

    @Test(arguments: TestEngine.all) func badCodesAreRejectedAndNothingIsWritten(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            // a community code that does not extend its street
            await #expect {
                try await stores.orgs.add(code: "310114002009", name: "错误社区", level: .community, parentCode: Fixture.streetA, in: .everything, by: .cli())
            } throws: { isRenkouError($0, field: "/code", code: "code-parent") }
            // a duplicate code
            let dup = await #expect {
                try await stores.orgs.add(code: Fixture.communityA1, name: "重复", level: .community, parentCode: Fixture.streetA, in: .everything, by: .cli())
            } throws: { isRenkouError($0, field: "/code", code: "code-taken") } as? RenkouError
            #expect(dup?.fields.first?.code == "code-taken")
            // the padded street code is accepted and normalised
            let street = try await stores.orgs.add(code: "310114003000", name: "新街道", level: .street, parentCode: Fixture.district, in: .everything, by: .cli())
            #expect(street.code == "310114003")
            #expect(try await stores.orgs.unit(code: "310114002009", in: .everything) == nil)
        }
    }

    @Test(arguments: TestEngine.all) func renameAndMoveKeepHistoryAndCarryPeople(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let person = try await stores.persons.create(PersonInput(name: "李娜", idNumber: Fixture.idNumber(2), unit: Fixture.gridA1), in: .everything, by: .cli())
            let grid = try #require(try await stores.orgs.unit(code: Fixture.gridA1, in: .everything))
            // act
            try await stores.orgs.rename(grid.id, to: "白银路东网格", in: .everything, by: .cli("admin"))
            try await stores.orgs.move(grid.id, toParent: Fixture.communityA2, in: .everything, by: .cli("admin"))
            // assert: history has both, the person moved with the grid
            let history = try await stores.orgs.history(of: grid.id)
            #expect(history.map(\.field) == ["name", "parent"])
            #expect(history[0].oldValue == "白银路第一网格" && history[0].newValue == "白银路东网格")
            #expect(history[1].oldValue == Fixture.communityA1 && history[1].newValue == Fixture.communityA2)
            let moved = try await stores.persons.read(person.id, in: .everything, by: .cli())
            #expect(moved.path.hasPrefix("/310000/310114/310114001/310114001002/"))
            // A community worker of A1 no longer sees the person; one of A2 does.
            await #expect {
                try await stores.persons.read(person.id, in: Scope(path: "/310000/310114/310114001/310114001001/"), by: .cli())
            } throws: { isRenkouError($0, code: "not-found") }
            // a unit cannot move under itself
            let community = try #require(try await stores.orgs.unit(code: Fixture.communityA2, in: .everything))
            await #expect { try await stores.orgs.move(community.id, toParent: Fixture.gridA1, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/parent", code: "parent-cycle") }
        }
    }

    @Test(arguments: TestEngine.all) func areaCodesImportKeepsHistoryAndIsIdempotent(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            // act
            let first = try await stores.orgs.importFile(at: Fixture.areaCodes, in: .everything, by: .cli())
            let second = try await stores.orgs.importFile(at: Fixture.areaCodes, in: .everything, by: .cli())
            // assert: every row accounted for, both times; the second import changes nothing
            #expect(first.read == 6823)
            #expect(first.imported + first.updated + first.unchanged + first.rejected == first.read)
            #expect(first.rejected == 0)
            #expect(second.read == first.read)
            #expect(second.imported == 0 && second.updated == 0 && second.rejected == 0)
            #expect(second.unchanged == second.read)
            // 362324 (铅山县 in the table): abandoned in 2000, still there for old ID numbers, with its replacement
            let old = try #require(try await stores.orgs.unit(code: "362324", in: .everything))
            #expect(old.status == "abandoned")
            #expect(old.replacedBy == "361124")
            // 120110 was 东郊区 before 1992 and is 东丽区 now: the unit carries the current name and the old one in history
            let dongli = try #require(try await stores.orgs.unit(code: "120110", in: .everything))
            #expect(dongli.name == "东丽区")
            #expect(try await stores.orgs.history(of: dongli.id).contains { $0.oldValue.hasPrefix("东郊区") })
            // 110101 sits directly under 北京市 (there is no 110100 row)
            #expect(try #require(try await stores.orgs.unit(code: "110101", in: .everything)).path == "/110000/110101/")
        }
    }

    @Test(arguments: TestEngine.all) func plainCSVImportReportsEveryBadRow(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString).csv")
            try """
            code,name,level,parent
            310114001003,迎园社区,community,310114001
            310114001004,,community,310114001
            310114009001,无上级社区,community,310114009
            310114001005,新社区,hamlet,310114001
            310114001003,迎园社区,community,310114001
            """.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let report = try await stores.orgs.importFile(at: file.path, in: .everything, by: .cli())
            #expect(report.read == 5)
            #expect(report.imported == 1)
            #expect(report.rejected == 3)
            #expect(report.imported + report.updated + report.unchanged + report.rejected == report.read)
            #expect(Set(report.rejections.map(\.row)) == [3, 4, 5])
        }
    }

    @Test(arguments: TestEngine.all) func theUnitTableIsReadLikeEveryImportInGBKAndXLSX(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            // setup: a headerless plain file saved in GBK (上海市 / 嘉定区 as GBK bytes), and the same kind of rows as a workbook
            let dir = FileManager.default.temporaryDirectory
            let gbk = dir.appendingPathComponent("units-\(UUID().uuidString).csv"), xlsx = dir.appendingPathComponent("units-\(UUID().uuidString).xlsx")
            defer { try? FileManager.default.removeItem(at: gbk); try? FileManager.default.removeItem(at: xlsx) }
            var bytes = Array("310000,".utf8) + [0xC9, 0xCF, 0xBA, 0xA3, 0xCA, 0xD0] + Array(",province,\r\n310114,".utf8)
            bytes += [0xBC, 0xCE, 0xB6, 0xA8, 0xC7, 0xF8] + Array(",district,310000\r\n".utf8)
            try Data(bytes).write(to: gbk)
            var sheets: [[[String]]] = [[["code", "name", "level", "parent"], ["310114001", "新成路街道", "street", "310114"], ["310114001001", "白银路社区", "community", "310114001"]]]
            try await XLSX.write(to: xlsx) { sheets.popLast() }
            // act
            let first = try await stores.orgs.importFile(at: gbk.path, in: .everything, by: .cli())
            let second = try await stores.orgs.importFile(at: xlsx.path, in: .everything, by: .cli())
            // assert: the GBK names read as typed, the headerless first row counted as a unit, the workbook's rows under them
            #expect(first.read == 2 && first.imported == 2)
            #expect(try await stores.orgs.unit(code: "310114", in: .everything)?.name == "嘉定区")
            #expect(try await stores.orgs.unit(code: "310000", in: .everything)?.name == "上海市")
            #expect(second.read == 2 && second.imported == 2)
            #expect(try await stores.orgs.unit(code: "310114001001", in: .everything)?.path == "/310000/310114/310114001/310114001001/")
        }
    }

    @Test func anImportWhoseOutcomesDoNotAddUpIsRefused() {
        var tally = ImportTally<ImportOutcome>()
        tally.count(.imported, 2); tally.count(.rejected)
        #expect(tally.read == 3)
        #expect(throws: Never.self) { try ImportPipeline.check(tally, against: .init(kind: .csv, encoding: nil, rows: 3)) }
        #expect { try ImportPipeline.check(tally, against: .init(kind: .csv, encoding: .utf8, rows: 4)) } throws: { ($0 as? RenkouError)?.code == "import-count" }
    }
}
