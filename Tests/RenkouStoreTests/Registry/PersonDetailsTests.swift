import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct PersonDetailsTests {
    @Test(arguments: TestEngine.all) func birthDateAndSexComeFromTheIDNumber(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            // a woman born 1990-06-15 (odd sequence 001 would be male; 002 is female)
            var input = PersonInput(name: "陈静", idNumber: Fixture.idNumber(2, birth: "19900615"), unit: Fixture.communityA1)
            input.maritalStatus = "21"; input.firstMarriageDate = "2015-05-01"; input.ethnicGroup = "01"; input.hukouType = "resident"
            input.address = " 白银路 12 弄 3 号 "
            let p = try await stores.persons.create(input, in: .everything, by: .cli())
            let read = try await stores.persons.read(p.id, in: .everything, by: .cli())
            #expect(read.birthDate == "1990-06-15" && read.sex == "2")
            #expect(read.maritalStatus == "21" && read.firstMarriageDate == "2015-05-01" && read.ethnicGroup == "01")
            #expect(read.address == "白银路 12 弄 3 号")
            #expect(read.status == "active" && read.category == "registered" && read.flags.isEmpty)
            // derived, never typed
            let day = Day(year: 2026, month: 6, day: 14)!
            #expect(read.age(on: day) == 35)
            #expect(read.isWomanOfReproductiveAge(on: day, policy: .shipped) && read.isMarriedWomanOfReproductiveAge(on: day, policy: .shipped))
            #expect(!read.isWomanOfReproductiveAge(on: Day(year: 2040, month: 6, day: 15)!, policy: .shipped))
        }
    }

    @Test(arguments: TestEngine.all) func wrongCheckCharacterNeedsAReasonAndLeavesAFlag(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let good = Fixture.idNumber(7)
            let bad = String(good.dropLast()) + (good.last == "0" ? "1" : "0")
            let refused = await #expect {
                try await stores.persons.create(PersonInput(name: "孙伟", idNumber: bad, unit: Fixture.communityA1), in: .everything, by: .cli())
            } throws: { isRenkouError($0, field: "/idNumber", code: "id-checksum") } as? RenkouError
            #expect(refused?.fields.map(\.code) == ["id-checksum"])
            #expect(refused?.fields.first?.message.en.contains("give a reason") == true)
            var confirmed = PersonInput(name: "孙伟", idNumber: bad, unit: Fixture.communityA1)
            confirmed.idConfirmReason = "与身份证原件核对一致"
            let p = try await stores.persons.create(confirmed, in: .everything, by: .cli())
            #expect(p.flags == ["id-checksum"])
            // a number saved with a wrong check character counts against the consistency rate
            var quality = try await stores.quality.summary(unitCode: Fixture.communityA1, in: .everything).unit
            #expect(quality.records == 1 && quality.failures["Q10-id-checksum"] == 1 && quality.consistent == 0)
            // correcting the number to a valid one clears the flag
            let fixed = try await stores.persons.update(p.id, PersonInput(idNumber: good), in: .everything, by: .cli())
            #expect(fixed.flags.isEmpty && fixed.idNumber == good)
            quality = try await stores.quality.summary(unitCode: Fixture.communityA1, in: .everything).unit
            #expect((quality.failures["Q10-id-checksum"] ?? 0) == 0 && quality.consistent == 1)
        }
    }

    @Test(arguments: TestEngine.all) func badCodesAreNamedAndCorrectionsTouchOnlyWhatTheyName(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            var bad = PersonInput(name: "周洋", idNumber: Fixture.idNumber(8), unit: Fixture.communityA1)
            bad.sex = "3"; bad.ethnicGroup = "57"; bad.maritalStatus = "25"; bad.birthDate = "2099-01-01"; bad.hukouRegion = "31011"
            bad.firstMarriageDate = "2015/13/01"
            let error = await #expect { try await stores.persons.create(bad, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "validation") } as? RenkouError
            #expect(Set(error?.fields.map(\.pointer) ?? []) == ["/sex", "/ethnicGroup", "/maritalStatus", "/birthDate", "/hukouRegion", "/firstMarriageDate"])
            #expect(Set(error?.fields.map { "\($0.pointer) \($0.code)" } ?? []) == [
                "/sex code-unknown", "/ethnicGroup code-unknown", "/maritalStatus code-unknown", "/birthDate date-future",
                "/hukouRegion code-format", "/firstMarriageDate date-format",
            ])
            #expect(try await stores.persons.count(in: .everything) == 0)

            var input = PersonInput(name: "周洋", idNumber: Fixture.idNumber(8), unit: Fixture.communityA1)
            input.phone = "13800000000"; input.occupation = "教师"
            let p = try await stores.persons.create(input, in: .everything, by: .cli())
            var change = PersonInput(); change.phone = ""; change.maritalStatus = "10"
            let after = try await stores.persons.update(p.id, change, in: .everything, by: .cli())
            #expect(after.phone == nil && after.maritalStatus == "10" && after.occupation == "教师" && after.name == "周洋")
        }
    }
}
