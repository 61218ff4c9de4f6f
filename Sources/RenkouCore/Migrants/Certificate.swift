import Foundation

/// 流动人口婚育证明: the marriage-and-childbearing certificate of a migrant woman of reproductive age.
/// Issued on the hukou side (`issued`); on the residence side a paper certificate issued elsewhere is
/// registered by its number (`registered`) and verified (验证).
public struct Certificate: Sendable, Codable, Equatable {
    public enum Side: String, Sendable, Codable { case issued, registered }
    /// What is stored; `expired` is derived from the validity on the day asked.
    public enum State: String, Sendable, Codable, CaseIterable {
        case valid, expired, replaced, revoked
        public var label: Text {
            switch self {
            case .valid: Text("有效", "Valid")
            case .expired: Text("已过期", "Expired")
            case .replaced: Text("已换发", "Replaced by a newer version")
            case .revoked: Text("已吊销", "Revoked")
            }
        }
    }

    public var id: UUID
    public var number: String
    public var version: Int
    public var side: Side
    public var personID: UUID
    public var name: String
    public var idNumber: String
    public var birthDate: String?
    public var maritalStatus: String?
    public var spouseName: String?
    public var children: Int
    /// 避孕节育情况: a reproductive-health detail, shown only to service roles.
    public var contraception: String?
    public var office: String
    public var issuedOn: String
    public var validUntil: String
    public var storedState: State
    public var revokeReason: String?
    public var replacedBy: UUID?
    /// The unguessable token of the public verification address.
    public var token: String
    public var unitCode: String
    public var unitName: String
    public var hasPhoto: Bool
    public var lookups: Int
    public var lastCheckedOn: String?
    public var createdBy: String
    public var createdAt: String

    public init(id: UUID, number: String, version: Int, side: Side, personID: UUID, name: String, idNumber: String, children: Int,
                office: String, issuedOn: String, validUntil: String, storedState: State, token: String, unitCode: String, unitName: String,
                createdBy: String, createdAt: String) {
        self.id = id; self.number = number; self.version = version; self.side = side; self.personID = personID; self.name = name
        self.idNumber = idNumber; self.children = children; self.office = office; self.issuedOn = issuedOn; self.validUntil = validUntil
        self.storedState = storedState; self.token = token; self.unitCode = unitCode; self.unitName = unitName
        self.hasPhoto = false; self.lookups = 0; self.createdBy = createdBy; self.createdAt = createdAt
    }

    /// The state on a day: a valid certificate past its validity is expired.
    public func state(on day: Day) -> State {
        if storedState == .valid, let until = Day(validUntil), until < day { return .expired }
        return storedState
    }

    /// Age on the issue date, as printed on the certificate.
    public var ageAtIssue: Int? {
        guard let b = birthDate.flatMap(Day.init), let i = Day(issuedOn) else { return nil }
        return b.age(on: i)
    }

    /// 避孕节育情况 codes.
    public static let contraceptionStatus: [Codes.Entry] = [
        Codes.Entry(code: "none", label: Text("未避孕", "No method")), Codes.Entry(code: "iud", label: Text("上环", "IUD")),
        Codes.Entry(code: "sterilisation", label: Text("结扎", "Sterilisation")), Codes.Entry(code: "implant", label: Text("皮埋", "Implant")),
        Codes.Entry(code: "pill", label: Text("口服药", "Pill")), Codes.Entry(code: "condom", label: Text("避孕套", "Condom")),
        Codes.Entry(code: "pregnant", label: Text("怀孕", "Pregnant")), Codes.Entry(code: "other", label: Text("其他", "Other")),
    ]
}

/// What the public verification page shows, and nothing more: masked name and ID number, the office,
/// the validity and the state. Built here so that no page can print more by mistake.
public struct PublicCertificateView: Sendable, Codable, Equatable {
    public let maskedName: String
    public let maskedIDNumber: String
    public let office: String
    public let issuedOn: String
    public let validUntil: String
    public let state: Certificate.State

    public init(_ c: Certificate, on day: Day) {
        maskedName = Mask.name(c.name); maskedIDNumber = Mask.idNumber(c.idNumber)
        office = c.office; issuedOn = c.issuedOn; validUntil = c.validUntil; state = c.state(on: day)
    }
}

extension Policy {
    /// The last day of validity of a certificate issued on `day`: the validity in force on the issue
    /// date (`PolicyRule.certificateValidityYears`), less one day.
    public func certificateValidUntil(issuedOn day: Day) -> Day {
        day.adding(years: self(.certificateValidityYears, on: day)).adding(days: -1)
    }
}

/// What a worker types to issue a certificate (hukou side) or register one issued elsewhere.
public struct CertificateInput: Sendable, Codable {
    public var person: String?
    public var number: String?
    public var office: String?
    public var issuedOn: String?
    public var validUntil: String?
    public var children: Int?
    public var contraception: String?
    /// 即将外出: she is about to leave her hukou place (a certificate issued here goes with a woman who
    /// leaves or lives away; one still at home and not leaving gets none).
    public var leaving: Bool?
    public init() {}
}
