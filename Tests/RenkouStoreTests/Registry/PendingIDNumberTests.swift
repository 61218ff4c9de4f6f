import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// A child is in the registry before its hukou registration gives it a citizen ID number (#13 part 1).
@Suite struct PendingIDNumberTests {
    func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pending-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test(arguments: TestEngine.all) func aChildWithoutANumberIsRegisteredAndGetsItLater(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            func child(_ name: String, born: String?, sex: String?) -> PersonInput {
                var p = PersonInput(name: name, idNumber: nil, unit: Fixture.communityA1); p.birthDate = born; p.sex = sex; return p
            }
            // two newborns without numbers: both stored (many missing numbers are not a duplicate)
            let a = try await stores.persons.create(child("周小雨", born: "2026-10-02", sex: "2"), in: .everything, by: .cli())
            let b = try await stores.persons.create(child("周小川", born: "2026-10-02", sex: "1"), in: .everything, by: .cli())
            #expect(a.idNumber == nil && b.idNumber == nil && a.birthDate == "2026-10-02" && a.sex == "2")
            // the missing number is a key-field problem the worker sees on the record
            #expect(try await stores.quality.problems(of: a.id, in: .everything).map(\.code).contains("K05-id-number"))
            // without a number, the birth date and the sex must be given; an adult must have one
            await #expect { try await stores.persons.create(child("无日期", born: nil, sex: "1"), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/idNumber", code: "required") }
            await #expect { try await stores.persons.create(child("无性别", born: "2026-09-01", sex: nil), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/sex", code: "required") }
            await #expect { try await stores.persons.create(child("成年人", born: "1990-01-01", sex: "1"), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/idNumber", code: "id-required-adult") }
            // a correction that leaves the number empty keeps it empty and changes the rest
            var rename = PersonInput(name: "周雨桐", idNumber: "", unit: nil)
            rename.sex = nil
            let renamed = try await stores.persons.update(a.id, rename, in: .everything, by: .cli())
            #expect(renamed.name == "周雨桐" && renamed.idNumber == nil)
            // the number, when it comes, is checked like any other: its check character, its birth date, its uniqueness
            let number = Fixture.idNumber(32, birth: "20261002")
            await #expect { try await stores.persons.update(a.id, PersonInput(idNumber: String(number.dropLast()) + (number.last == "0" ? "1" : "0")), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/idNumber", code: "id-checksum") }
            let numbered = try await stores.persons.update(a.id, PersonInput(idNumber: number), in: .everything, by: .cli())
            #expect(numbered.idNumber == number)
            #expect(!(try await stores.quality.problems(of: a.id, in: .everything).map(\.code).contains("K05-id-number")))
            await #expect { try await stores.persons.update(b.id, PersonInput(idNumber: number), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "id-number-taken") }
            // once given, a number cannot be cleared
            await #expect { try await stores.persons.update(a.id, PersonInput(idNumber: ""), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/idNumber", code: "required") }
            #expect(try await stores.persons.read(a.id, in: .everything, by: .cli()).idNumber == number)
        }
    }

    @Test(arguments: TestEngine.all) func birthsFromTheFormAndTheHospitalFileNeedNoNumber(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            var her = PersonInput(name: "李秀英", idNumber: Fixture.idNumber(12, birth: "19920202"), unit: Fixture.communityA1); her.sex = "2"
            let mother = try await stores.persons.create(her, in: .everything, by: .cli())
            let h = try await stores.households.create(number: "P1", unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli())
            try await stores.households.addMember(h.id, person: mother.id, relation: "02", on: Day(year: 2020, month: 1, day: 1)!, in: .everything, by: .cli())
            // a birth recorded by hand without the child's number: the child joins the household, numberless
            var baby = PersonInput(name: "王一一", idNumber: nil); baby.sex = "2"
            let event = try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: "2026-09-20", child: baby), in: .everything, by: .cli())
            let child = try await stores.persons.read(event.personID, in: .everything, by: .cli())
            #expect(child.idNumber == nil && child.motherID == mother.id && child.birthDate == "2026-09-20")
            let members = try await stores.households.detail(h.id, in: .everything, by: .cli()).members
            #expect(members.contains { $0.personID == child.id && $0.idNumber == nil && $0.relation == "30" })
            // without a number the sex cannot be derived, so the form must give it
            await #expect { try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: "2026-10-01", child: PersonInput(name: "王二二")), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/child/sex", code: "required") }
            // the hospital's file: a baby with a sex but no number is a birth proposal; with neither, a visit
            let hospital = try file("母亲姓名,母亲身份号码,分娩日期,婴儿姓名,婴儿身份号码,婴儿性别\n李秀英,\(mother.idNumber!),2026-11-01,王三三,,男\n李秀英,\(mother.idNumber!),2026-11-05,,,\n")
            let r = try await stores.departmentFiles.reconcile(file: hospital, kind: .hospital, unitCode: Fixture.communityA1, in: .everything, by: .cli())
            #expect((r.read, r.proposed, r.tasks, r.rejected) == (2, 1, 1, 0))
            let proposal = try #require(try await stores.departmentFiles.proposals(in: .everything, by: .cli()).first { $0.kind == .birth })
            try await stores.departmentFiles.accept(proposal.id, in: .everything, by: .cli())
            let born = try await stores.events.timeline(of: mother.id, in: .everything).filter { $0.type == .birth && $0.day == "2026-11-01" }
            #expect(born.count == 1 && born[0].source == .hospital)
            var q = PersonQuery(); q.name = "王三三"
            let third = try #require(try await stores.persons.search(q, in: .everything, by: .cli()).items.first)
            #expect(third.idNumber == nil && third.sex == "1")
        }
    }

    @Test(arguments: TestEngine.all) func aChildWithoutANumberIsNotPaidTheChildcareSubsidyYet(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            var her = PersonInput(name: "林静", idNumber: Fixture.idNumber(12, birth: "19930415"), unit: Fixture.communityA1); her.sex = "2"; her.hukouRegion = "310114"
            let mother = try await stores.persons.create(her, in: .everything, by: .cli())
            var baby = PersonInput(name: "许未落", idNumber: nil); baby.sex = "1"; baby.hukouRegion = "310114"
            let child = try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: "2026-03-01", child: baby), in: .everything, by: .cli()).personID
            let run = try await stores.benefits.draw(.childcareSubsidy, year: 2026, unitCode: Fixture.streetA, in: .everything, by: .cli())
            let line = try #require(try await stores.benefits.lines(run.id, in: .everything, by: .cli()).first { $0.personID == child })
            #expect(!line.eligible && line.amount == 0 && line.facts.contains("尚无公民身份号码"))
            // with the number added, the next draw pays her
            _ = try await stores.persons.update(child, PersonInput(idNumber: Fixture.idNumber(41, birth: "20260301")), in: .everything, by: .cli())
            let later = try await stores.benefits.draw(.childcareSubsidy, year: 2027, unitCode: Fixture.streetA, in: .everything, by: .cli())
            #expect(try await stores.benefits.lines(later.id, in: .everything, by: .cli()).first { $0.personID == child }?.eligible == true)
        }
    }
}
