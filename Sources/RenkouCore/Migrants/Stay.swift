import Foundation

/// 流动: a stay away from the hukou. An inflow (流入) is someone living here whose hukou is elsewhere;
/// an outflow (流出) is someone of our hukou living elsewhere; 人户分离 is a move inside the district.
/// The person's population category follows from their current stay.
public enum StayKind: String, Sendable, Codable, CaseIterable {
    case inflow, outflow, separated
    public var label: Text { Codes.label(Codes.category, rawValue)! }
}

/// One stay of a person: opened on arrival (or departure, for an outflow), closed when it ends.
public struct Stay: Sendable, Codable, Equatable {
    public var id: UUID
    public var personID: UUID
    public var personName: String
    public var kind: StayKind
    /// Arrival here (inflow, separated) or departure from here (outflow).
    public var since: String
    /// When the stay ended: departure from here, or return.
    public var until: String?
    /// Inflow: the origin; outflow: the destination (GB/T 2260 code and address).
    public var region: String?
    public var place: String?
    /// 务工经商, 随同流动, 其他.
    public var reason: String
    public var unitCode: String
    public var unitName: String
    public var address: String?
    public var hostID: UUID?
    public var hostName: String?
    /// Outflow: the employer at the destination.
    public var employer: String?
    public var contact: String?
    /// Where the person went when the stay ended.
    public var endPlace: String?
    public var enteredBy: String
    public var enteredAt: String
    public var isOpen: Bool { until == nil }

    public init(id: UUID, personID: UUID, personName: String, kind: StayKind, since: String, until: String? = nil, region: String? = nil,
                place: String? = nil, reason: String, unitCode: String, unitName: String, address: String? = nil, hostID: UUID? = nil,
                hostName: String? = nil, employer: String? = nil, contact: String? = nil, endPlace: String? = nil, enteredBy: String, enteredAt: String) {
        self.id = id; self.personID = personID; self.personName = personName; self.kind = kind; self.since = since; self.until = until
        self.region = region; self.place = place; self.reason = reason; self.unitCode = unitCode; self.unitName = unitName
        self.address = address; self.hostID = hostID; self.hostName = hostName; self.employer = employer; self.contact = contact
        self.endPlace = endPlace; self.enteredBy = enteredBy; self.enteredAt = enteredAt
    }

    /// 流动原因.
    public static let reasons: [Codes.Entry] = [
        Codes.Entry(code: "work", label: Text("务工经商", "Work or business")),
        Codes.Entry(code: "family", label: Text("随同流动", "Accompanying family")),
        Codes.Entry(code: "other", label: Text("其他", "Other")),
    ]
}

/// What a worker types to open a stay.
public struct StayInput: Sendable, Codable {
    public var person: String?
    public var kind: String?
    public var since: String?
    public var region: String?
    public var place: String?
    public var reason: String?
    /// The unit the stay belongs to: the residence for an inflow, the hukou unit for an outflow (default: the person's).
    public var unit: String?
    public var address: String?
    public var host: String?
    public var employer: String?
    public var contact: String?
    public init() {}

    public struct ValidStay: Sendable { public let person: UUID; public let kind: StayKind; public let since: Day; public let reason: String; public let host: UUID? }

    /// Every field error at once, in the API's pointers.
    public func checked(today: Day) throws -> ValidStay {
        var errors = FieldErrors()
        let person = self.person.flatMap { UUID(uuidString: $0.trimmed) }
        if person == nil { errors.add("/person", "required", "请指定人员。", "Choose the person.") }
        let kind = self.kind.flatMap { StayKind(rawValue: $0) }
        if kind == nil { errors.add("/kind", "code-unknown", "流动类型应为流入、流出或人户分离。", "The kind must be inflow, outflow or separated.") }
        let since = self.since.flatMap { Day($0.trimmed) }
        if since == nil { errors.add("/since", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
        else if today < since! { errors.add("/since", "future-date", "日期不能晚于今天。", "The date cannot be in the future.") }
        let reason = (self.reason ?? "").trimmed.isEmpty ? "work" : self.reason!.trimmed
        if !Codes.contains(Stay.reasons, reason) { errors.add("/reason", "code-unknown", "流动原因应为务工经商、随同流动或其他。", "The reason must be work, family or other.") }
        if let r = region?.trimmed, !r.isEmpty, !(r.count == 6 && r.allSatisfy(\.isASCII) && r.allSatisfy(\.isNumber)) {
            errors.add("/region", "region-code", "地区代码应为 6 位数字（GB/T 2260）。", "The region code has 6 digits (GB/T 2260).")
        }
        var host: UUID?
        if let h = self.host?.trimmed, !h.isEmpty {
            host = UUID(uuidString: h)
            if host == nil { errors.add("/host", "unknown-host", "出租户或用工单位编号无效。", "The landlord or employer id is not valid.") }
        }
        try errors.throwIfAny()
        return ValidStay(person: person!, kind: kind!, since: since!, reason: reason, host: host)
    }
}
