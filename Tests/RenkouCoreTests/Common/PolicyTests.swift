import Foundation
import RenkouCore
import Testing

@Suite struct PolicyTests {
    func day(_ s: String) -> Day { Day(s)! }

    @Test func aRuleIsAskedAsOfADay() {
        // setup: the shipped policy
        let policy = Policy.shipped
        // act + assert: the marriage age of the 1950 law before 1981, of the 1980 law after
        #expect(policy(.legalMarriageAge, on: day("1975-06-01")) == MarriageAge(male: 20, female: 18))
        #expect(policy(.legalMarriageAge, on: day("1981-01-01")) == MarriageAge(male: 22, female: 20))
        #expect(policy(.legalMarriageAge, on: day("2026-11-29")) == MarriageAge(male: 22, female: 20))
        // a day before the first entry gets the oldest rule known
        #expect(policy(.legalMarriageAge, on: day("1900-01-01")) == MarriageAge(male: 20, female: 18))
        #expect(policy(.reproductiveAge, on: day("2026-11-29")) == AgeRange(min: 15, max: 49))
    }

    @Test func aDeploymentFileAddsADatedEntryThatRecordsFollow() throws {
        // setup: a region that counts women up to 50 from 2027
        let file = #"{"rules": [{"key": "registry.reproductive-age", "from": "2027-01-01", "value": {"min": 15, "max": 50}, "source": "某省 2026 年通知"}]}"#
        let policy = try Policy.shipped.overriding(with: Data(file.utf8), file: "region.json")
        var woman = Person(id: UUID(), name: "王芳", idNumber: "", unitID: UUID(), unitCode: "", unitName: "", path: "/", createdAt: "", updatedAt: "")
        woman.sex = "2"; woman.birthDate = "1976-06-01"
        // act + assert: 50 years old in 2026 (old rule) is out, in 2027 under the new rule (still 50) in
        #expect(!woman.isWomanOfReproductiveAge(on: day("2026-12-01"), policy: policy))
        #expect(woman.isWomanOfReproductiveAge(on: day("2027-01-02"), policy: policy))
        #expect(!woman.isWomanOfReproductiveAge(on: day("2027-01-02"), policy: .shipped))
        #expect(policy.history("registry.reproductive-age").map(\.source).last == "某省 2026 年通知")
        // a rule whose value is a bare number
        let days = try Policy.shipped.overriding(with: Data(#"{"rules": [{"key": "tasks.reminder-horizon-days", "from": "2027-01-01", "value": 45}]}"#.utf8), file: "days.json")
        #expect(days(.reminderHorizon, on: day("2027-03-01")) == 45 && days(.reminderHorizon, on: day("2026-12-31")) == 30)
    }

    @Test func aBadPolicyFileNamesEveryMistake() {
        // setup: an unknown rule, a bad date, a value of the wrong shape, a holiday outside its year
        let file = #"""
        {"rules": [{"key": "registry.no-such-rule", "from": "2020-01-01", "value": 1},
                   {"key": "registry.reproductive-age", "from": "2020-02-30", "value": {"min": 15, "max": 49}},
                   {"key": "registry.legal-marriage-age", "from": "2020-01-01", "value": 22}],
         "calendar": {"2027": {"holidays": ["2026-10-01"], "holiday": []}}, "rule": []}
        """#
        // act
        #expect {
            try Policy.shipped.overriding(with: Data(file.utf8), file: "bad.json")
        } throws: { error in
            // assert: one error with the file's code, every problem with its place
            guard let e = error as? RenkouError, e.code == "policy-file" else { return false }
            return e.fields.map(\.pointer) == ["/rule", "/rules/0/key", "/rules/1/from", "/rules/2/value", "/calendar/2027/holiday", "/calendar/2027/holidays/0"]
                && e.fields.allSatisfy { $0.code == "policy-file" && !$0.message.zh.isEmpty && !$0.message.en.isEmpty }
        }
        #expect { try Policy.shipped.overriding(with: Data("[1]".utf8), file: "list.json") } throws: { ($0 as? RenkouError)?.code == "policy-file" }
    }

    @Test func workingDaysSkipHolidaysAndCountAdjustedWorkdays() {
        let calendar = Policy.shipped.calendar
        // 2026-09-30 (Wednesday) + 3 working days: 1–7 October are off, 8 and 9 October work, Saturday 10 October is an adjusted working day
        #expect(calendar.adding(workingDays: 3, to: day("2026-09-30")) == day("2026-10-10"))
        // Friday 13 February 2026 + 1: Saturday 14 February is an adjusted working day before the Spring Festival
        #expect(calendar.adding(workingDays: 1, to: day("2026-02-13")) == day("2026-02-14"))
        // then the nine days of the Spring Festival: the next working day is Tuesday 24 February
        #expect(calendar.adding(workingDays: 1, to: day("2026-02-14")) == day("2026-02-24"))
        // a plain week: Monday + 7 working days is the next Wednesday
        #expect(calendar.adding(workingDays: 7, to: day("2026-11-23")) == day("2026-12-02"))
        #expect(calendar.workingDays(from: day("2026-09-30"), to: day("2026-10-10")) == 3)
        #expect(day("2026-11-29").weekday == 0 && day("1970-01-01").weekday == 4 && day("2024-02-29").weekday == 4)
        #expect(!calendar.isWorkingDay(day("2025-10-08")) && calendar.isWorkingDay(day("2025-09-28")))
    }

    @Test func aPolicyFileAddsAYearToTheCalendar() throws {
        let file = #"{"calendar": {"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-02"]}}}"#
        let policy = try Policy.shipped.overriding(with: Data(file.utf8), file: "calendar.json")
        #expect(!policy.calendar.isWorkingDay(day("2027-01-01")) && policy.calendar.isWorkingDay(day("2027-01-02")))
        #expect(Policy.shipped.calendar.isWorkingDay(day("2027-01-01")))
    }
}
