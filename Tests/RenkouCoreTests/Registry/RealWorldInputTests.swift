import Foundation
import RenkouCore
import Testing

/// The input faults found by trying real-world files and typing (#18 part 10), each as a user meets it.
@Suite struct RealWorldInputTests {
    let today = Day(year: 2026, month: 11, day: 23)!

    @Test func gbkThatIsAlsoValidUTF8IsReadAsGBK() {
        // 叶小平 in GBK is D2B6 D0A1 C6BD: valid UTF-8 too, reading "ҶСƽ".
        let gbk = TableEncoding.gb18030.encode("叶小平,310114198008080117,1\r\n")
        #expect(String(decoding: gbk, as: UTF8.self).hasPrefix("ҶСƽ"))
        #expect(TableEncoding.detect(gbk) == .gb18030)
        #expect(TableEncoding.detect(TableEncoding.gb18030.encode("姓名,公民身份号码\r\n" + "叶小平,310114198008080117\r\n")) == .gb18030)
        // UTF-8 Chinese stays UTF-8, and so does a mostly Chinese file with a foreign name in it.
        #expect(TableEncoding.detect(Array("叶小平,310114198008080117,1\r\n".utf8)) == .utf8)
        #expect(TableEncoding.detect(Array("姓名,备注\r\n王芳,同事 Иван\r\n".utf8)) == .utf8)
        // Quotes, dashes and symbols alone do not make a UTF-8 file GBK.
        #expect(TableEncoding.detect(Array("name,note\r\nA,“ok” — ①℃\r\n".utf8)) == .utf8)
        // Excel's "Unicode text": UTF-16 with a byte-order mark, either way round.
        #expect(TableEncoding.detect(TableEncoding.utf16LE.encode("姓名\t公民身份号码\r\n")) == .utf16LE)
        #expect(TableEncoding.detect(TableEncoding.utf16BE.encode("姓名\t公民身份号码\r\n")) == .utf16BE)
    }

    @Test func utf16IsTranscodedAcrossChunkBoundaries() {
        // 𠀋 is a surrogate pair: cut anywhere, it must come out whole.
        let text = "姓名\t𠀋一,二\r\n"
        let bytes = TableEncoding.utf16LE.encode(text)
        for cut in 1..<bytes.count {
            var t = UTF16Transcoder(bigEndian: false)
            let out = t.feed(bytes[..<cut]) + t.feed(bytes[cut...], final: true)
            #expect(String(decoding: out, as: UTF8.self) == text, "cut at \(cut)")
        }
    }

    @Test func separatorIsDetected() {
        #expect(FieldSeparator.detect(Array("姓名;公民身份号码;性别\r\n王芳;110105194912310021;女\r\n".utf8)) == .semicolon)
        #expect(FieldSeparator.detect(Array("姓名\t公民身份号码\r\n".utf8)) == .tab)
        #expect(FieldSeparator.detect(Array("姓名,公民身份号码,地址\r\n王芳,1,\"甲;乙;丙;丁\"\r\n".utf8)) == .comma)
        #expect(FieldSeparator.detect(Array("no separators at all".utf8)) == .comma)
        // A remark with semicolons in a comma file, commas in the cells of a tab file: the steady one wins.
        #expect(FieldSeparator.detect(Array("姓名,公民身份号码,备注\r\n王芳,1,甲;乙;丙;丁\r\n李娜,2,无\r\n".utf8)) == .comma)
        #expect(FieldSeparator.detect(Array("姓名\t公民身份号码\t地址\r\n王芳\t1\t白银路1号, 2室, 3楼\r\n李娜\t2\t金沙路\r\n".utf8)) == .tab)
        var splitter = CSVSplitter(separator: .semicolon)
        var records: [[String]] = []
        splitter.feed(Array("a;\"b;c\";d\n".utf8)) { records.append($0.fields.map { TableEncoding.utf8.decode($0) }) }
        #expect(records == [["a", "b;c", "d"]])
    }

