import Foundation
import RenkouCore
import SQLKit

/// 双向考核: each counterpart region scored from this node's exchange with it in a year — as the hukou
/// region of the people living here (our requests to it answered, in time; our messages accepted) and
/// as the inflow region of our people living there (our outflow people it registered and told us
/// of) — and our own answers to it, as it will score us. Figures only: no person is named.
public struct TwoWayStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    struct Counts { var numerator = 0, denominator = 0 }

    /// The scores of every counterpart with something to count in `year`, for the records of the
    /// scope (requests about its people, its outflow people, messages filed under its units), and
    /// this node's answers to each. Throws `invalid` (`/year` `out-of-range`).
    public func scores(year: Int, in scope: Scope) async throws -> (scores: [CounterpartScore], ours: [OurAnswers]) {
        guard (2000...2100).contains(year) else {
            throw RenkouError.invalid([FieldError("/year", "out-of-range", Text("年度应在 2000 到 2100 之间。", "A year between 2000 and 2100."))])
        }
        let engine = db.engine, today = Day(env.now()).description
        let start = "\(year)-01-01", next = "\(year + 1)-01-01", end = "\(year)-12-31"
        let scheme = env.policy(.twoWayScheme, on: Day(year: year, month: 12, day: 31)!)
        let (measures, ours) = try await db.read { db -> ([String: [String: Counts]], [String: OurAnswers]) in
            // measure → counterpart → counts
            var measures: [String: [String: Counts]] = [:]
            var ours: [String: OurAnswers] = [:]
            // what we sent: each message's counterpart is the area it is addressed to (the envelope's receiver)
            for r in try await db.raw("""
                SELECT envelope, kind, state, deadline, replied_at FROM exchange_outbox WHERE forwarded = 0 AND kind IN ('notice', 'request', 'update')
                AND created_at >= \(bind: start) AND created_at < \(bind: next) AND \(engine.startsWith("path", scope.path))
                """).all() {
                guard let m = try? JSONDecoder().decode(MessageEnvelope.self, from: Data(try r.decode(column: "envelope", as: String.self).utf8)) else { continue }
                let c = m.receiver, replied = try r.decode(column: "replied_at", as: String?.self), deadline = try r.decode(column: "deadline", as: String?.self)
                measures["messages-accepted", default: [:]][c, default: Counts()].denominator += 1
                if try r.decode(column: "state", as: String.self) == "delivered" { measures["messages-accepted"]![c]!.numerator += 1 }
                guard try r.decode(column: "kind", as: String.self) == MessageKind.request.rawValue else { continue }
                measures["requests-replied", default: [:]][c, default: Counts()].denominator += 1
                if replied != nil { measures["requests-replied"]![c]!.numerator += 1 }
                // in time: of the requests answered or past their deadline, those answered by it
                if replied != nil || (deadline.map { $0 < today } ?? false) {
                    measures["requests-on-time", default: [:]][c, default: Counts()].denominator += 1
                    if let replied, let deadline, String(replied.prefix(10)) <= deadline { measures["requests-on-time"]![c]!.numerator += 1 }
                }
            }
            // our outflow people away in the year, by the area they went to, and whether that area's node told us of them
            var notified: [String: Set<String>] = [:]
            for r in try await db.raw("""
                SELECT DISTINCT sender, person_id FROM exchange_inbox WHERE person_id IS NOT NULL AND kind IN ('notice', 'update') AND state <> 'forwarded'
                """).all() {
                notified[try r.decode(column: "person_id", as: String.self), default: []].insert(try r.decode(column: "sender", as: String.self))
            }
            for r in try await db.raw("""
                SELECT DISTINCT person_id, region FROM stays WHERE kind = 'outflow' AND region IS NOT NULL AND since <= \(bind: end) AND (until IS NULL OR until >= \(bind: start))
                AND \(engine.startsWith("path", scope.path))
                """).all() {
                let region = try r.decode(column: "region", as: String.self), person = try r.decode(column: "person_id", as: String.self)
                measures["outflow-notified", default: [:]][region, default: Counts()].denominator += 1
                if (notified[person] ?? []).contains(where: { region.hasPrefix($0) }) { measures["outflow-notified"]![region]!.numerator += 1 }
            }
            // what we received: the counterpart's requests we answered (in time), and its notices
            for r in try await db.raw("""
                SELECT sender, kind, body, replied_at FROM exchange_inbox WHERE state <> 'forwarded' AND received_at >= \(bind: start) AND received_at < \(bind: next)
                AND \(engine.startsWith("path", scope.path))
                """).all() {
                let c = try r.decode(column: "sender", as: String.self), kind = try r.decode(column: "kind", as: String.self)
                var o = ours[c] ?? OurAnswers(counterpart: c, received: 0, answered: 0, onTime: 0, notices: 0)
                if kind == MessageKind.request.rawValue {
                    o.received += 1
                    if let replied = try r.decode(column: "replied_at", as: String?.self) {
                        o.answered += 1
                        let deadline = (try? JSONDecoder().decode(MessageEnvelope.self, from: Data(try r.decode(column: "body", as: String.self).utf8)))?.deadline
                        if deadline.map({ String(replied.prefix(10)) <= $0 }) ?? true { o.onTime += 1 }
                    }
                } else if kind == MessageKind.notice.rawValue || kind == MessageKind.update.rawValue {
                    o.notices += 1
                }
                ours[c] = o
            }
            return (measures, ours)
        }
        var out: [CounterpartScore] = []
        for role in ["hukou", "inflow"] {
            let items = scheme.filter { $0.role == role }
            let counterparts = Set(items.flatMap { (measures[$0.measure] ?? [:]).keys })
            for c in counterparts.sorted() {
                let scored = items.map { i -> CounterpartItem in
                    let n = measures[i.measure]?[c] ?? Counts()
                    let rate = n.denominator == 0 ? nil : Double(n.numerator) / Double(n.denominator)
                    return CounterpartItem(code: i.code, name: i.name, numerator: n.numerator, denominator: n.denominator, points: (i.score(rate) * 10).rounded() / 10, max: i.points)
                }
                out.append(CounterpartScore(counterpart: c, role: role, year: year, items: scored, total: scored.map(\.points).reduce(0, +), max: items.map(\.points).reduce(0, +)))
            }
        }
        return (out, ours.values.sorted { $0.counterpart < $1.counterpart })
    }
}

extension Stores {
    /// 双向考核.
    public var twoWay: TwoWayStore { TwoWayStore(db: db, env: env) }
}
