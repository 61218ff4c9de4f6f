import Foundation
import RenkouCore
@testable import RenkouFiles
@testable import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing
import ZIPFoundation

/// Files as offices really have them (#18 part 10): written by Excel in its other formats, exported
/// and opened again, half filled in, with dates a spreadsheet keeps its own way. Each test imports
/// them through the registry's importer on both engines and checks what a worker would see.
@Suite struct RealWorldFilesTests {
    typealias Problems = PersonImportTests.Problems

    static func file(_ bytes: [UInt8], ext: String = "csv") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-real-\(UUID().uuidString).\(ext)")
        try Data(bytes).write(to: url)
        return url
    }

    static func run(_ stores: Stores, _ url: URL, mode: ImportMode = .allOrNothing, problems: Problems = Problems()) async throws -> PersonImportResult {
        try await stores.importer.run(file: url, fileName: url.lastPathComponent, unitCode: Fixture.communityA1, mode: mode, in: .everything, by: .cli(),
                                      problem: problems.add)
    }

    static func person(_ stores: Stores, _ id: String) async throws -> Person? {
        var q = PersonQuery(); q.idNumber = id
        return try await stores.persons.search(q, in: .everything, by: .cli()).items.first
    }

    @Test(arguments: TestEngine.all) func anEmptyCellOrAMissingColumnKeepsWhatIsStored(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let id = Fixture.idNumber(41, birth: "19700101")   // a man's number, born 1 January
            // The record says 女 and 2 January (kept against the number: real records contain such).
            let first = try Self.file(Array("姓名,公民身份号码,性别,出生日期\r\n朱一,\(id),女,1970-01-02\r\n".utf8))
            defer { try? FileManager.default.removeItem(at: first) }
            #expect(try await Self.run(stores, first).imported == 1)
            // A later file with only the name and number, and one with the columns but empty cells.
            for text in ["姓名,公民身份号码\r\n朱一,\(id)\r\n", "姓名,公民身份号码,性别,出生日期\r\n朱一,\(id),,\r\n"] {
                let again = try Self.file(Array(text.utf8))
                defer { try? FileManager.default.removeItem(at: again) }
                let r = try await Self.run(stores, again)
                #expect((r.read, r.unchanged, r.updated) == (1, 1, 0), "\(text)")
                let p = try #require(try await Self.person(stores, id))
                #expect(p.sex == "2" && p.birthDate == "1970-01-02", "\(text)")
            }
            // A year alone that agrees with the number does not replace the stored day either.
            let partial = try Self.file(Array("姓名,公民身份号码,出生日期\r\n朱一,\(id),1970\r\n".utf8))
            defer { try? FileManager.default.removeItem(at: partial) }
            #expect(try await Self.run(stores, partial).unchanged == 1)
            #expect(try await Self.person(stores, id)?.birthDate == "1970-01-02")
            // A correction through the API that names only the phone leaves them too.
            let p = try #require(try await Self.person(stores, id))
            var fix = PersonInput(); fix.phone = "13800138000"; fix.idNumber = id
            let fixed = try await stores.persons.update(p.id, fix, in: .everything, by: .cli())
            #expect(fixed.sex == "2" && fixed.birthDate == "1970-01-02" && fixed.phone == "13800138000")
            // A form that empties the birth date gets the number's back (never a record without one).
            var cleared = PersonInput(); cleared.birthDate = ""
            #expect(try await stores.persons.update(p.id, cleared, in: .everything, by: .cli()).birthDate == "1970-01-01")
        }
    }

    @Test(arguments: TestEngine.all) func blankRowsAreSkippedAndCounted(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let text = "姓名,公民身份号码,性别\r\n甲,\(Fixture.idNumber(1)),男\r\n乙,\(Fixture.idNumber(2)),女\r\n,,\r\n , ,\u{3000}\r\n,,\r\n"
            let url = try Self.file(Array(text.utf8))
            defer { try? FileManager.default.removeItem(at: url) }
            let r = try await Self.run(stores, url)
            #expect((r.read, r.imported, r.rejected, r.blank, r.committed) == (2, 2, 0, 3, true))
        }
    }

    @Test(arguments: TestEngine.all) func filesExcelWritesInItsOtherFormats(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            // "Unicode text": UTF-16 with a byte-order mark, tab-separated.
            let unicode = try Self.file(TableEncoding.utf16LE.encode("姓名\t公民身份号码\t现居住地址\r\n王芳\t\(Fixture.idNumber(11))\t白银路1号, 2室\r\n"))
            // A semicolon-separated CSV (the comma is the decimal mark where it was saved).
            let semicolon = try Self.file(Array("姓名;公民身份号码;性别\r\n李娜;\(Fixture.idNumber(12));女\r\n".utf8))
            // A merged title row (and a date line) above the headers.
            let titled = try Self.file(TableEncoding.gb18030.encode("2026年白银路社区人口登记表,,\r\n填报日期：2026-11-01,,\r\n姓名,公民身份号码,性别\r\n赵强,\(Fixture.idNumber(13)),男\r\n"))
            defer { for u in [unicode, semicolon, titled] { try? FileManager.default.removeItem(at: u) } }
            let u = try await Self.run(stores, unicode)
            #expect((u.read, u.imported, u.encoding) == (1, 1, "UTF-16LE"))
            #expect(try await Self.person(stores, Fixture.idNumber(11))?.address == "白银路1号, 2室")
            #expect(try await Self.run(stores, semicolon).imported == 1)
            #expect(try await Self.person(stores, Fixture.idNumber(12))?.name == "李娜")
            let problems = Problems()
            let t = try await Self.run(stores, titled, problems: problems)
            #expect((t.read, t.imported, t.headerRow) == (1, 1, 3))
            #expect(problems.all.contains { !$0.isError && $0.row == 3 && $0.reason.en.contains("title rows") })
        }
    }

    @Test(arguments: TestEngine.all) func aFileWithoutHeadersSaysWhatWasFoundAndTheReportHoldsIt(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let url = try Self.file(Array("Name;Birth\r\n王芳;1990-01-01\r\n".utf8))
            let reportURL = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-report-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: url); try? FileManager.default.removeItem(at: reportURL) }
            let report = try ImportReportFile(url: reportURL)
            let e = await #expect {
                try await stores.importer.run(file: url, fileName: "x.csv", unitCode: Fixture.communityA1, mode: .allOrNothing, in: .everything, by: .cli(),
                                              problem: report.write)
            } throws: { isRenkouError($0, field: "/header", code: "header-not-found") } as? RenkouError
            report.close()
            // What was found: the encoding, the separator, the first row; then what the closest row lacked.
            #expect(e?.fields.first?.message.en.contains("UTF-8 text separated by semicolons") == true)
            #expect(e?.fields.first?.message.zh.contains("Name | Birth") == true)
            #expect(e?.fields.dropFirst().map(\.code) == ["column-missing"])
            let lines = try String(contentsOf: reportURL, encoding: .utf8).split(separator: "\r\n")
            #expect(lines.count == 3)
            #expect(lines[1].contains("None of the first 2 rows holds the headers") && lines[2].contains("公民身份号码"))
        }
    }

    @Test(arguments: TestEngine.all) func theImportChecksNumbersAsIDCheckDoes(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            try await stores.orgs.loadShippedCodeTable(by: .cli())
            func number(_ first: String) -> String { first + String(CitizenID.checkCharacter(first)!) }
            let today = Day(stores.env.now())
            // Born 1950 under a code listed since the table's first edition: no warning (the table begins in 1981).
            #expect(try await stores.orgs.checkIDNumber("110101195001010156", today: today).warnings.isEmpty)
            // 石家庄长安区 (130102) since 1983 for someone born in 1950: numbers came in 1984, no warning.
            #expect(try await stores.orgs.checkIDNumber(number("13010219500101001"), today: today).warnings.isEmpty)
            // 崇明区 (310151) since 2016, for someone born in 1990: a warning.
            #expect(try await stores.orgs.checkIDNumber(number("31015119900101001"), today: today).warnings.map(\.code) == ["id-address-later"])
            let hk = try await stores.orgs.checkIDNumber(number("81000019600101002"), today: today)
            #expect(hk.kind == .residencePermit && hk.warnings.isEmpty)
            let foreign = try await stores.orgs.checkIDNumber(number("93184019800101001"), today: today)
            #expect(foreign.kind == .foreignPermanentResident && foreign.warnings.isEmpty && foreign.addressName == "上海市")

            let rows = [("港澳", number("81000019600101002")), ("外籍", number("93184019800101001")), ("老人", "110101195001010156"),
                        ("不明", number("31999919800101001")), ("崇明", number("31015119900101001"))]
            let url = try Self.file(Array(("姓名,公民身份号码\r\n" + rows.map { "\($0.0),\($0.1)\r\n" }.joined()).utf8))
            defer { try? FileManager.default.removeItem(at: url) }
            let problems = Problems()
            let r = try await Self.run(stores, url, problems: problems)
            #expect((r.imported, r.rejected) == (5, 0))
            #expect(problems.all.map(\.row) == [5, 6])
            #expect(problems.all.map(\.reason.en) == ["Address code 319999 is not in the loaded code table.", "Address code 310151 came into use in 2016, after the birth year."])
        }
    }

    @Test(arguments: TestEngine.all) func impossibleSequencesAreWarnedAtImport(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let text = """
                姓名,公民身份号码,性别,婚姻状况,初婚日期
                甲,\(Fixture.idNumber(2, birth: "19850312")),女,已婚,1980-05-01
                乙,\(Fixture.idNumber(4, birth: "19850312")),女,已婚,1990-05-01
                丙,\(Fixture.idNumber(6, birth: "19850312")),女,已婚,2008-05-01

                """.replacingOccurrences(of: "\n", with: "\r\n")
            let url = try Self.file(Array(text.utf8))
            defer { try? FileManager.default.removeItem(at: url) }
            let problems = Problems()
            let r = try await Self.run(stores, url, problems: problems)
            #expect((r.imported, r.rejected, r.warnings) == (3, 0, 2))
            #expect(problems.all.map(\.row) == [2, 3])
            #expect(problems.all[0].reason.en.contains("before the birth"))
            #expect(problems.all[1].reason.en == "Married at 5, below the legal age then (22 for men, 20 for women).")
        }
    }

    /// A workbook as Excel writes one: shared strings, a styles part whose formats tell date cells,
    /// and (on a Mac of old) `date1904`.
    static func workbook(date1904: Bool, rows: [[(String, style: Int?)]]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-real-\(UUID().uuidString).xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        var sheet = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        for (r, row) in rows.enumerated() {
            sheet += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = "\(XLSX.columnName(c))\(r + 1)"
                if let style = cell.style { sheet += "<c r=\"\(ref)\" s=\"\(style)\"><v>\(cell.0)</v></c>" }
                else { sheet += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(cell.0)</t></is></c>" }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let parts = [
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("xl/workbook.xml", "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><workbookPr\(date1904 ? " date1904=\"1\"" : "") defaultThemeVersion=\"124226\"/><sheets><sheet name=\"人口\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            // Format 0 general, 1 built-in 14 (m/d/yyyy), 2 a custom 年月日 format, 3 a number with two decimals.
            // Format 4 is `General` written as a custom format, as LibreOffice writes it: numbers, not dates.
            ("xl/styles.xml", "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts count=\"3\"><numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/><numFmt numFmtId=\"177\" formatCode=\"0.00_);[Red]\\(0.00\\)\"/><numFmt numFmtId=\"178\" formatCode=\"General\"/></numFmts><cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/><xf numFmtId=\"176\" applyNumberFormat=\"1\"/><xf numFmtId=\"177\"/><xf numFmtId=\"178\"/></cellXfs></styleSheet>"),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    @Test(arguments: TestEngine.all) func workbooksInEitherDateSystem(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            // 1990-03-07 is day 32939 counted from 1899-12-30 and day 31477 from 1904-01-01; 2015-05-01 is 42125 or 40663.
            for (date1904, birth, marriage, n) in [(false, "32939", "42125", 31), (true, "31477", "40663", 33)] {
                let id = Fixture.idNumber(n, birth: "19900307")
                let url = try Self.workbook(date1904: date1904, rows: [
                    [("姓名", nil), ("公民身份号码", nil), ("出生日期", nil), ("初婚日期", nil), ("婚姻状况", nil), ("房号", nil), ("楼栋", nil)],
                    [("钱多", nil), (id, nil), (birth, style: 1), (marriage, style: 2), ("已婚", nil), ("12", style: 4), ("3", style: 3)],
                ])
                defer { try? FileManager.default.removeItem(at: url) }
                let problems = Problems()
                let r = try await Self.run(stores, url, problems: problems)
                #expect((r.imported, r.rejected) == (1, 0), "date1904 \(date1904)")
                #expect(problems.all.isEmpty, "date1904 \(date1904): \(problems.all.map(\.reason.en))")
                let p = try #require(try await Self.person(stores, id))
                #expect(p.birthDate == "1990-03-07" && p.firstMarriageDate == "2015-05-01", "date1904 \(date1904)")
                #expect(p.room == "12" && p.building == "3", "date1904 \(date1904)")
            }
        }
    }

    @Test func dateFormatsAreToldFromNumberFormats() {
        #expect(XLSX.DateCells.showsDate("yyyy\"年\"m\"月\"d\"日\""))
        #expect(XLSX.DateCells.showsDate("[$-804]e/m/d"))
        #expect(XLSX.DateCells.showsDate("d-mmm-yy"))
        #expect(!XLSX.DateCells.showsDate("0.00_);[Red]\\(0.00\\)"))
        #expect(!XLSX.DateCells.showsDate("mm:ss"))
        #expect(!XLSX.DateCells.showsDate("\"day\" 0"))
        #expect(!XLSX.DateCells.showsDate("General") && !XLSX.DateCells.showsDate("0.00E+00") && !XLSX.DateCells.showsDate("##0.0E-0"))
        var cells = XLSX.DateCells()
        #expect(cells.day("43832") == "2020-01-02" && cells.day("43832.75") == "2020-01-02" && cells.day("1") == "1900-01-01")
        cells.date1904 = true
        #expect(cells.day("42370") == "2020-01-02" && cells.day("0") == "1904-01-01")
    }

    @Test(arguments: TestEngine.all) func leapDayAgesInSearch(engine: TestEngine) async throws {
        // 2028-02-29, noon in Shanghai.
        try await withTestStores(engine, clock: TestClock(Date(timeIntervalSince1970: 1_835_409_600))) { stores in
            try await Fixture.tree(stores)
            let seventeen = Fixture.idNumber(1, birth: "20100301"), eighteen = Fixture.idNumber(3, birth: "20100228")
            let fourteen = Fixture.idNumber(2, birth: "20130301"), fifteen = Fixture.idNumber(4, birth: "20130228")
            for (name, id) in [("甲", seventeen), ("乙", eighteen), ("丙", fourteen), ("丁", fifteen)] {
                _ = try await stores.persons.create(PersonInput(name: name, idNumber: id, unit: Fixture.communityA1), in: .everything, by: .cli())
            }
            func found(_ parameters: [String: String]) async throws -> Set<String> {
                Set(try await stores.persons.search(try PersonQuery.parse { parameters[$0] }, in: .everything, by: .cli()).items.compactMap(\.idNumber))
            }
            #expect(try await found(["ageMin": "18"]) == [eighteen])
            #expect(try await found(["ageMin": "17", "ageMax": "17"]) == [seventeen])
            #expect(try await found(["wra": "1"]) == [fifteen])
            // The pyramid counts the girl of 14 in 10–14, not by her birth year in 15–19.
            let pyramid = try await stores.persons.ageStructure(unitCode: Fixture.district, on: Day(stores.env.now()), in: .everything)
            #expect(pyramid.first { $0.label == "10–14" }.map { [$0.male, $0.female] } == [0, 1])
            #expect(pyramid.first { $0.label == "15–19" }.map { [$0.male, $0.female] } == [2, 1])
            // the district is read without the path index, a community through it: the same people
            let community = try await stores.persons.ageStructure(unitCode: Fixture.communityA1, on: Day(stores.env.now()), in: .everything)
            #expect(community.map { [$0.male, $0.female] } == pyramid.map { [$0.male, $0.female] })
            let other = try await stores.persons.ageStructure(unitCode: Fixture.communityB1, on: Day(stores.env.now()), in: .everything)
            #expect(other.allSatisfy { $0.male == 0 && $0.female == 0 })
        }
    }

    @Test(arguments: TestEngine.all) func namesStoredBeforeAreBroughtIntoTheOneForm(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let ayi = try await stores.persons.create(PersonInput(name: "阿依古丽·买买提", idNumber: Fixture.idNumber(2), unit: Fixture.communityA1), in: .everything, by: .cli())
            let emile = try await stores.persons.create(PersonInput(name: "ÉMILE", idNumber: Fixture.idNumber(3), unit: Fixture.communityA1), in: .everything, by: .cli())
            // As an older version stored them: the bullet as typed, grams folded by SQL's lower().
            try await stores.db.write { db in
                try await db.raw("UPDATE persons SET name = '阿依古丽•买买提' WHERE id = \(bind: ayi.id.text)").run()
                try await db.raw("DELETE FROM person_name_grams WHERE person_id IN (\(bind: ayi.id.text), \(bind: emile.id.text))").run()
                for (id, name) in [(ayi.id.text, "阿依古丽•买买提"), (emile.id.text, "ÉMILE")] {
                    let scalars = Array(name.unicodeScalars)
                    for (i, s) in scalars.enumerated() {
                        let lower: (Unicode.Scalar) -> String = { $0.isASCII ? String($0).lowercased() : String($0) }
                        try await db.raw("INSERT INTO person_name_grams (gram, person_id) VALUES (\(bind: lower(s)), \(bind: id)) ON CONFLICT DO NOTHING").run()
                        if i + 1 < scalars.count {
                            try await db.raw("INSERT INTO person_name_grams (gram, person_id) VALUES (\(bind: lower(s) + lower(scalars[i + 1])), \(bind: id)) ON CONFLICT DO NOTHING").run()
                        }
                    }
                }
            }
            func found(_ name: String) async throws -> [String] {
                try await stores.persons.search(try PersonQuery.parse { ["q": name][$0] }, in: .everything, by: .cli()).items.map(\.name)
            }
            let before = (try await found("阿依古丽·买买提"), try await found("ÉMILE"))
            #expect(before.0.isEmpty && before.1.isEmpty)
            try await stores.db.write { db in try await Migration051NamesInOneForm.migration.after!(stores.db.engine, db) }
            #expect(try await found("阿依古丽•买买提") == ["阿依古丽·买买提"])
            #expect(try await found("ÉMILE") == ["ÉMILE"])
        }
    }

    /// The fuzzer's seed files and every input it ever found at fault (Tests/fuzz: corpus, findings) read
    /// as an upload is read: each one ends, refused or read, and none crashes the reader.
    @Test func fuzzSeedsAndFindingsAreReadWithoutACrash() async throws {
        let root = Fixture.repository.appendingPathComponent("Tests/fuzz")
        var files: [URL] = []
        for folder in ["corpus", "findings"] {
            files += (try? FileManager.default.contentsOfDirectory(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)) ?? []
        }
        #expect(files.count >= 10)
        var kinds: Set<String> = []
        for file in files {
            if let summary = try? await TableFile.read(file, row: { _, _ in }) { kinds.insert(summary.kind.rawValue + "/" + (summary.encoding?.rawValue ?? "")) }
        }
        #expect(kinds.isSuperset(of: ["xlsx/", "csv/UTF-8", "csv/GB18030", "csv/UTF-16LE"]))
        // And through everything the fuzzer runs them through (renkou-fuzz without libFuzzer), in time.
        let replay = Fixture.repository.appendingPathComponent(".build/debug/renkou-fuzz")
        try #require(FileManager.default.isExecutableFile(atPath: replay.path), "swift build --build-tests builds renkou-fuzz")
        let (printed, succeeded) = try await Self.runProgram(replay, files.map(\.path))
        #expect(succeeded)
        #expect(printed.split(separator: "\n").filter { $0.hasSuffix(": ok") }.count == files.count)
    }

    /// Runs a program to its end, or for two minutes at most (then stops it): what it printed on
    /// standard output, and whether it ended by itself with status 0.
    static func runProgram(_ executable: URL, _ arguments: [String]) async throws -> (printed: String, succeeded: Bool) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out; process.standardError = FileHandle.nullDevice
        try process.run()
        let started = Date()
        while process.isRunning && Date().timeIntervalSince(started) < 120 { try await Task.sleep(nanoseconds: 50_000_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (printed, process.terminationReason == .exit && process.terminationStatus == 0)
    }

    /// `soffice` (LibreOffice Calc, which the test script installs) opens a CSV and saves it again, as
    /// an office worker does in a spreadsheet.
    static func throughSpreadsheet(_ url: URL) async throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-soffice-\(UUID().uuidString)")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-soffice-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        guard let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw RenkouError(.invalid, "no-soffice", Text("缺少 LibreOffice（soffice）。", "LibreOffice (soffice) is missing: apt-get install libreoffice-calc-nogui (scripts/test does)."))
        }
        _ = try await runProgram(URL(fileURLWithPath: soffice), ["-env:UserInstallation=file://\(profile.path)", "--headless", "--infilter=CSV:44,34,76",
                                                                  "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", out.path, url.path])
        return out.appendingPathComponent(url.lastPathComponent)
    }

    @Test(arguments: TestEngine.all) func anExportSurvivesASpreadsheetAndImportsAgain(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let people = [("王芳", Fixture.idNumber(12, birth: "19800101")), ("=1+2", Fixture.idNumber(14, birth: "19900505")),
                          ("李四", Fixture.idNumber(16, birth: "20000229"))]
            for (name, id) in people {
                var input = PersonInput(name: name, idNumber: id, unit: Fixture.communityA1); input.phone = "02162345678"
                _ = try await stores.persons.create(input, in: .everything, by: .cli())
            }
            let listed = try await stores.persons.search(PersonQuery(), in: .everything, by: .cli()).items
            let export = try Self.file(Array((PersonCSV.headerLine + listed.map { PersonCSV.line($0, masked: false) }.joined()).utf8))
            let saved = try await Self.throughSpreadsheet(export)
            defer { try? FileManager.default.removeItem(at: export); try? FileManager.default.removeItem(at: saved.deletingLastPathComponent()) }
            let text = try String(contentsOf: saved, encoding: .utf8)
            // The spreadsheet kept every number whole (no 3.10114E+17) and ran no formula.
            for (_, id) in people { #expect(text.contains(id)) }
            #expect(!text.contains("E+") && text.contains("=1+2"))
            let problems = Problems()
            let r = try await Self.run(stores, saved, problems: problems)
            #expect((r.read, r.unchanged, r.updated, r.rejected) == (3, 3, 0, 0))
            #expect(problems.all.filter(\.isError).isEmpty)
        }
    }
}
