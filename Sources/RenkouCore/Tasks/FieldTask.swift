import Foundation

/// A task on a worker's list: stored tasks (a registration, a departure check, a home visit) and
/// reminders computed live (a certificate or an agreement about to expire).
public struct FieldTask: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 登记: someone on a roster is not in the registry.
        case register
        /// 离开核实: someone left a roster; check and record the departure.
        case departure
        /// 入户核实: a home visit to verify a record.
        case homeVisit = "home-visit"
        /// 婚育证明即将到期 (computed).
        case certificateExpiring = "certificate-expiring"
        /// 协议即将到期 (computed).
        case agreementExpiring = "agreement-expiring"
        public var label: Text {
            switch self {
            case .register: Text("新登记", "Register")
            case .departure: Text("离开核实", "Check departure")
            case .homeVisit: Text("入户核实", "Home visit")
            case .certificateExpiring: Text("婚育证明到期", "Certificate expiring")
            case .agreementExpiring: Text("协议到期", "Agreement expiring")
            }
        }
        public var isStored: Bool { ![.certificateExpiring, .agreementExpiring].contains(self) }
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
    public var hostID: UUID?
    public var certificateID: UUID?
    public var note: String?
    public var unitCode: String
    public var unitName: String
    public var due: String
    public var open: Bool
    public var outcome: String?
    public var outcomeNote: String?
    public var closedBy: String?
    public var closedAt: String?
    public var source: String
    public var createdAt: String

    public init(id: UUID, kind: Kind, subject: String, unitCode: String, unitName: String, due: String, source: String, createdAt: String) {
        self.id = id; self.kind = kind; self.subject = subject; self.unitCode = unitCode; self.unitName = unitName
        self.due = due; self.open = true; self.source = source; self.createdAt = createdAt
    }

    public func isOverdue(on day: Day) -> Bool { open && (Day(due).map { $0 < day } ?? false) }

    /// The list order: overdue first, then by due date.
    public static func listOrder(on day: Day) -> @Sendable (FieldTask, FieldTask) -> Bool {
        { a, b in
            let ao = a.isOverdue(on: day), bo = b.isOverdue(on: day)
            if ao != bo { return ao }
            return (a.due, a.subject) < (b.due, b.subject)
        }
    }
}
