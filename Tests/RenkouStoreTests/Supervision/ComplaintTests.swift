import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// 投诉举报: an anonymous complaint filed before the National Day holiday is due 15 working days later;
/// it is reassigned, answered, reopened by its tracking code, answered again and rated; the rates
/// count it; a sensitive report is seen only by the district; an overdue case goes up the tree.
@Suite struct ComplaintTests {
    static let monday = Date(timeIntervalSince1970: 1_790_560_800)  // 2026-09-28 10:00 in Shanghai

    @Test(arguments: TestEngine.all) func aComplaintIsAnsweredReopenedAnsweredAgainAndRated(engine: TestEngine) async throws {
        let clock = TestClock(Self.monday)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            try await Fixture.account(stores, "worker-a2", .community, Fixture.communityA2)
            let c = stores.complaints, publicActor = Actor.cli("public"), street = Actor.cli("street-1")
            // every problem at once; nothing kept
            await #expect { try await c.file(ComplaintInput(category: "nope", unit: Fixture.communityA1, subject: "", body: "x", anonymous: false, phone: "12ab"), in: nil, by: publicActor) } throws: { e in
                let fields = (e as? RenkouError)?.fields.map(\.pointer) ?? []
                return isRenkouError(e, field: "/category", code: "code-unknown") && fields.contains("/subject") && fields.contains("/name") && fields.contains("/phone")
            }
            // anonymous: no name, no phone kept even if typed
            let filed = try await c.file(ComplaintInput(category: "service", unit: Fixture.communityA1, subject: "窗口无人", body: "上午去办事，窗口没有人。", anonymous: true, name: "张三", phone: "13800001111"),
                                         in: nil, by: publicActor)
            #expect(filed.trackingCode.hasPrefix("TS-2026-") && filed.trackingCode.count == 18 && filed.name == nil && filed.phone == nil && filed.state == .received)
            // 15 working days from Monday 28 September, across the National Day holiday (1–7 October, 10 October a working Saturday)
            #expect(filed.dueOn == "2026-10-23")
            let kept = try await stores.db.read { db in try await db.raw("SELECT COALESCE(name, '') AS n, COALESCE(phone, '') AS p FROM complaints").first()! }
            #expect(try kept.decode(column: "n", as: String.self).isEmpty && kept.decode(column: "p", as: String.self).isEmpty)
            // it is on the community's task list
            #expect(try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: .cli()).contains { $0.kind == .complaint && $0.unitCode == Fixture.communityA1 })
            // the street moves it to the neighbouring community and names the handler
            let streetScope = Scope(path: try await stores.orgs.unit(code: Fixture.streetA, in: .everything)!.path)
            try await c.act(filed.id, action: "assign", handler: "worker-a2", unit: Fixture.communityA2, in: streetScope, role: .street, by: street)
            let tasks = try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: .cli()).filter { $0.kind == .complaint }
            #expect(tasks.count == 1 && tasks[0].unitCode == Fixture.communityA2)
            let a2 = Scope(path: try await stores.orgs.unit(code: Fixture.communityA2, in: .everything)!.path)
            let worker = Actor.cli("worker-a2")
            await #expect { try await c.act(filed.id, action: "answer", note: " ", in: a2, role: .community, by: worker) } throws: { isRenkouError($0, field: "/note", code: "required") }
            // the first community no longer sees it
            let a1 = Scope(path: try await stores.orgs.unit(code: Fixture.communityA1, in: .everything)!.path)
            await #expect { try await c.complaint(filed.id, in: a1, role: .community, by: .cli("worker-a1")) } throws: { isRenkouError($0, code: "not-found") }
            clock.advance(2 * 86_400)
            try await c.act(filed.id, action: "answer", note: "已安排午间值班。", in: a2, role: .community, by: worker)
            #expect(try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: .cli()).filter { $0.kind == .complaint }.isEmpty)
            await #expect { try await c.act(filed.id, action: "answer", note: "again", in: a2, role: .community, by: worker) } throws: { isRenkouError($0, code: "wrong-state") }
            // she is not satisfied: reopened by the code, due again from today
            await #expect { try await c.reopen(code: filed.trackingCode, reason: "", by: publicActor) } throws: { isRenkouError($0, field: "/reason", code: "required") }
            let reopened = try await c.reopen(code: filed.trackingCode.lowercased(), reason: "午间还是没有人。", by: publicActor)
            #expect(reopened.state == .reopened && reopened.dueOn == stores.env.policy.calendar.adding(workingDays: 15, to: RenkouCore.Day(stores.env.now())).description)
            await #expect { try await c.rate(code: filed.trackingCode, rating: 5, partly: false, by: publicActor) } throws: { isRenkouError($0, code: "wrong-state") }
            try await c.act(filed.id, action: "note", note: "与站长沟通", in: a2, role: .community, by: worker)
            try await c.act(filed.id, action: "answer", note: "已增加午间窗口。", in: a2, role: .community, by: worker)
            await #expect { try await c.rate(code: filed.trackingCode, rating: 6, partly: false, by: publicActor) } throws: { isRenkouError($0, field: "/rating", code: "out-of-range") }
            let rated = try await c.rate(code: filed.trackingCode, rating: 4, partly: true, by: publicActor)
            #expect(rated.state == .closed && rated.rating == 4 && rated.partlyResolved == true)
            // the public view has no internal note and no worker's name
            #expect(!rated.steps.contains { $0.internalOnly } && !rated.steps.contains { $0.note == "与站长沟通" } && rated.steps.allSatisfy { $0.by.isEmpty })
            #expect(rated.steps.map(\.state) == [.received, .assigned, .answered, .reopened, .answered, .closed])
            // 满意率: one rating, 4 of 5
            let today = RenkouCore.Day(stores.env.now())
            let rates = try await stores.indicators.summary(["V02-complaint-satisfaction"], unitCode: Fixture.communityA2, on: today, in: .everything).unit.figures
            #expect(rates[0].numerator == 1 && rates[0].denominator == 1)
        }
    }

    @Test(arguments: TestEngine.all) func sensitiveReportsAndOverdueCases(engine: TestEngine) async throws {
        let clock = TestClock(Self.monday)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            let c = stores.complaints, publicActor = Actor.cli("public")
            try await Fixture.account(stores, "handler-1", .community, Fixture.communityA1)
            let report = try await c.file(ComplaintInput(category: "two-non", unit: Fixture.communityA1, subject: "诊所鉴定胎儿性别", body: "某诊所提供鉴定。", anonymous: true), in: nil, by: publicActor)
            // the community does not see it, not even in its list; the district does, and the task is on the district's list
            let a1 = Scope(path: try await stores.orgs.unit(code: Fixture.communityA1, in: .everything)!.path)
            #expect(try await c.list(in: a1, role: .community).isEmpty)
            await #expect { try await c.complaint(report.id, in: a1, role: .community, by: .cli("w")) } throws: { isRenkouError($0, code: "not-found") }
            #expect(try await c.list(in: .everything, role: .district).map(\.id) == [report.id])
            #expect(try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: .cli()).first { $0.kind == .complaint }?.unitCode == Fixture.district)
            try await c.act(report.id, action: "uphold", upheld: true, reward: 2000, in: .everything, role: .district, by: .cli("district"))
            #expect(try await c.complaint(report.id, in: .everything, role: .district, by: .cli("district")).rewardYuan == 2000)
            // a named complaint: the name and phone go to the handler only, and that read is audited
            let named = try await c.file(ComplaintInput(category: "benefits", unit: Fixture.communityA1, subject: "补贴未到账", body: "去年的补贴没有到。", name: "王秀兰", phone: "138-1234-5678"), in: nil, by: publicActor)
            #expect(try await c.act(named.id, action: "assign", handler: "handler-1", in: .everything, role: .district, by: .cli("district")).name == "王*兰")
            #expect(try await c.complaint(named.id, in: .everything, role: .district, by: .cli("someone")).phone == "138****5678")
            let mine = try await c.complaint(named.id, in: .everything, role: .community, by: .cli("handler-1"))
            #expect(mine.name == "王秀兰" && mine.phone == "13812345678")
            let audited = try await stores.db.read { db in try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'complaint' AND action = 'read' AND username = 'handler-1'").first()!.decode(column: "n", as: Int.self) }
            #expect(audited == 1)
            // 31 days on, nothing answered: both are overdue
            clock.advance(31 * 86_400)
            let today = RenkouCore.Day(stores.env.now())
            #expect(try await c.list(overdueOnly: true, in: .everything, role: .district).count == 2)
            // escalation: both stay with their community (which still answers them); the street gets a 督办 task for the named one,
            // the report's task stays with the district alone
            let moved = try await c.escalateOverdue(on: today)
            #expect(moved == 2)
            #expect(try await c.escalateOverdue(on: today) == 0)
            let up = try await c.complaint(named.id, in: a1, role: .community, by: .cli("handler-1"))
            #expect(up.unitName == (try await stores.orgs.unit(code: Fixture.communityA1, in: .everything)!.name) && up.escalations == 1)
            let open = try await stores.tasks.list(on: today, in: .everything, by: .cli()).filter { $0.kind == .complaint }
            #expect(open.filter { $0.unitCode == Fixture.streetA }.map(\.subject) == ["督办：补贴未到账"])
            #expect(open.filter { $0.subject.contains("举报") }.map(\.unitCode) == [Fixture.district])
            // answered late: both its tasks close; the first answer stays late on record after a reopen
            try await c.act(named.id, action: "answer", note: "已补发。", in: a1, role: .community, by: .cli("handler-1"))
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).filter { $0.kind == .complaint && $0.subject.contains("补贴") }.isEmpty)
            try await c.reopen(code: named.trackingCode, reason: "只补发了一半。", by: publicActor)
            // 按期办结率 of October, read on 29 October: both fell due in it and neither was answered by then
            let onTime = try await stores.indicators.summary(["V01-complaints-on-time"], unitCode: Fixture.district, on: today, in: .everything).unit.figures[0]
            #expect(onTime.numerator == 0 && onTime.denominator == 2)
            // read on the 1st of October nothing had fallen due yet
            let early = try await stores.indicators.summary(["V01-complaints-on-time"], unitCode: Fixture.district, on: RenkouCore.Day(year: 2026, month: 10, day: 1)!, in: .everything).unit.figures[0]
            #expect(early.denominator == 0)
        }
    }
}
