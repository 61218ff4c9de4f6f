import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct DepartmentFileTests {
    func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dept-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test(arguments: TestEngine.all) func aPoliceFileProposesMatchesAndTurnsStrangersIntoVisits(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let settled = try await stores.persons.create(PersonInput(name: "甲", idNumber: Fixture.idNumber(2, birth: "19950101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            var s = StayInput(); s.person = settled.id.text; s.kind = "inflow"; s.since = "2026-01-01"
            try await stores.stays.open(s, in: .everything, by: .cli())
            let newcomer = try await stores.persons.create(PersonInput(name: "乙", idNumber: Fixture.idNumber(4, birth: "19960101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let stranger = Fixture.idNumber(6, birth: "19970101")
            let url = try file("""
                类型,姓名,公民身份号码,暂住地址,日期,户籍地址
                登记,甲,\(settled.idNumber!),白银路 1 号,2026-01-02,四川
                登记,乙,\(newcomer.idNumber!),白银路 2 号,2026/10/8,河南
                登记,丙,\(stranger),白银路 3 号,20261009,安徽
                迁走,丁,\(Fixture.idNumber(8, birth: "19980101")),,2026-10-09,
                注销,甲,\(settled.idNumber!),,2099-01-01,

                """)
            defer { try? FileManager.default.removeItem(at: url) }
            let r = try await stores.departmentFiles.reconcile(file: url, kind: .police, unitCode: Fixture.communityA1, in: .everything, by: .cli("worker"))
            #expect((r.read, r.matched, r.proposed, r.tasks, r.rejected) == (5, 1, 1, 1, 2))
            #expect(r.read == r.matched + r.proposed + r.tasks + r.rejected)
            #expect(r.problems.map(\.row) == [5, 6] && r.problems[0].column == "类型" && r.problems[1].column == "日期")
            // nothing changed silently: 乙 is still registered, with a proposal waiting
            #expect(try await stores.persons.read(newcomer.id, in: .everything, by: .cli()).category == "registered")
            let proposals = try await stores.departmentFiles.proposals(in: .everything, by: .cli())
            #expect(proposals.map(\.kind) == [.stayOpen] && proposals[0].personID == newcomer.id && proposals[0].source == .police)
            // the stranger is a home visit for the community, due in two weeks
            let tasks = try await stores.tasks.list(on: Day(stores.env.now()), in: .everything, by: .cli())
            #expect(tasks.map(\.kind) == [.homeVisit] && tasks[0].idNumber == stranger && tasks[0].source == "police")
            // the same file again adds no second proposal or task
            _ = try await stores.departmentFiles.reconcile(file: url, kind: .police, unitCode: Fixture.communityA1, in: .everything, by: .cli())
            #expect(try await stores.departmentFiles.proposals(in: .everything, by: .cli()).count == 1)
            #expect(try await stores.tasks.list(on: Day(stores.env.now()), in: .everything, by: .cli()).count == 1)
            // accepting records the stay as a worker would; a decided proposal cannot be decided again
            try await stores.departmentFiles.accept(proposals[0].id, in: .everything, by: .cli("worker"))
            #expect(try await stores.persons.read(newcomer.id, in: .everything, by: .cli()).category == "inflow")
            #expect(try await stores.stays.stays(of: newcomer.id, in: .everything).first?.since == "2026-10-08")
            await #expect { try await stores.departmentFiles.reject(proposals[0].id, note: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "decided") }
            // a file without its required columns is refused whole
            let bad = try file("姓名,公民身份号码\n甲,\(settled.idNumber!)\n")
            defer { try? FileManager.default.removeItem(at: bad) }
            await #expect { try await stores.departmentFiles.reconcile(file: bad, kind: .police, unitCode: Fixture.communityA1, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/header", code: "column-missing") }
        }
    }

    @Test(arguments: TestEngine.all) func hospitalAndCivilAffairsFilesProposeBirthsAndMarriages(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            var her = PersonInput(name: "李秀英", idNumber: Fixture.idNumber(12, birth: "19920202"), unit: Fixture.communityA1); her.sex = "2"
            let mother = try await stores.persons.create(her, in: .everything, by: .cli())
            let father = try await stores.persons.create(PersonInput(name: "王建国", idNumber: Fixture.idNumber(11, birth: "19900101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let civil = try file("类型,男方姓名,男方身份号码,女方姓名,女方身份号码,登记日期\n结婚,王建国,\(father.idNumber!),李秀英,\(mother.idNumber!),2025-05-01\n结婚,赵某,\(Fixture.idNumber(13, birth: "19900303")),李秀英,\(mother.idNumber!),2025-05-01\n")
            let r1 = try await stores.departmentFiles.reconcile(file: civil, kind: .civilAffairs, unitCode: Fixture.communityA1, in: .everything, by: .cli())
            #expect((r1.read, r1.proposed, r1.tasks) == (2, 1, 1))
            let marriage = try #require(try await stores.departmentFiles.proposals(in: .everything, by: .cli()).first { $0.kind == .marriage })
            try await stores.departmentFiles.accept(marriage.id, in: .everything, by: .cli())
            #expect(try await stores.persons.read(mother.id, in: .everything, by: .cli()).spouseID == father.id)
            // read again: the marriage is now in the registry, so the row matches
            let again = try await stores.departmentFiles.reconcile(file: civil, kind: .civilAffairs, unitCode: Fixture.communityA1, in: .everything, by: .cli())
            #expect(again.matched == 1)
            // a delivery with the baby's ID number is a birth proposal; without one, a visit
            let hospital = try file("母亲姓名,母亲身份号码,分娩日期,婴儿姓名,婴儿身份号码,婴儿性别\n李秀英,\(mother.idNumber!),2026-03-10,王小明,\(Fixture.idNumber(21, birth: "20260310")),男\n李秀英,\(mother.idNumber!),2026-06-01,,,\n")
            let r2 = try await stores.departmentFiles.reconcile(file: hospital, kind: .hospital, unitCode: Fixture.communityA1, in: .everything, by: .cli())
            #expect((r2.read, r2.proposed, r2.tasks, r2.rejected) == (2, 1, 1, 0))
            let birth = try #require(try await stores.departmentFiles.proposals(in: .everything, by: .cli()).first { $0.kind == .birth })
            // Two workers accept it at the same moment: the change and the mark are one transaction, so
            // one of them records the birth and the other finds it decided (never two births).
            func accept() async -> String {
                do { try await stores.departmentFiles.accept(birth.id, in: .everything, by: .cli()); return "accepted" }
                catch let e as RenkouError { return e.code } catch { return "\(error)" }
            }
            async let first = accept(), second = accept()
            #expect([await first, await second].sorted() == ["accepted", "decided"])
            let timeline = try await stores.events.timeline(of: mother.id, in: .everything)
            #expect(timeline.contains { $0.type == .birth && $0.day == "2026-03-10" && $0.source == .hospital })
            #expect(timeline.filter { $0.type == .birth }.count == 1)
            #expect(try await stores.departmentFiles.proposals(openOnly: false, in: .everything, by: .cli()).first { $0.id == birth.id }?.state == "accepted")
        }
    }
}
