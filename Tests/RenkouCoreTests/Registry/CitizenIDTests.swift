import Foundation
import Testing
@testable import RenkouCore

@Suite struct CitizenIDTests {
    let today = Day(year: 2026, month: 11, day: 23)!

    @Test func validNumberGivesBirthDateSexAndAddress() {
        // setup: the standard example of GB 11643 (check character X)
        let check = CitizenID.check("11010519491231002X", today: today)
        // assert
        #expect(check.valid)
        #expect(check.birthDate == "1949-12-31")
        #expect(check.sex == 2)
        #expect(check.addressCode == "110105")
    }

    @Test func wrongCheckCharacterIsAnError() {
        let check = CitizenID.check("110105194912310021", today: today)
        #expect(!check.valid)
        #expect(check.errors.map(\.code) == ["id-checksum"])
    }

    @Test func fifteenDigitsAreUpgraded() {
        let check = CitizenID.check("110105491231002", today: today)
        #expect(check.normalized == "11010519491231002X")
        #expect(check.valid)
    }

    @Test func fullWidthDigitsAndLowercaseXAreNormalised() {
        #expect(CitizenID.normalize("１１０１０５１９４９１２３１００２x") == "11010519491231002X")
    }

    @Test func impossibleAndFutureBirthDatesAreErrors() {
        let impossible = "11010519490231" + "002"
        let check = CitizenID.check(impossible + String(CitizenID.checkCharacter(impossible)!), today: today)
        #expect(check.errors.contains { $0.code == "id-birth-invalid" })
        let future = "11010520301231" + "002"
        let check2 = CitizenID.check(future + String(CitizenID.checkCharacter(future)!), today: today)
        #expect(check2.errors.contains { $0.code == "id-birth-future" })
    }

    @Test func wrongLengthIsAFormatError() {
        #expect(CitizenID.check("12345", today: today).errors.map(\.code) == ["id-format"])
    }

    @Test func addressCodeNewerThanBirthIsOnlyAWarning() {
        let n = "11011519800101" + "001"
        let check = CitizenID.check(n + String(CitizenID.checkCharacter(n)!), today: today) { _ in AreaCode(name: "大兴区", since: 2001) }
        #expect(check.valid)
        #expect(check.addressName == "大兴区")
        #expect(check.warnings.map(\.code) == ["id-address-later"])
        // a code the table does not know is a warning too, never an error
        let unknown = CitizenID.check(n + String(CitizenID.checkCharacter(n)!), today: today) { _ in nil }
        #expect(unknown.valid && unknown.warnings.map(\.code) == ["id-address-unknown"])
        // without a table, no address warning at all
        #expect(CitizenID.check(n + String(CitizenID.checkCharacter(n)!), today: today).warnings.isEmpty)
    }

    @Test func masking() {
        #expect(Mask.name("张三明") == "张*明")
        #expect(Mask.name("李四") == "李*")
        #expect(Mask.name("欧阳小明") == "欧**明")
        #expect(Mask.idNumber("310101199001011234") == "3101**********1234")
    }
}

@Suite struct OrgCodeTests {
    @Test func paddedStreetCodeIsNormalised() throws {
        #expect(try OrgCode.normalize("310114001000", level: .street, parentCode: "310114", parentLevel: .district) == "310114001")
    }

    @Test func communityMustExtendItsStreet() {
        #expect { try OrgCode.normalize("310114002001", level: .community, parentCode: "310114001", parentLevel: .street) }
            throws: { isRenkouError($0, field: "/code", code: "code-parent") }
        #expect((try? OrgCode.normalize("310114001001", level: .community, parentCode: "310114001", parentLevel: .street)) == "310114001001")
    }

    @Test func levelsAndLengthsAreChecked() {
        #expect { try OrgCode.normalize("3101140", level: .street, parentCode: "310114", parentLevel: .district) }
            throws: { isRenkouError($0, field: "/code", code: "code-format") }
        #expect { try OrgCode.normalize("310114", level: .district, parentCode: "310114001", parentLevel: .street) }
            throws: { isRenkouError($0, field: "/parent", code: "parent-level") }
        #expect { try OrgCode.normalize("310114001001", level: .community, parentCode: nil, parentLevel: nil) }
            throws: { isRenkouError($0, field: "/parent", code: "parent-required") }
        #expect { try OrgCode.normalize("a/b", level: .grid, parentCode: "310114001001", parentLevel: .community) }
            throws: { isRenkouError($0, field: "/code", code: "code-format") }
    }

    @Test func impliedParentsOfCountyCodes() {
        #expect(OrgCode.impliedParents(of: "110101") == ["110100", "110000"])
        #expect(OrgCode.impliedParents(of: "110100") == ["110000"])
        #expect(OrgCode.impliedParents(of: "110000") == [])
    }

    @Test func csvFieldsWithQuotes() {
        #expect(CSV.fields("a,\"b,c\",\"d\"\"e\",") == ["a", "b,c", "d\"e", ""])
    }

    @Test func uuidV7IsTimeOrdered() {
        let a = UUID.v7(at: Date(timeIntervalSince1970: 1000)), b = UUID.v7(at: Date(timeIntervalSince1970: 2000))
        #expect(a.text < b.text)
        #expect(a.text.dropFirst(14).first == "7")
        // made one after another in the same millisecond, they still sort in the order made (a notice
        // and its update, ordered by id on the receiving side), the variant bits intact
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        let sequence = V7Sequence()
        let ids = (0..<10_000).map { _ in UUID.v7(at: at, sequence: sequence) }
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0.text < $1.text })
        #expect(Set(ids).count == ids.count && ids.allSatisfy { "89ab".contains($0.text.dropFirst(19).first!) })
    }
}
