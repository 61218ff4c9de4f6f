import Foundation
import RenkouCore
import Testing

@Suite struct ImportParsingTests {
    let today = Day(year: 2026, month: 11, day: 23)!

    @Test func encodingIsDetectedFromTheBytes() {
        let text = "姓名,公民身份号码\r\n张三,11010519491231002X\r\n"
        #expect(TableEncoding.detect(Array(text.utf8)) == .utf8)
        #expect(TableEncoding.detect([0xEF, 0xBB, 0xBF] + Array(text.utf8)) == .utf8)
        let gb = TableEncoding.gb18030.encode(text)
        #expect(gb != Array(text.utf8))
        #expect(TableEncoding.detect(gb) == .gb18030)
        #expect(TableEncoding.gb18030.decode(gb[0..<4]) == "姓名")
        // a UTF-8 character cut by the end of the sample is still UTF-8
        #expect(TableEncoding.detect(Array(text.utf8).prefix(4)) == .utf8)
    }

    @Test func csvRecordsSpanChunksQuotesAndLineBreaks() {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,2,3"
        var splitter = CSVSplitter()
        var records: [(Int, [String])] = []
        // fed one byte at a time: the chunk boundaries must not matter
        for b in Array(text.utf8) { splitter.feed([b]) { records.append(($0.line, $0.fields.map { TableEncoding.utf8.decode($0) })) } }
        splitter.finish { records.append(($0.line, $0.fields.map { TableEncoding.utf8.decode($0) })) }
        #expect(records.map(\.1) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "2", "3"]])
        #expect(records.map(\.0) == [1, 2, 5])
    }

    @Test func cellsAndDatesAreNormalised() {
        #expect(CellText.normalize("\u{3000}１１０１０５ＡＢ\u{3000}") == "110105AB")
        for text in ["2020-01-02", "2020/1/2", "20200102", "2020年1月2日", "2020.1.2", "43832", "43832.0", "2020-01-02 00:00:00"] {
            #expect(CellDate.parse(text)?.description == "2020-01-02", "\(text)")
        }
        for text in ["2020-13-01", "02/01/2020", "abc", "2020-2-30"] { #expect(CellDate.parse(text) == nil, "\(text)") }
    }

    @Test func headersInChineseOrEnglishAndMissingColumns() throws {
        let layout = try PersonImportLayout(headers: ["*姓名", "ID Number", "性 别", "备注", "单位"])
        #expect(layout.columns == [.name, .idNumber, .sex, nil, nil])
        #expect(layout.ignored == ["备注"])
        let missing = #expect { try PersonImportLayout(headers: ["姓名", "性别"]) }
            throws: { isRenkouError($0, field: "/header", code: "column-missing") } as? RenkouError
        #expect(missing?.fields.first?.code == "column-missing")
        #expect { try PersonImportLayout(headers: ["姓名", "身份证号", "公民身份号码"]) }
            throws: { isRenkouError($0, field: "/header", code: "column-twice") }
    }

    @Test func rowsTakeLabelsCodesAndReportEveryProblem() throws {
        let layout = try PersonImportLayout(headers: ["姓名", "公民身份号码", "性别", "出生日期", "民族", "户口性质", "婚姻状况", "户号", "与户主关系"])
        let good = PersonImportRow.parse(["李四", "110105491231001", "男", "19491231", "汉", "农业户口", "有配偶", "H1", "本人"], row: 2,
                                         layout: layout, defaultUnit: "310114001001", today: today)
        #expect(!good.isRejected)
        #expect(good.input.idNumber == "110105194912310011")
        #expect(good.input.sex == "1" && good.input.ethnicGroup == "01" && good.input.hukouType == "agricultural" && good.input.maritalStatus == "20")
        #expect(good.relation == "02" && good.household == "H1" && !good.unitGiven)
        #expect(good.problems.map(\.isError) == [false]) // the 15-digit upgrade is a warning
        let bad = PersonImportRow.parse(["", "110105194912310022", "中", "2020-02-30", "火星族", "", "", "", "配偶"], row: 7,
                                        layout: layout, defaultUnit: "310114001001", today: today)
        #expect(bad.isRejected)
        let columns = Set(bad.problems.filter(\.isError).map(\.column))
        #expect(columns.isSuperset(of: ["性别", "出生日期", "民族", "与户主关系"]))
        #expect(bad.problems.allSatisfy { $0.row == 7 && !$0.reason.zh.isEmpty && !$0.reason.en.isEmpty })
        // a birth date or sex that disagrees with the ID number is kept, with a warning for each
        let differs = PersonImportRow.parse(["王五", Fixture.id, "女", "1985-03-13"], row: 4, layout: layout, defaultUnit: "x", today: today)
        #expect(!differs.isRejected && differs.input.birthDate == "1985-03-13")
        #expect(differs.problems.map(\.column) == ["出生日期", "性别"] || differs.problems.map(\.column) == ["性别", "出生日期"])
        let number = PersonImportRow.parse(["王五", "1.10105194912310E+17"], row: 3, layout: layout, defaultUnit: "x", today: today)
        #expect(number.isRejected && number.problems[0].column == "公民身份号码")
    }
}

/// A valid male number born 1985-03-12.
private enum Fixture { static let id = "310114198503120016" }
