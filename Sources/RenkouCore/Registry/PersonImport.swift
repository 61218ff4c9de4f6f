import Foundation

/// The columns a person import understands, with the headers offices use for them (Chinese first,
/// English equivalents accepted). The template and the export use the first header of each.
public enum PersonColumn: String, Sendable, CaseIterable, Codable {
    case name, idNumber, sex, birthDate, ethnicGroup, hukouType, maritalStatus, firstMarriageDate
    case household, relation, address, building, room, phone, unit
    case education, occupation, hukouRegion, hukouAddress, category, status

    public var headers: [String] {
        switch self {
        case .name: ["姓名", "name"]
        case .idNumber: ["公民身份号码", "身份证号", "身份证号码", "公民身份证号码", "身份号码", "id number", "idnumber", "citizen id"]
        case .sex: ["性别", "sex", "gender"]
        case .birthDate: ["出生日期", "出生年月日", "birth date", "birthdate", "date of birth"]
        case .ethnicGroup: ["民族", "ethnic group", "ethnicgroup", "ethnicity"]
        case .hukouType: ["户口性质", "户籍性质", "hukou type", "hukoutype"]
        case .maritalStatus: ["婚姻状况", "marital status", "maritalstatus"]
        case .firstMarriageDate: ["初婚日期", "first marriage date", "firstmarriagedate"]
        case .household: ["户号", "household number", "household", "householdnumber"]
        case .relation: ["与户主关系", "与户主的关系", "relation to head", "relation", "relationtohead"]
        case .address: ["现居住地址", "现住址", "居住地址", "现居住地", "address", "current address"]
        case .building: ["楼栋", "楼号", "building"]
        case .room: ["房号", "室号", "room"]
        case .phone: ["联系电话", "电话", "手机", "手机号码", "phone", "telephone"]
        case .unit: ["单位代码", "社区代码", "unit code", "unitcode", "unit"]
        case .education: ["文化程度", "学历", "education"]
        case .occupation: ["职业", "occupation"]
        case .hukouRegion: ["户籍地代码", "户籍地区划代码", "hukou region", "hukouregion"]
        case .hukouAddress: ["户籍地址", "户籍地详址", "户籍地", "hukou address", "hukouaddress"]
        case .category: ["人口类别", "category"]
        case .status: ["人员状态", "status"]
        }
    }

    /// The columns of the downloadable template, in order.
    public static let template: [PersonColumn] = [.name, .idNumber, .sex, .birthDate, .ethnicGroup, .hukouType, .maritalStatus, .firstMarriageDate,
                                                 .household, .relation, .address, .phone]

    /// Headers of an export that an import reads without complaint although it does not use them.
    static let ignoredQuietly: Set<String> = ["单位", "unitname", "unit name", "年龄", "age", "序号", "no", "no."]

    static let byKey: [String: PersonColumn] = {
        var map: [String: PersonColumn] = [:]
        for c in allCases { for h in c.headers { map[CellText.headerKey(h)] = c } }
        return map
    }()
}

/// One finding on one row: an error rejects the row, a warning does not.
public struct ImportProblem: Sendable, Codable, Equatable {
    public var row: Int
    public var column: String
    public var value: String
    public var isError: Bool
    public var reason: Text
    public init(row: Int, column: String, value: String, isError: Bool = true, reason: Text) {
        self.row = row; self.column = column; self.value = value; self.isError = isError; self.reason = reason
    }

    /// The report's header and one line per problem (CSV, UTF-8 with BOM, both languages).
    public static let reportHeader = "\u{FEFF}行号 row,列 column,值 value,类型 kind,原因,reason\r\n"
    public var reportLine: String {
        [String(row), column, value, isError ? "错误 error" : "警告 warning", reason.zh, reason.en].map(CSV.spreadsheetCell).joined(separator: ",") + "\r\n"
    }
}

/// How the columns of a file map to person fields, decided once from its header row.
public struct PersonImportLayout: Sendable {
    public let columns: [PersonColumn?]
    public let headers: [String]
    /// Columns the import does not know: reported once as a warning, then ignored.
    public let ignored: [String]

    /// Reads the header row. A file without a name or ID-number column, or with a column twice, cannot be imported.
    public init(headers raw: [String]) throws {
        var columns: [PersonColumn?] = [], ignored: [String] = [], seen: Set<PersonColumn> = []
        var errors = FieldErrors()
        for h in raw {
            let key = CellText.headerKey(h)
            if let c = PersonColumn.byKey[key] {
                if seen.contains(c) { errors.add("/header", "column-twice", "列“\(h)”重复出现。", "The column \"\(h)\" appears twice.") }
                seen.insert(c); columns.append(c)
            } else {
                columns.append(nil)
                if !key.isEmpty && !PersonColumn.ignoredQuietly.contains(key) { ignored.append(CellText.normalize(h)) }
            }
        }
        for required in [PersonColumn.name, .idNumber] where !seen.contains(required) {
            errors.add("/header", "column-missing", "缺少“\(required.headers[0])”列。", "The column \"\(required.headers[0])\" is missing.")
        }
        try errors.throwIfAny()
        self.columns = columns; self.headers = raw.map(CellText.normalize); self.ignored = ignored
    }

