import Foundation

/// Kinds of life event the registry records.
public enum LifeEventType: String, Sendable, Codable, CaseIterable {
    case birth, death, marriage, divorce
    case moveIn = "move-in", moveOut = "move-out", moveWithin = "move-within", hukouTransfer = "hukou-transfer"

    public var label: Text {
        switch self {
        case .birth: Text("出生", "Birth")
        case .death: Text("死亡", "Death")
        case .marriage: Text("结婚", "Marriage")
        case .divorce: Text("离婚", "Divorce")
        case .moveIn: Text("迁入", "Move in")
        case .moveOut: Text("迁出", "Move out")
        case .moveWithin: Text("区内迁移", "Move within the district")
        case .hukouTransfer: Text("户口迁移", "Hukou transfer")
        }
    }
}

/// Where the news of an event came from.
public enum EventSource: String, Sendable, Codable, CaseIterable {
    case interview, police, hospital, civilAffairs = "civil-affairs", `import`
    public var label: Text {
        switch self {
        case .interview: Text("入户走访", "Home visit")
        case .police: Text("公安", "Police")
        case .hospital: Text("医院", "Hospital")
        case .civilAffairs: Text("民政", "Civil affairs")
        case .import: Text("导入", "Import")
        }
    }
}

/// A recorded life event. An event entered by mistake is revoked with a reason, never deleted.
public struct LifeEvent: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var type: LifeEventType
    /// The person the event is about (the child for a birth).
    public var personID: UUID
    public var personName: String
    /// The other person involved: the mother of a birth, the spouse of a marriage or divorce.
    public var otherID: UUID?
    public var otherName: String?
    public var day: String
    public var source: EventSource
    /// Where from or where to, for moves and hukou transfers.
    public var place: String?
    public var note: String?
    public var enteredBy: String
    public var enteredAt: String
    public var revokedAt: String?
    public var revokedBy: String?
    public var revokeReason: String?
    public init(id: UUID, type: LifeEventType, personID: UUID, personName: String, otherID: UUID?, otherName: String?, day: String,
                source: EventSource, place: String?, note: String?, enteredBy: String, enteredAt: String,
                revokedAt: String? = nil, revokedBy: String? = nil, revokeReason: String? = nil) {
        self.id = id; self.type = type; self.personID = personID; self.personName = personName; self.otherID = otherID
        self.otherName = otherName; self.day = day; self.source = source; self.place = place; self.note = note
        self.enteredBy = enteredBy; self.enteredAt = enteredAt; self.revokedAt = revokedAt; self.revokedBy = revokedBy; self.revokeReason = revokeReason
    }
}

/// What a worker enters for an event. Which fields matter depends on the type:
/// birth: `person` is the mother, `other` the father (optional), `child` the newborn;
/// marriage and divorce: `person` and `other` are the spouses; moves: `place`, and `unit` for a move within.
public struct LifeEventInput: Sendable, Codable, Equatable {
    public var type: String?
    public var person: String?
    public var other: String?
    public var day: String?
    public var source: String?
    public var place: String?
    public var unit: String?
    public var note: String?
    public var child: PersonInput?
    public init(type: String? = nil, person: String? = nil, other: String? = nil, day: String? = nil, source: String? = nil,
                place: String? = nil, unit: String? = nil, note: String? = nil, child: PersonInput? = nil) {
        self.type = type; self.person = person; self.other = other; self.day = day; self.source = source
        self.place = place; self.unit = unit; self.note = note; self.child = child
    }

    /// The checked essentials shared by every type.
    public func essentials(today: Day) throws -> (type: LifeEventType, person: UUID, day: Day, source: EventSource, other: UUID?) {
        var errors = FieldErrors()
        let type = type.flatMap(LifeEventType.init(rawValue:))
        if type == nil { errors.add("/type", "code-unknown", "事件类型应为 " + LifeEventType.allCases.map(\.rawValue).joined(separator: "、") + "。", "The type is one of " + LifeEventType.allCases.map(\.rawValue).joined(separator: ", ") + ".") }
        let person = person.flatMap(UUID.init(uuidString:))
        if person == nil { errors.add("/person", "required", "请指定人员。", "Name the person.") }
        let day = day.flatMap(Day.init)
        if day == nil { errors.add("/day", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
        else if today < day! { errors.add("/day", "date-future", "事件日期不能晚于今天。", "The date cannot be in the future.") }
        let source = EventSource(rawValue: source ?? "interview")
        if source == nil { errors.add("/source", "code-unknown", "信息来源无法识别。", "Unknown source.") }
        var otherID: UUID?
        if let other, !other.isEmpty {
            otherID = UUID(uuidString: other)
            if otherID == nil { errors.add("/other", "format", "人员编号格式不正确。", "Not a person id.") }
        }
        if (type == .marriage || type == .divorce) && otherID == nil { errors.add("/other", "required", "请指定配偶。", "Name the spouse.") }
        if type == .birth && child == nil { errors.add("/child", "required", "请填写新生儿信息。", "Give the newborn's details.") }
        if type == .moveWithin && (unit ?? "").isEmpty { errors.add("/unit", "required", "请选择迁入的单位。", "Choose the unit moved to.") }
        try errors.throwIfAny()
        return (type!, person!, day!, source!, otherID)
    }
}