    @Test func lookAlikeNamesAreStoredInOneForm() throws {
        #expect(PersonName.normalize("阿依古丽•买买提") == "阿依古丽·买买提")
        #expect(PersonName.normalize("阿依古丽・买买提") == PersonName.normalize("阿依古丽·买买提"))
        #expect(PersonName.normalize("阿依古丽.买买提") == "阿依古丽·买买提")
        #expect(PersonName.normalize("阿依古丽 · 买买提") == "阿依古丽·买买提")
        #expect(PersonName.normalize("陈\u{3000}一") == "陈一")
        #expect(PersonName.normalize("王\u{200B}芳\u{FEFF}") == "王芳")
        #expect(PersonName.normalize("  John \u{00A0} Smith ") == "John Smith")
        #expect(PersonName.normalize("J. Smith") == "J. Smith")
        // The form and the API store that form; a search finds it typed either way.
        var input = PersonInput(name: "阿依古丽•买买提", idNumber: "11010519491231002X", unit: "310114001001")
        #expect(try input.validated(creating: true, today: today).input.name == "阿依古丽·买买提")
        input.name = "\u{200B}\u{3000}"
        #expect { try input.validated(creating: true, today: today) } throws: { isRenkouError($0, field: "/name", code: "required") }
        let q = try PersonQuery.parse { ["q": "阿依古丽•买买提"][$0] }
        #expect(q.name == "阿依古丽·买买提")
    }

    @Test func invisibleCharactersInsideAnIDNumberAreDropped() {
        let check = CitizenID.check("1101051949\u{200B}1231002X\u{200D}", today: today)
        #expect(check.valid && check.normalized == "11010519491231002X")
        #expect(CellText.normalize("\u{2060}11010519491231002X") == "11010519491231002X")
    }

    @Test func ageOnTwentyNinthFebruary() throws {
        let leap = Day(year: 2028, month: 2, day: 29)!
        #expect(Day(year: 2010, month: 3, day: 1)!.age(on: leap) == 17)
        #expect(Day(year: 2010, month: 2, day: 28)!.age(on: leap) == 18)
        // One born on 29 February is a year older on 1 March in a common year, not on 28 February.
        let born = Day(year: 2012, month: 2, day: 29)!
        #expect(born.age(on: Day(year: 2030, month: 2, day: 28)!) == 17)
        #expect(born.age(on: Day(year: 2030, month: 3, day: 1)!) == 18)
        #expect(leap.lastBirthDay(forAge: 18).description == "2010-02-28")
        var q = PersonQuery(); q.ageMin = 18
        #expect(q.birthBounds(today: leap, policy: .shipped).latest == "2010-02-28")
        q = PersonQuery(); q.ageMax = 17
        #expect(q.birthBounds(today: leap, policy: .shipped).earliest == "2010-03-01")
        // A girl of 14 is no woman of reproductive age, whichever day of the leap year it is.
        q = PersonQuery(); q.womenOfReproductiveAge = true
        #expect(q.birthBounds(today: leap, policy: .shipped).latest == "2013-02-28")
        var girl = Person(id: UUID(), name: "甲", idNumber: nil, unitID: UUID(), unitCode: "", unitName: "", path: "", createdAt: "", updatedAt: "")
        girl.sex = "2"; girl.birthDate = "2013-03-01"
        #expect(!girl.isWomanOfReproductiveAge(on: leap, policy: .shipped))
        girl.birthDate = "2013-02-28"
        #expect(girl.isWomanOfReproductiveAge(on: leap, policy: .shipped))
    }