    public func header(of column: PersonColumn) -> String {
        columns.firstIndex(of: column).map { headers[$0] } ?? column.headers[0]
    }
}

/// A data row turned into a person's values, its household and its problems.
public struct PersonImportRow: Sendable {
    public var row: Int
    public var input: PersonInput
    public var flags: [String]
    /// 户号 and 与户主关系 (GB/T 4761 code), when the file gives them.
    public var household: String?
    public var relation: String?
    /// True when the row names its unit (单位代码); otherwise a new record goes to the import's unit and an existing one stays where it is.
    public var unitGiven = false
    /// Fields the row left empty (or had no column for) that were filled from the ID number for a new
    /// record: on a person already registered they keep what is stored.
    public var derived: Set<PersonColumn> = []
    public var problems: [ImportProblem]
    public var isRejected: Bool { problems.contains(where: \.isError) }

    /// Parses and checks one row. Empty cells say nothing: on an existing record they leave the
    /// field as it is (`derived`). Labels (男, 汉族, 已婚, 户主 ...) and codes are both accepted.
    /// Warnings, besides the errors: what `renkou idcheck` says of the number (with `codeTable`, the
    /// loaded GB/T 2260 table), a birth date or sex that differs from it, a partial birth date completed
    /// from it, a first marriage before birth or under the legal age then (with `policy`), a cell a
    /// spreadsheet would run as a formula.
    public static func parse(_ cells: [String], row: Int, layout: PersonImportLayout, defaultUnit: String, today: Day,
                             codeTable: ((String) -> AreaCode?)? = nil, policy: Policy? = nil) -> PersonImportRow {
        var input = PersonInput()
        var problems: [ImportProblem] = []
        var household: String?, relation: String?
        var values: [PersonColumn: String] = [:]
        var partialBirth: (year: Int, month: Int?)?, partialFromID = false
        func problem(_ c: PersonColumn, _ value: String, _ reason: Text, error: Bool = true) {
            problems.append(ImportProblem(row: row, column: layout.header(of: c), value: value, isError: error, reason: reason))
        }
        for (i, raw) in cells.enumerated() where i < layout.columns.count {
            guard let c = layout.columns[i] else { continue }
            let v = CellText.normalize(raw)
            if !v.isEmpty { values[c] = v }
        }
        if cells.count > layout.columns.count, cells[layout.columns.count...].contains(where: { !CellText.normalize($0).isEmpty }) {
            problems.append(ImportProblem(row: row, column: "", value: "", isError: false,
                                          reason: Text("本行的单元格多于表头，多出的部分已忽略。", "The row has more cells than the header; the extra ones were ignored.")))
        }
        for (c, v) in values {
            switch c {
            case .name: input.name = v.unicodeScalars.allSatisfy({ $0 == " " || !String.isSpace($0) }) ? v : v.filter { !$0.isWhitespace || $0 == " " }
            case .idNumber:
                if v.contains("E+") || v.contains("e+") {
                    problem(c, v, Text("身份号码被表格软件存成了数字，后几位已丢失；请将该列设为文本格式后重新导出。",
                                       "The spreadsheet stored the ID number as a number and lost its last digits; format the column as text and export again."))
                    continue
                }
                input.idNumber = v
                let n = CitizenID.normalize(v)
                if v.filter({ !$0.isWhitespace }).count == 15 && n.count == 18 {
                    problem(c, v, Text("15 位号码已升级为 18 位：\(n)。", "The 15-digit number was upgraded to 18 digits: \(n)."), error: false)
                }
            case .sex: input.sex = code(v, Codes.sex, c, &problems, row, layout, extra: sexWords)
            case .ethnicGroup: input.ethnicGroup = code(v, Codes.ethnicGroup, c, &problems, row, layout, extra: ethnicWords)
            case .hukouType: input.hukouType = code(v, Codes.hukouType, c, &problems, row, layout, extra: hukouWords)
            case .maritalStatus: input.maritalStatus = code(v, Codes.maritalStatus, c, &problems, row, layout, extra: maritalWords)
            case .category: input.category = code(v, Codes.category, c, &problems, row, layout, extra: [:])
            case .status: input.status = code(v, Codes.status, c, &problems, row, layout, extra: [:])
            case .relation: relation = code(v, Household.relations, c, &problems, row, layout, extra: relationWords)
            case .birthDate, .firstMarriageDate:
                switch CellDate.read(v) {
                case .day(let day):
                    if c == .birthDate { input.birthDate = day.description } else { input.firstMarriageDate = day.description }
                case .partial(let year, let month):
                    // A year (and month) alone names no day: the ID number's birth date is taken when it agrees
                    // (below); otherwise the row waits for the whole date. No day is invented.
                    if c == .birthDate { partialBirth = (year, month) } else {
                        problem(c, v, Text("初婚日期只有年\(month == nil ? "" : "月")，没有日；请填写完整日期。", "The first-marriage date gives a \(month == nil ? "year" : "year and month") but no day; give the whole date."))
                    }
                case .invalid:
                    problem(c, v, Text("无法识别的日期；可写作 2020-01-02、2020/1/2、20200102 或 2020年1月2日。",
                                       "Not a date; write 2020-01-02, 2020/1/2, 20200102 or 2020年1月2日."))
                }
            case .household: household = v
            case .address: input.address = v
            case .building: input.building = v
            case .room: input.room = v
            case .phone: input.phone = v
            case .unit: input.unit = v
            case .education: input.education = v
            case .occupation: input.occupation = v
            case .hukouRegion: input.hukouRegion = v
            case .hukouAddress: input.hukouAddress = v
            }
        }
        // (Not the phone: `+86 …` is how numbers are written, and an export quotes it anyway.)
        for c in [PersonColumn.name, .address, .occupation, .education, .hukouAddress, .building, .room, .household]
        where values[c].map(CellText.looksLikeFormula) == true {
            problem(c, values[c]!, Text("以 \(values[c]!.prefix(1)) 开头：表格软件会把它当作公式；请核对。导出时会在前面加 ' 以免被执行。",
                                       "It begins with \(values[c]!.prefix(1)): a spreadsheet would run it as a formula; check it. Exports write it after a ' so that it is not run."), error: false)
        }
        if let partial = partialBirth {
            let fromID = values[.idNumber].flatMap { CitizenID.birthDateAndSex(CitizenID.normalize($0)) }.flatMap { Day($0.birthDate) }
            if let fromID, fromID.year == partial.year, partial.month.map({ $0 == fromID.month }) ?? true {
                input.birthDate = fromID.description
                partialFromID = true
                problem(.birthDate, values[.birthDate]!, Text("出生日期只有年\(partial.month == nil ? "" : "月")，已取身份号码中的日期 \(fromID)。",
                                                              "The birth date gives no day; the ID number's date \(fromID) was taken."), error: false)
            } else {
                problem(.birthDate, values[.birthDate]!, Text("出生日期只有年\(partial.month == nil ? "" : "月")，没有日，且与身份号码不符；请填写完整日期。",
                                                              "The birth date gives no day and does not agree with the ID number; give the whole date."))
            }
        }
        if input.unit == nil { input.unit = defaultUnit }
        if relation != nil && household == nil {
            problem(.relation, values[.relation] ?? "", Text("填写了与户主关系，但没有户号。", "A relation to the head is given without a household number."))
        }
        var flags: [String] = []
        var derived: Set<PersonColumn> = []
        if !problems.contains(where: \.isError) {
            do {
                let checked = try input.validated(creating: true, today: today)
                input = checked.input; flags = checked.flags
                // A file's rows are matched by ID number (a second import updates, never duplicates): a
                // child without one yet is registered by hand or from the hospital's file instead.
                if input.idNumber == nil {
                    problem(.idNumber, "", Text("导入须有身份号码；尚未落户的儿童请在人员页面登记。", "An imported row needs an ID number; register a child without one on the persons page."))
                }
                // A partial date completed from the number is the number's too: a stored day is kept.
                if (values[.birthDate] == nil || partialFromID) && input.birthDate != nil { derived.insert(.birthDate) }
                if values[.sex] == nil && input.sex != nil { derived.insert(.sex) }
                if let id = input.idNumber {
                    for w in CitizenID.check(id, today: today, codeTable: codeTable).warnings { problem(.idNumber, values[.idNumber] ?? id, w.message, error: false) }
                }
                if let married = input.firstMarriageDate.flatMap(Day.init), let born = input.birthDate.flatMap(Day.init) {
                    if married < born {
                        problem(.firstMarriageDate, values[.firstMarriageDate] ?? "", Text("初婚日期早于出生日期 \(born)。", "The first marriage is dated before the birth (\(born))."), error: false)
                    } else if let policy, let sex = input.sex, ["1", "2"].contains(sex) {
                        let legal = policy(.legalMarriageAge, on: married), age = born.age(on: married)
                        if age < (sex == "1" ? legal.male : legal.female) {
                            problem(.firstMarriageDate, values[.firstMarriageDate] ?? "", Text("初婚时 \(age) 岁，未达当时的法定婚龄（男 \(legal.male) 岁，女 \(legal.female) 岁）。",
                                                                                            "Married at \(age), below the legal age then (\(legal.male) for men, \(legal.female) for women)."), error: false)
                        }
                    }
                }
                // A birth date or sex that disagrees with the ID number is kept (real records contain them) and
                // warned about; the data-quality rules list the record until someone corrects it.
                // The number has passed the full check in `validated`; here only its fields are read.
                if let id = input.idNumber, let fromID = CitizenID.birthDateAndSex(id) {
                    if let stated = values[.birthDate], input.birthDate != fromID.birthDate {
                        problem(.birthDate, stated, Text("出生日期与身份号码不符（号码为 \(fromID.birthDate)）。", "The birth date differs from the ID number's (\(fromID.birthDate))."), error: false)
                    }
                    if let stated = values[.sex], input.sex != String(fromID.sex) {
                        problem(.sex, stated, Text("性别与身份号码不符。", "The sex differs from the ID number's."), error: false)
                    }
                }
            } catch let e as RenkouError {
                for f in e.fields {
                    let c = PersonColumn(rawValue: f.field) ?? .name
                    // A form asks for a reason to keep a wrong check character; a file cannot give one.
                    let message = f.code == "id-checksum"
                        ? CitizenID.check(values[c] ?? "", today: today).errors.first { $0.code == "id-checksum" }?.message ?? f.message : f.message
                    problem(c, values[c] ?? "", message)
                }
            } catch {
                problem(.name, "", Text("无法读取本行。", "The row could not be read."))
            }
        }
        return PersonImportRow(row: row, input: input, flags: flags, household: household, relation: relation, unitGiven: values[.unit] != nil, derived: derived, problems: problems)
    }

