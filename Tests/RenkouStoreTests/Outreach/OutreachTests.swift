import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// 宣传培训与计生协会: a street's training counts for each of its communities; the key dates come onto
/// the task list and an activity on the day closes its reminder; boards fall overdue a quarter
/// without renewal; a survey's sample is the same for the same seed and its knowledge rate counts
/// answers; a volunteer's report becomes a task for the grid (a pregnancy only for the service roles).
@Suite struct OutreachTests {
    static let may15 = Date(timeIntervalSince1970: 1_778_810_400)  // 2026-05-15 10:00 in Shanghai

    static func people(_ stores: Stores, _ n: Int, unit: String, from: Int = 0) async throws -> [Person] {
        var out: [Person] = []
        for i in 0..<n {
            out.append(try await stores.persons.create(PersonInput(name: "居民\(from + i)", idNumber: Fixture.idNumber(from + i), unit: unit), in: .everything, by: .cli("test")))
        }
        return out
    }

    @Test(arguments: TestEngine.all) func trainingsKeyDatesAndTheirRates(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            let people = try await Self.people(stores, 4, unit: Fixture.communityA1)
            let o = stores.outreach, worker = Actor.cli("worker")
            // every problem at once, nothing stored
            await #expect { try await o.record(ActivityInput(kind: "party", unit: "nowhere", day: "2026-13-01", topic: "", keyDate: "xmas",
                                                             materials: [MaterialLine(kind: "", count: 0)], attendees: [people[0].idNumber!, "110101199001011234", people[0].idNumber!]),
                                               in: .everything, by: worker) } throws: { e in
                let f = Set((e as? RenkouError)?.fields.map(\.pointer) ?? [])
                return isRenkouError(e, field: "/kind", code: "code-unknown") && f.isSuperset(of: ["/unit", "/day", "/topic", "/keyDate", "/materials/0/kind", "/materials/0/count", "/attendees/1", "/attendees/2"])
            }
            await #expect { try await o.record(ActivityInput(kind: "training", unit: Fixture.communityA1, topic: "避孕节育"), in: .everything, by: worker) } throws: {
                isRenkouError($0, field: "/audience", code: "required")
            }
            #expect(try await o.list(year: 2026, in: .everything).isEmpty)
            // the street trains the propagandists of both its communities; A1 its residents (people named, more came)
            try await o.record(ActivityInput(kind: "training", unit: Fixture.streetA, day: "2026-03-10", topic: "宣传员业务培训", audience: "propagandist"), in: .everything, by: worker)
            let school = try await o.record(ActivityInput(kind: "school", unit: Fixture.communityA1, day: "2026-04-20", topic: "优生优育", attendees: people.map { $0.idNumber! }, headcount: 30),
                                            in: .everything, by: worker)
            #expect(school.audience == .resident && school.headcount == 30 && school.attendees.count == 4)
            // A2 is out of A1's worker's reach
            let a1 = Scope(path: try await stores.orgs.unit(code: Fixture.communityA1, in: .everything)!.path)
            await #expect { try await o.record(ActivityInput(kind: "publicity", unit: Fixture.communityA2, topic: "x"), in: a1, by: worker) } throws: { isRenkouError($0, field: "/unit", code: "unknown-unit") }
            let today = RenkouCore.Day(stores.env.now())
            let progress = try await o.progress(year: 2026, on: today, in: .everything)
            let p1 = try #require(progress.first { $0.unitCode == Fixture.communityA1 }), p2 = try #require(progress.first { $0.unitCode == Fixture.communityA2 })
            #expect(p1.propagandistTrainings == 1 && p1.residentTrainings == 1 && p2.propagandistTrainings == 1 && p2.residentTrainings == 0)
            // by mid-May four months are gone, 4/12 of the year due: 0 of 2 and 4 of 12 → A1 behind by 3, A2 by 4 (first)
            #expect(p1.behind == 3 && p2.behind == 4 && progress.first?.unitCode != Fixture.communityA1)
            // a key date is marked within a fortnight of it, not in February
            await #expect { try await o.record(ActivityInput(kind: "publicity", unit: Fixture.communityA1, day: "2026-02-10", topic: "x", keyDate: "population-day"), in: .everything, by: worker) } throws: {
                isRenkouError($0, field: "/keyDate", code: "out-of-window")
            }
            // 培训完成率: 3 communities × 14 places; A1 and A2 one propagandist place each, A1 one resident place
            let rate = try await stores.indicators.unitFigures(["O01-trainings"], unitCode: Fixture.streetA, on: today, in: .everything).figures[0]
            #expect(rate.numerator == 3 && rate.denominator == 28)
            let behind = try await stores.indicators.records("O01-trainings", unitCode: Fixture.streetA, on: today, in: .everything, by: worker)
            #expect(Set(behind.items.map(\.name)) == ["白银路社区", "金沙社区"])

            // 5.26 is within the reminder days: each community gets its reminder, once
            #expect(try await o.remind(on: today) == 3)
            #expect(try await o.remind(on: today) == 0)
            let reminders = try await stores.tasks.list(on: today, in: .everything, by: worker).filter { $0.kind == .outreachReminder }
            #expect(reminders.count == 3 && reminders.allSatisfy { $0.due == "2026-05-26" && $0.subject.contains("计划生育协会活动日") })
            // A1 marks the day: its reminder is closed; 节点宣传开展率 counts it once the day has come
            clock.advance(11 * 86_400)
            try await o.record(ActivityInput(kind: "publicity", unit: Fixture.communityA1, day: "2026-05-26", topic: "协会活动日宣传", keyDate: "association-day",
                                             materials: [MaterialLine(kind: "宣传折页", count: 200)], headcount: 80), in: .everything, by: worker)
            let open = try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: worker).filter { $0.kind == .outreachReminder }
            #expect(open.count == 2 && !open.contains { $0.unitCode == Fixture.communityA1 })
            let marked = try await stores.indicators.unitFigures(["O05-key-dates"], unitCode: Fixture.district, on: RenkouCore.Day(stores.env.now()), in: .everything).figures[0]
            #expect(marked.numerator == 1 && marked.denominator == 3)
            // the street marks it for A2 (and B1 is another street's): A2's reminder closes too
            try await o.record(ActivityInput(kind: "publicity", unit: Fixture.streetA, day: "2026-05-24", topic: "街道宣传", keyDate: "association-day"), in: .everything, by: worker)
            let left = try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: worker).filter { $0.kind == .outreachReminder }
            #expect(left.map(\.unitCode) == [Fixture.communityB1])
            // a duplicate record of someone who came is merged into hers: the attendance follows, once
            let twin = try await stores.persons.create(PersonInput(name: "居民0", idNumber: Fixture.idNumber(500), unit: Fixture.communityA1), in: .everything, by: .cli("test"))
            _ = try await o.add(attendees: [twin.idNumber!], to: school.id, in: .everything, by: worker)
            _ = try await stores.persons.merge(keep: people[0].id, drop: twin.id, in: .everything, by: worker)
            #expect(try await o.activity(school.id, in: .everything, by: worker).attendees.map(\.personID).filter { $0 == people[0].id }.count == 1)
            // and a record entered by mistake can be deleted
            try await stores.persons.delete(people[3].id, in: .everything, by: worker)
            #expect(try await o.activity(school.id, in: .everything, by: worker).attendees.count == 3)
        }
    }

    @Test(arguments: TestEngine.all) func boardsAreRenewedEveryQuarter(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            let o = stores.outreach, worker = Actor.cli("worker")
            await #expect { try await o.addBoard(unit: Fixture.communityA1, name: " ", place: nil, in: .everything, by: worker) } throws: { isRenkouError($0, field: "/name", code: "required") }
            let window = try await o.addBoard(unit: Fixture.communityA1, name: "科普橱窗", place: "服务站门口", in: .everything, by: worker)
            let board = try await o.addBoard(unit: Fixture.communityA2, name: "宣传栏", place: nil, in: .everything, by: worker)
            // put up in Q2: fresh for this quarter, due by the end of the next
            #expect(!window.overdue && window.nextDueOn == "2026-09-30")
            await #expect { try await o.renew(window.id, day: "2026-12-01", theme: "x", in: .everything, by: worker) } throws: { isRenkouError($0, field: "/day", code: "in-future") }
            // in Q3 the window is renewed, the board is not; two weeks before the quarter ends its reminder comes
            clock.advance(Double(47 * 86_400))  // 1 July
            _ = try await o.renew(window.id, day: nil, theme: "优生优育", in: .everything, by: worker)
            clock.advance(Double(78 * 86_400))  // 17 September
            // (and 9.25 comes up for each of the three communities)
            #expect(try await o.remind(on: RenkouCore.Day(stores.env.now())) == 4)
            let tasks = try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: worker).filter { $0.kind == .outreachReminder && $0.object?.type == "outreach-board" }
            #expect(tasks.count == 1 && tasks[0].unitCode == Fixture.communityA2 && tasks[0].due == "2026-09-30")
            // Q3's rate, read after it: one board of two renewed
            let q3 = try await stores.indicators.unitFigures(["O03-board-renewals"], unitCode: Fixture.streetA, on: RenkouCore.Day("2026-09-30")!, in: .everything).figures[0]
            #expect(q3.numerator == 1 && q3.denominator == 2)
            // in Q4 the board missed last quarter: overdue; renewing it closes its reminder
            clock.advance(Double(20 * 86_400))  // 7 October
            let boards = try await o.boards(on: RenkouCore.Day(stores.env.now()), in: .everything)
            #expect(boards.first?.id == board.id && boards.first?.overdue == true && boards.last?.overdue == false)
            let renewed = try await o.renew(board.id, day: nil, theme: "关爱女孩", in: .everything, by: worker)
            #expect(!renewed.overdue && renewed.nextDueOn == "2027-03-31")
            #expect(try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: worker).filter { $0.object?.type == "outreach-board" }.isEmpty)
        }
    }

    @Test(arguments: TestEngine.all) func surveysDrawTheSameSampleFromASeedAndCountAnswers(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            let a1 = try await Self.people(stores, 12, unit: Fixture.communityA1)
            let a2 = try await Self.people(stores, 3, unit: Fixture.communityA2, from: 100)
            let s = stores.surveys, worker = Actor.cli("worker")
            await #expect { try await s.open(SurveyInput(kind: "knowledge", unit: Fixture.streetA, title: "知识调查",
                                                         questions: [SurveyQuestion(text: "问", options: ["甲", "乙"]), SurveyQuestion(text: "", options: ["只有一个"], correct: 3)]),
                                             in: .everything, by: worker) } throws: { e in
                let f = Set((e as? RenkouError)?.fields.map(\.pointer) ?? [])
                return isRenkouError(e, field: "/questions/0/correct", code: "required") && f.isSuperset(of: ["/questions/1/text", "/questions/1/options", "/questions/1/correct"])
            }
            let survey = try await s.open(SurveyInput(kind: "knowledge", unit: Fixture.streetA, title: "知识调查", questions: [
                SurveyQuestion(text: "生育政策", options: ["一孩", "两孩", "三孩"], correct: 2), SurveyQuestion(text: "紧急避孕", options: ["72 小时内", "一周内"], correct: 0)]),
                                          in: .everything, by: worker)
            // the same seed draws the same people; another seed (very likely) others
            let first = try await s.sample(survey.id, size: 5, seed: 42, in: .everything, by: worker)
            let again = try await s.sample(survey.id, size: 5, seed: 42, in: .everything, by: worker)
            #expect(first.count == 5 && first.map(\.personID) == again.map(\.personID) && first.allSatisfy { $0.idNumber.contains("*") })
            await #expect { try await s.sample(survey.id, size: 0, seed: 1, in: .everything, by: worker) } throws: { isRenkouError($0, field: "/size", code: "out-of-range") }
            #expect(try await s.survey(survey.id, in: .everything).seed == 42)
            // answers: A1 two right of two and one of two; A2 none of one (one skipped); an anonymous one in A2
            try await s.respond(survey.id, person: a1[0].idNumber, unit: nil, answers: [2, 0], in: .everything, by: worker)
            try await s.respond(survey.id, person: a1[1].id.uuidString, unit: nil, answers: [1, 0], in: .everything, by: worker)
            try await s.respond(survey.id, person: a2[0].idNumber, unit: nil, answers: [0, nil], in: .everything, by: worker)
            try await s.respond(survey.id, person: nil, unit: Fixture.communityA2, answers: [2, 1], in: .everything, by: worker)
            await #expect { try await s.respond(survey.id, person: a1[0].idNumber, unit: nil, answers: [2, 0], in: .everything, by: worker) } throws: { isRenkouError($0, code: "already-answered") }
            await #expect { try await s.respond(survey.id, person: nil, unit: nil, answers: [5], in: .everything, by: worker) } throws: { e in
                isRenkouError(e, field: "/unit", code: "required") && (e as? RenkouError)?.fields.contains { $0.pointer == "/answers" } == true
            }
            let results = try await s.results(survey.id, in: .everything)
            #expect(results.overall.respondents == 4 && results.overall.answers == 7 && results.overall.positive == 4)
            let byUnit = Dictionary(uniqueKeysWithValues: results.units.map { ($0.unitCode, $0) })
            #expect(byUnit[Fixture.communityA1]?.positive == 3 && byUnit[Fixture.communityA1]?.answers == 4 && byUnit[Fixture.communityA2]?.positive == 1)
            // 知识知晓率 counts answers: 4 of 7
            let rate = try await stores.indicators.unitFigures(["O02-knowledge"], unitCode: Fixture.streetA, on: RenkouCore.Day(stores.env.now()), in: .everything).figures[0]
            #expect(rate.numerator == 4 && rate.denominator == 7 && rate.meetsTarget == false)
        }
    }

    @Test(arguments: TestEngine.all) func volunteersReportsBecomeTasks(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            let people = try await Self.people(stores, 3, unit: Fixture.gridA1)
            let a = stores.associations, worker = Actor.cli("worker")
            let association = try await a.create(name: "白银路社区计生协会", unit: Fixture.communityA1, founded: "2008-03-01", in: .everything, by: worker)
            await #expect { try await a.addMember(association.id, person: "nobody", role: "boss", households: ["H-NONE"], in: .everything, by: worker) } throws: { e in
                let f = Set((e as? RenkouError)?.fields.map(\.pointer) ?? [])
                return isRenkouError(e, field: "/role", code: "code-unknown") && f.isSuperset(of: ["/person", "/households/0"])
            }
            let volunteer = try await a.addMember(association.id, person: people[0].idNumber!, role: "volunteer", group: "信息组", in: .everything, by: worker)
            await #expect { try await a.addMember(association.id, person: people[0].idNumber!, role: "member", in: .everything, by: worker) } throws: { isRenkouError($0, code: "already-member") }
            try await a.logHours(member: volunteer.id, day: "2026-05-10", hours: 2.5, activity: "入户走访", in: .everything, by: worker)
            await #expect { try await a.logHours(member: volunteer.id, day: nil, hours: 30, activity: "", in: .everything, by: worker) } throws: { e in
                isRenkouError(e, field: "/hours", code: "out-of-range") && (e as? RenkouError)?.fields.contains { $0.pointer == "/activity" } == true
            }
            #expect(try await a.members(association.id, in: .everything, by: worker).first?.hoursThisYear == 2.5)
            // a new family: on the grid's list for its worker, due in three working days
            let arrival = try await a.report(VolunteerReportInput(reporter: volunteer.id.uuidString, kind: "new-arrival", unit: Fixture.gridA1, address: "12 号楼 301 室", note: "一家三口"),
                                             in: .everything, by: worker)
            #expect(arrival.state == "open" && arrival.unitCode == Fixture.gridA1)
            // a pregnancy: to the community, seen by the service roles only
            let pregnancy = try await a.report(VolunteerReportInput(reporter: volunteer.id.uuidString, kind: "pregnancy", unit: Fixture.gridA1, address: "5 号楼", person: people[1].idNumber),
                                               in: .everything, by: worker)
            #expect(pregnancy.unitCode == Fixture.communityA1)
            let today = RenkouCore.Day(stores.env.now())
            let gridTasks = try await stores.tasks.list(on: today, for: .grid, in: .everything, by: worker).filter { $0.kind == .volunteerReport }
            #expect(gridTasks.count == 1 && gridTasks[0].due == "2026-05-20" && gridTasks[0].subject.contains("新流入人员"))
            #expect(try await stores.tasks.list(on: today, for: .community, in: .everything, by: worker).filter { $0.kind == .volunteerReport }.count == 2)
            #expect(try await a.reports(in: .everything, role: .grid, by: worker).map(\.id) == [arrival.id])
            // nor can a role that may not see it open, assign or close it
            await #expect { try await stores.tasks.close(pregnancy.taskID, outcome: "done", note: nil, in: .everything, role: .street, by: worker) } throws: { isRenkouError($0, code: "not-found") }
            await #expect { try await stores.tasks.task(pregnancy.taskID, in: .everything, for: .grid) } throws: { isRenkouError($0, code: "not-found") }
            try await Fixture.account(stores, "grid-1", .grid, Fixture.gridA1)
            await #expect { try await stores.tasks.assign(pregnancy.taskID, to: "grid-1", in: .everything, role: .community, by: worker) } throws: { isRenkouError($0, field: "/to", code: "unknown-account") }
            // the worker checks it: the report shows the outcome
            _ = try await stores.tasks.close(arrival.taskID, outcome: "done", note: "已登记流动人口", in: .everything, by: worker)
            #expect(try await a.reports(in: .everything, role: .community, by: worker).first { $0.id == arrival.id }?.state == "done")
            await #expect { try await a.report(VolunteerReportInput(reporter: UUID().uuidString, kind: "rumour", address: ""), in: .everything, by: worker) } throws: { e in
                let f = Set((e as? RenkouError)?.fields.map(\.pointer) ?? [])
                return isRenkouError(e, field: "/reporter", code: "unknown-member") && f.isSuperset(of: ["/kind", "/address"])
            }
        }
    }
}