    @Test func partialDatesAreNeverMadeIntoDays() throws {
        #expect(CellDate.read("1990") == .partial(year: 1990, month: nil))
        #expect(CellDate.read("1990年") == .partial(year: 1990, month: nil))
        for text in ["1990-03", "1990/3", "1990.03", "1990年3月", "199003"] { #expect(CellDate.read(text) == .partial(year: 1990, month: 3), "\(text)") }
        #expect(CellDate.parse("1990") == nil)
        #expect(CellDate.parse("43832")?.description == "2020-01-02")
        let layout = try PersonImportLayout(headers: ["姓名", "公民身份号码", "出生日期", "初婚日期"])
        // The ID number agrees with the year: its day is taken, with a warning.
        let agrees = PersonImportRow.parse(["王芳", "11010519491231002X", "1949", ""], row: 2, layout: layout, defaultUnit: "310114001001", today: today)
        #expect(!agrees.isRejected && agrees.input.birthDate == "1949-12-31")
        #expect(agrees.problems.map(\.isError) == [false])
        // It does not: the row waits for the whole date.
        let disagrees = PersonImportRow.parse(["王芳", "11010519491231002X", "1990-03", ""], row: 2, layout: layout, defaultUnit: "310114001001", today: today)
        #expect(disagrees.isRejected && disagrees.problems.first?.column == "出生日期")
        let marriage = PersonImportRow.parse(["王芳", "11010519491231002X", "", "1975"], row: 2, layout: layout, defaultUnit: "310114001001", today: today)
        #expect(marriage.isRejected && marriage.problems.first?.column == "初婚日期")
    }

    @Test func formulasAreNeutralisedInExportsAndWarnedAtImport() throws {
        #expect(CSV.escape("=1+2") == "'=1+2")
        #expect(CSV.escape("@SUM(A1:A9)") == "'@SUM(A1:A9)")
        #expect(CSV.escape("+86 138") == "'+86 138")
        #expect(CSV.escape("-2+3") == "'-2+3")
        #expect(CSV.escape("\t=1") == "'\t=1")
        #expect(CSV.escape("=HYPERLINK(\"x\",\"y\")") == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"")
        #expect(CSV.escape("-3") == "-3" && CSV.escape("王芳") == "王芳")
        #expect(CellText.normalize("'=1+2") == "=1+2")
        let layout = try PersonImportLayout(headers: ["姓名", "公民身份号码"])
        let row = PersonImportRow.parse(["=1+2", "11010519491231002X"], row: 2, layout: layout, defaultUnit: "310114001001", today: today)
        #expect(!row.isRejected)
        #expect(row.problems.contains { !$0.isError && $0.column == "姓名" && $0.reason.en.contains("formula") })
    }

    @Test func longNumbersSurviveASpreadsheet() {
        #expect(CSV.spreadsheetCell("110101195001010156") == "=\"110101195001010156\"")
        #expect(CSV.spreadsheetCell("310114001001") == "=\"310114001001\"")
        #expect(CSV.spreadsheetCell("0571") == "=\"0571\"")
        #expect(CSV.spreadsheetCell("11010519491231002X") == "11010519491231002X")
        #expect(CSV.spreadsheetCell("2026") == "2026")
        #expect(CellText.normalize("=\"110101195001010156\"") == "110101195001010156")
    }

    /// A 17-digit body ending in `00` whose check character is (`matching`) or is not `0`.
    func endingInZeros(matching: Bool) -> String {
        for day in 1...28 {
            for seq in stride(from: 100, through: 900, by: 100) {
                let body = "31011419850" + String(format: "3%02d", day) + String(seq)
                if (CitizenID.checkCharacter(body) == "0") == matching { return body + "0" }
            }
        }
        fatalError("none found")
    }

    @Test func numbersASpreadsheetCutAreRecognised() {
        let cut = CitizenID.check(endingInZeros(matching: false), today: today)
        #expect(cut.errors.map(\.code) == ["id-truncated"])
        #expect(cut.errors[0].message.en.contains("spreadsheet"))
        let lucky = CitizenID.check(endingInZeros(matching: true), today: today)
        #expect(lucky.valid && lucky.warnings.map(\.code) == ["id-maybe-truncated"])
        // A 15-digit number was never long enough for a spreadsheet to cut.
        let fifteen = String(endingInZeros(matching: true).prefix(6)) + String(endingInZeros(matching: true).dropFirst(8).prefix(9))
        #expect(CitizenID.check(fifteen, today: today).warnings.isEmpty)
    }

    @Test func residencePermitsAndForeignPermanentResidentNumbers() {
        func number(_ first: String) -> String { first + String(CitizenID.checkCharacter(first)!) }
        let table: (String) -> AreaCode? = { ["310000": AreaCode(name: "上海市", since: nil), "810000": AreaCode(name: "香港特别行政区", since: 1997)][$0] }
        let hk = CitizenID.check(number("81000019600101002"), today: today, codeTable: table)
        #expect(hk.valid && hk.kind == .residencePermit && hk.warnings.isEmpty && hk.addressName == "香港特别行政区")
        let tw = CitizenID.check(number("83000019700101003"), today: today, codeTable: table)
        #expect(tw.valid && tw.kind == .residencePermit && tw.warnings.isEmpty)
        let foreign = CitizenID.check(number("93184019800101001"), today: today, codeTable: table)
        #expect(foreign.valid && foreign.kind == .foreignPermanentResident && foreign.warnings.isEmpty && foreign.addressName == "上海市")
        let citizen = CitizenID.check(number("31000019800101001"), today: today, codeTable: table)
        #expect(citizen.kind == .citizen && citizen.warnings.isEmpty)
    }
}