    /// A code of `table` from its code, its Chinese or English label, or a word offices use for it.
    static func code(_ v: String, _ table: [Codes.Entry], _ c: PersonColumn, _ problems: inout [ImportProblem], _ row: Int,
                     _ layout: PersonImportLayout, extra: [String: String]) -> String? {
        let key = v.lowercased()
        if let e = table.first(where: { $0.code == v || $0.label.zh == v || $0.label.en.lowercased() == key }) { return e.code }
        if let code = extra[key] { return code }
        if v.count == 1, let n = Int(v), let e = table.first(where: { $0.code == "0\(n)" }) { return e.code }
        let known = table.prefix(6).map { $0.label.zh }.joined(separator: "、")
        problems.append(ImportProblem(row: row, column: layout.header(of: c), value: v,
                                      reason: Text("无法识别的值；可填代码或名称，如 \(known) 等。", "Not a known value; give the code or the name, such as \(table.prefix(4).map { $0.label.en }.joined(separator: ", "))."))
        )
        return nil
    }

    static let sexWords = ["男性": "1", "女性": "2", "m": "1", "f": "2"]
    static let hukouWords = ["农业户口": "agricultural", "非农业户口": "non-agricultural", "居民户口": "resident", "城镇": "non-agricultural",
                             "农村": "agricultural", "家庭户口": "resident", "非农": "non-agricultural"]
    static let maritalWords = ["有配偶": "20", "单身": "10", "未婚单身": "10", "离异": "40", "married": "20", "single": "10"]
    static let ethnicWords: [String: String] = {
        var m: [String: String] = [:]
        for e in Codes.ethnicGroup where e.label.zh.hasSuffix("族") { m[String(e.label.zh.dropLast())] = e.code }
        m["汉"] = "01"
        return m
    }()
    static let relationWords = ["子": "20", "女": "30", "本人": "02", "户主本人": "02", "妻": "10", "妻子": "10", "夫": "10", "丈夫": "10", "儿子": "20", "长子": "20", "次子": "20",
                                "三子": "20", "独生子": "20", "女儿": "30", "长女": "30", "次女": "30", "三女": "30", "独生女": "30", "孙子": "40",
                                "孙女": "40", "外孙子": "40", "外孙女": "40", "父亲": "50", "母亲": "50", "父": "50", "母": "50", "祖父": "60",
                                "祖母": "60", "外祖父": "60", "外祖母": "60", "兄": "70", "弟": "70", "姐": "70", "妹": "70", "哥哥": "70",
                                "弟弟": "70", "姐姐": "70", "妹妹": "70", "儿媳": "80", "女婿": "80", "其他": "80", "保姆": "99", "非亲属": "99",
                                "集体户成员": "99"]
}
