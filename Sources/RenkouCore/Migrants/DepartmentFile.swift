import Foundation

/// Files from other departments, each in a documented CSV/XLSX layout (first row: headers):
/// - police 公安暂住登记: 类型 (登记/注销), 姓名, 公民身份号码, 暂住地址, 日期, 户籍地址
/// - hospital 医院分娩: 母亲姓名, 母亲身份号码, 分娩日期, 婴儿姓名, 婴儿身份号码 (optional), 婴儿性别
/// - civil affairs 民政婚姻登记: 类型 (结婚/离婚), 男方姓名, 男方身份号码, 女方姓名, 女方身份号码, 登记日期
/// Each row is matched against the registry: matched (nothing to do), a proposal a worker accepts or
/// rejects (nothing changes silently), a home-visit task (入户核实), or rejected with its reason.
public enum DepartmentFileKind: String, Sendable, Codable, CaseIterable {
    case police, hospital, civilAffairs = "civil-affairs"

    public var label: Text {
        switch self {
        case .police: Text("公安暂住登记", "Police temporary-residence file")
        case .hospital: Text("医院分娩信息", "Hospital delivery file")
        case .civilAffairs: Text("民政婚姻登记", "Civil-affairs marriage file")
        }
    }

    /// The columns, each with the headers accepted for it; the first is the documented one.
    public var columns: [(key: String, headers: [String], required: Bool)] {
        switch self {
        case .police: [("action", ["类型", "登记类型", "action"], true), ("name", ["姓名", "name"], true), ("idNumber", PersonColumn.idNumber.headers, true),
                       ("address", ["暂住地址", "居住地址", "address"], false), ("day", ["日期", "登记日期", "注销日期", "date"], true), ("hukouAddress", ["户籍地址", "hukou address"], false)]
        case .hospital: [("motherName", ["母亲姓名", "mother name"], true), ("motherID", ["母亲身份号码", "母亲身份证号", "mother id number"], true),
                         ("day", ["分娩日期", "出生日期", "delivery date"], true), ("babyName", ["婴儿姓名", "baby name"], false),
                         ("babyID", ["婴儿身份号码", "婴儿身份证号", "baby id number"], false), ("babySex", ["婴儿性别", "baby sex"], false)]
        case .civilAffairs: [("action", ["类型", "登记类型", "action"], true), ("manName", ["男方姓名", "man name"], true), ("manID", ["男方身份号码", "男方身份证号", "man id number"], true),
                             ("womanName", ["女方姓名", "woman name"], true), ("womanID", ["女方身份号码", "女方身份证号", "woman id number"], true),
                             ("day", ["登记日期", "日期", "date"], true)]
        }
    }

    /// Which column each header of a file holds; a missing required column refuses the file.
    public func layout(_ headers: [String]) throws -> [String?] {
        var byKey: [String: String] = [:]
        for c in columns { for h in c.headers { byKey[CellText.headerKey(h)] = c.key } }
        let keys = headers.map { byKey[CellText.headerKey($0)] }
        var errors = FieldErrors()
        for c in columns where c.required && !keys.contains(c.key) {
            errors.add("/header", "column-missing", "缺少“\(c.headers[0])”列。", "The column \"\(c.headers[0])\" is missing.")
        }
        try errors.throwIfAny()
        return keys
    }
}

/// A change proposed by a departmental file, waiting for a worker to accept or reject it.
public struct Proposal: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case stayOpen = "stay-open", stayClose = "stay-close", birth, marriage, divorce
        public var label: Text {
            switch self {
            case .stayOpen: Text("登记流入", "Record an arrival")
            case .stayClose: Text("登记离开", "Record a departure")
            case .birth: Text("登记出生", "Record a birth")
            case .marriage: Text("登记结婚", "Record a marriage")
            case .divorce: Text("登记离婚", "Record a divorce")
            }
        }
    }
    public var id: UUID
    public var kind: Kind
    public var personID: UUID
    public var personName: String
    public var summary: String
    public var source: DepartmentFileKind
    public var state: String
    public var createdAt: String
    public var decidedBy: String?
    public var note: String?
    public init(id: UUID, kind: Kind, personID: UUID, personName: String, summary: String, source: DepartmentFileKind, state: String, createdAt: String) {
        self.id = id; self.kind = kind; self.personID = personID; self.personName = personName; self.summary = summary
        self.source = source; self.state = state; self.createdAt = createdAt
    }
}

/// What a departmental file did: matched + proposed + tasks + rejected = read, always.
/// How one row of a departmental file ended.
public enum ReconciliationOutcome: String, Sendable, CaseIterable {
    /// The registry agrees.
    case matched
    /// A change proposed to a worker.
    case proposed
    /// A home-visit task (nobody to match).
    case tasks
    case rejected
}

/// What reading a departmental file did: read = matched + proposed + tasks + rejected (from an `ImportTally`).
public struct ReconciliationResult: Sendable, Codable, Equatable {
    public var kind: DepartmentFileKind
    public var read = 0
    public var matched = 0
    public var proposed = 0
    public var tasks = 0
    public var rejected = 0
    public var problems: [ImportProblem] = []
    public init(kind: DepartmentFileKind) { self.kind = kind }
    /// The counts of a tally.
    public init(kind: DepartmentFileKind, _ tally: ImportTally<ReconciliationOutcome>) {
        self.kind = kind
        read = tally.read; matched = tally[.matched]; proposed = tally[.proposed]; tasks = tally[.tasks]; rejected = tally[.rejected]
    }
}
