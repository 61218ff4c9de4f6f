import Foundation

/// A task on a worker's list (外勤任务): stored tasks (a registration, a departure check, a home
/// visit) and reminders that task sources compute live (an expiry ahead). Every module adds its own
/// kinds (`FieldTask.Kind` constants in its folder) and sources; the list never names them.
public struct FieldTask: Sendable, Encodable, Equatable {
    /// A kind of task, declared by the module that makes such tasks (`home-visit`, `register`, ...).
    public struct Kind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        /// Written as its code (`"follow-up"`), as the API documents it.
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
        public var description: String { rawValue }
        /// 入户核实: a home visit to verify a record.
        public static let homeVisit = Kind("home-visit")
    }

    /// The record a task concerns besides the person (a landlord, a certificate): its type, written
    /// to the API as `<type>ID` (`hostID`, `certificateID`), and its id.
    public struct Object: Sendable, Equatable {
        public let type: String
        public let id: UUID
        public init(_ type: String, _ id: UUID) { self.type = type; self.id = id }
    }

    /// The outcomes a worker records when closing a stored task.
    public static let outcomes: [Codes.Entry] = [
        Codes.Entry(code: "done", label: Text("已办结", "Done")),
        Codes.Entry(code: "not-found", label: Text("查无此人", "Person not found")),
        Codes.Entry(code: "no-change", label: Text("核实无变化", "Checked, nothing changed")),
    ]

    public var id: UUID
    public var kind: Kind
    public var subject: String
    public var idNumber: String?
    public var personID: UUID?
    public var object: Object?
    public var note: String?
    public var unitCode: String
    public var unitName: String
    public var due: String
    /// The day it becomes overdue when that is not the day after it is due (a follow-up's window:
    /// `FollowUp.overdueOn`), so that the list and the visit's own status agree.
    public var overdueOn: String?
    public var open: Bool
    /// Stored tasks are closed with an outcome; computed reminders go away when their cause does.
    public var isStored: Bool
    public var outcome: String?
    public var outcomeNote: String?
    public var closedBy: String?
    public var closedAt: String?
    public var source: String
    public var createdAt: String
    /// The account the task is assigned to (指派), if any.
    public var assignee: String?
    /// The permission a role needs to see the task at all (a pre-pregnancy follow-up: its existence
    /// tells what it is about), nil for every task worker.
    public var requires: Permission?
    /// The household the person lives in (户号 and address), or the person's address: the round sheet groups by it.
    public var household: String?

    public init(id: UUID, kind: Kind, subject: String, unitCode: String, unitName: String, due: String, source: String, createdAt: String, isStored: Bool = true) {
        self.id = id; self.kind = kind; self.subject = subject; self.unitCode = unitCode; self.unitName = unitName
        self.due = due; self.open = true; self.source = source; self.createdAt = createdAt; self.isStored = isStored
    }

    public func isOverdue(on day: Day) -> Bool {
        if let o = overdueOn.flatMap(Day.init) { return open && !(day < o) }
        return open && (Day(due).map { $0 < day } ?? false)
    }

    /// The list order: overdue first, then by due date.
    public static func listOrder(on day: Day) -> @Sendable (FieldTask, FieldTask) -> Bool {
        { a, b in
            let ao = a.isOverdue(on: day), bo = b.isOverdue(on: day)
            if ao != bo { return ao }
            return (a.due, a.subject) < (b.due, b.subject)
        }
    }

    struct TaskCodingKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: TaskCodingKey.self)
        try c.encode(id, forKey: TaskCodingKey("id")); try c.encode(kind, forKey: TaskCodingKey("kind")); try c.encode(subject, forKey: TaskCodingKey("subject"))
        try c.encodeIfPresent(idNumber, forKey: TaskCodingKey("idNumber")); try c.encodeIfPresent(personID, forKey: TaskCodingKey("personID"))
        if let object { try c.encode(object.id, forKey: TaskCodingKey(object.type + "ID")) }
        try c.encodeIfPresent(note, forKey: TaskCodingKey("note")); try c.encode(unitCode, forKey: TaskCodingKey("unitCode")); try c.encode(unitName, forKey: TaskCodingKey("unitName"))
        try c.encode(due, forKey: TaskCodingKey("due")); try c.encode(open, forKey: TaskCodingKey("open"))
        try c.encodeIfPresent(outcome, forKey: TaskCodingKey("outcome")); try c.encodeIfPresent(outcomeNote, forKey: TaskCodingKey("outcomeNote"))
        try c.encodeIfPresent(closedBy, forKey: TaskCodingKey("closedBy")); try c.encodeIfPresent(closedAt, forKey: TaskCodingKey("closedAt"))
        try c.encode(source, forKey: TaskCodingKey("source")); try c.encode(createdAt, forKey: TaskCodingKey("createdAt"))
        try c.encodeIfPresent(assignee, forKey: TaskCodingKey("assignee")); try c.encodeIfPresent(household, forKey: TaskCodingKey("household"))
    }
}

/// One line of a work summary (周汇报, 月滚动跟踪排查): a count of what was done in the period, or of
/// what is left to do at its end (`outstanding`), under a section. Modules contribute the lines of
/// their own work; the summary never names people.
public struct WorkLine: Sendable, Codable, Equatable {
    public var section: Text
    public var label: Text
    public var count: Int
    /// A count of what is still to do (遗留), shown as a warning when it is not zero.
    public var outstanding: Bool
    public init(_ section: Text, _ label: Text, _ count: Int, outstanding: Bool = false) {
        self.section = section; self.label = label; self.count = count; self.outstanding = outstanding
    }
}
