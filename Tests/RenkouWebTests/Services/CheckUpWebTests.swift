import Foundation
import HTTPTypes
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Check-up rounds, pregnancies and pre-pregnancy checks through pages and API, their privacy, and the
/// task list's assignment, household grouping, round sheet and reports.
@Suite struct CheckUpWebTests {
    static func woman(_ stores: Stores, _ name: String, _ n: Int, unit: String) async throws -> Person {
        let first17 = "310114" + "19920304" + String(format: "%03d", 100 + n * 2)
        var input = PersonInput(name: name, idNumber: first17 + String(CitizenID.checkCharacter(first17)!), unit: unit)
        input.sex = "2"; input.maritalStatus = "20"; input.firstMarriageDate = "2015-05-01"
        return try await web(stores, input)
    }
    static func web(_ stores: Stores, _ input: PersonInput) async throws -> Person { try await stores.persons.create(input, in: .everything, by: .cli()) }

    @Test(arguments: TestEngine.all) func checkResultsPregnanciesAndPrePregnancyItemsStayWithTheServiceRoles(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let stores = web.stores, today = Day(stores.env.now())
            let w = try await Self.woman(stores, "钱多", 1, unit: Fixture.gridA1)
            var iud = ServiceInput(); iud.person = w.id.text; iud.kind = "iud-insertion"; iud.date = today.adding(days: -100).description
            iud.informedChoice = InformedChoice(counselledOn: iud.date, methodsExplained: ["iud", "implant", "oral-pill", "condom", "emergency-pill"], chosen: "iud", mec: 1)
            iud.consentScan = Data("%PDF-1.4".utf8).base64EncodedString()
            let service = try await stores.services.record(iud, in: .everything, by: .cli())
            let round = try await stores.checkUps.openRound(CheckUpRoundInput(unit: Fixture.communityA1, name: "第一轮", startsOn: today.description, endsOn: today.adding(days: 20).description),
                                                           in: .everything, by: .cli())
            let line = try #require(try await stores.checkUps.dueList(round.id, in: .everything, by: .cli()).first)
            try await stores.checkUps.record(line.id, CheckUpResultInput(date: today.description, results: ["pregnancy": "positive", "iud": "abnormal", "gynaecological": "normal"]),
                                             in: .everything, by: .cli())
            var pre = PrePregnancyInput(); pre.person = w.id.text; pre.spouseName = "孙强"; pre.date = today.adding(days: -150).description; pre.items = ["rubella": "abnormal"]
            let check = try await stores.prePregnancy.record(pre, in: .everything, by: .cli())
            let early = try #require(try await stores.services.followUps(personID: w.id, on: today, in: .everything).first { $0.schedule == FollowUpSchedules.prePregnancyEarly })
            let pregnancy = try #require(try await stores.services.of(w.id, in: .everything, by: .cli()).pregnancies.first)
            let secrets = ["查环", "阳性", "已孕", "风疹", "孕情", "\"iud\"", "rubella"]
            for (user, role, unit) in [("admin-y", Role.admin, Fixture.district), ("street-y", .street, Fixture.streetA), ("grid-y", .grid, Fixture.gridA1), ("viewer-y", .viewer, Fixture.district)] {
                try await Fixture.account(stores, user, role, unit)
                let browser = try await web.signIn(user), token = try await web.token(user)
                for path in ["/persons/\(w.id.text)", "/checkups/\(round.id.text)", "/prepregnancy", "/tasks", "/followups", "/api/v1/checkup-rounds/\(round.id.text)", "/api/v1/checkup-rounds",
                             "/api/v1/tasks", "/api/v1/followups"] {
                    let r = path.hasPrefix("/api") ? try await web.call(.get, path, token: token) : try await browser.get(path)
                    // the leaders' account sees no person records at all
                    #expect(r.status == (role == .viewer ? .forbidden : .ok), "\(user) \(path)")
                    #expect(!secrets.contains { r.text.contains($0) }, "\(user) reads a detail on \(path)")
                    // a pre-pregnancy follow-up is not even listed: its existence would tell
                    #expect(!r.text.lowercased().contains(early.id.text), "\(user) sees the pre-pregnancy visit on \(path)")
                }
                // the round's coverage is for all; its list is not
                #expect(try await browser.get("/checkups/\(round.id.text)").text.contains("100.0%") || role == .viewer, "\(user)")
                for path in ["/api/v1/prepregnancy-checks", "/api/v1/persons/\(w.id.text)/services", "/api/v1/indicators/S04-check-up-coverage/records"] {
                    #expect(try await web.call(.get, path, token: token).status == .forbidden, "\(user) \(path)")
                }
                for path in ["/services/\(service.id.text)/consent", "/checkup-results/\(line.id.text)", "/pregnancies/\(pregnancy.id.text)/outcome", "/persons/\(w.id.text)/prepregnancy/new", "/persons/\(w.id.text)/pregnancies/new"] {
                    #expect(try await browser.get(path).status == .forbidden, "\(user) \(path)")
                }
                #expect(try await web.call(.post, "/api/v1/pregnancies/\(pregnancy.id.text)/outcome", token: token, json: #"{"outcome":"lost","date":"\#(today)"}"#).status == .forbidden)
                // a pre-pregnancy follow-up's findings would tell what it is: only the service roles record it
                let visit = try await web.call(.post, "/api/v1/followups/\(early.id.text)/visit", token: token, json: #"{"date":"\#(today)","findings":"not-pregnant"}"#)
                #expect(visit.status == .forbidden, "\(user)")
            }
            // the community's family-planning worker sees and records them
            try await Fixture.account(stores, "community-y", .community, Fixture.communityA1)
            let worker = try await web.signIn("community-y")
            let list = try await worker.get("/checkups/\(round.id.text)")
            #expect(list.text.contains("钱多") && list.text.contains("查环：异常"))
            #expect(try await worker.get("/services/\(service.id.text)/consent").headers[.contentType] == "application/pdf")
            let page = try await worker.get("/persons/\(w.id.text)")
            #expect(page.text.contains("查孕") && page.text.contains("孕前优生") && page.text.contains("风疹病毒 IgG"))
            let form = try await worker.get("/followups/\(early.id.text)/visit")
            #expect(form.text.contains(#"value="not-pregnant""#) && !form.text.contains(#"value="side-effect""#))
            let done = try await worker.post("/followups/\(early.id.text)/visit", ["date": today.description, "findings": "pregnant"])
            #expect(done.status == .seeOther)
            #expect(try await stores.prePregnancy.check(check.id, in: .everything).earlyFinding == .pregnant)
        }
    }

    @Test(arguments: TestEngine.all) func aWorkerOpensARoundRecordsResultsAndSetsQuotasThroughPages(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let stores = web.stores, today = Day(stores.env.now())
            let w = try await Self.woman(stores, "李四妹", 2, unit: Fixture.communityA1)
            try await Fixture.account(stores, "community-z", .community, Fixture.communityA1)
            try await Fixture.account(stores, "street-z", .street, Fixture.streetA)
            let worker = try await web.signIn("community-z")
            let bad = try await worker.post("/checkups", ["unit": Fixture.communityA1, "name": "", "startsOn": today.description, "endsOn": today.adding(days: -1).description])
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="e-name""#) && bad.text.contains(#"id="e-endsOn""#))
            let opened = try await worker.post("/checkups", ["unit": Fixture.communityA1, "name": "春季双查", "startsOn": today.description, "endsOn": today.adding(days: 30).description])
            #expect(opened.status == .seeOther)
            let round = try #require(try await stores.checkUps.rounds(in: .everything).first)
            let line = try #require(try await stores.checkUps.dueList(round.id, in: .everything, by: .cli()).first { $0.personID == w.id })
            let wrong = try await worker.post("/checkup-results/\(line.id.text)", ["date": today.adding(days: 1).description, "results/pregnancy": "negative"])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains(#"id="e-date""#))
            let saved = try await worker.post("/checkup-results/\(line.id.text)", ["date": today.description, "results/pregnancy": "negative", "results/gynaecological": "normal"])
            #expect(saved.status == .seeOther)
            #expect(try await worker.get("/checkups").text.contains("100.0%"))
            // a pregnancy recorded from the person page, then its outcome
            #expect(try await worker.post("/persons/\(w.id.text)/pregnancies/new", ["detectedOn": today.description, "source": "report"]).status == .seeOther)
            let again = try await worker.post("/persons/\(w.id.text)/pregnancies/new", ["detectedOn": today.description, "source": "report"])
            #expect(again.status == .conflict && again.text.contains("请先记录其结局"))
            let g = try #require(try await stores.services.of(w.id, in: .everything, by: .cli()).pregnancies.first)
            #expect(try await worker.post("/pregnancies/\(g.id.text)/outcome", ["outcome": "miscarriage", "date": today.description]).status == .seeOther)
            // the street sets the quota; the community cannot
            #expect(try await worker.post("/prepregnancy/quotas", ["unit": Fixture.communityA1, "year": String(today.year), "couples": "40"]).status == .forbidden)
            let street = try await web.signIn("street-z")
            #expect(try await street.post("/prepregnancy/quotas", ["unit": Fixture.communityA1, "year": String(today.year), "couples": "x"]).status == .unprocessableContent)
            #expect(try await street.post("/prepregnancy/quotas", ["unit": Fixture.communityA1, "year": String(today.year), "couples": "40"]).status == .seeOther)
            var items = ["date": today.description, "spouseName": "李强", "risk": "general"]
            for i in PrePregnancyItem.allCases { items["items/\(i.rawValue)"] = "normal" }
            #expect(try await worker.post("/persons/\(w.id.text)/prepregnancy/new", items).status == .seeOther)
            let quota = try await street.get("/prepregnancy?year=\(today.year)")
            #expect(quota.text.contains("白银路社区") && quota.text.contains("2.5%"))
        }
    }

    @Test(arguments: TestEngine.all) func tasksAreAssignedGroupedByHouseholdPrintedAndSummed(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let stores = web.stores, today = Day(stores.env.now())
            let a = try await Self.woman(stores, "周一", 3, unit: Fixture.gridA1), b = try await Self.woman(stores, "周二", 4, unit: Fixture.gridA1)
            let house = try await stores.households.create(number: "H-302", unitCode: Fixture.gridA1, address: "新成路 8 号 302", in: .everything, by: .cli())
            try await stores.households.addMember(house.id, person: a.id, relation: "02", on: today, in: .everything, by: .cli())
            let ta = try await stores.tasks.addHomeVisit(person: a.id, due: today, note: nil, in: .everything, by: .cli())
            _ = try await stores.tasks.addHomeVisit(person: b.id, due: today.adding(days: 3), note: nil, in: .everything, by: .cli())
            try await Fixture.account(stores, "grid-z", .grid, Fixture.gridA1)
            try await Fixture.account(stores, "grid-other", .community, Fixture.communityA2)
            try await Fixture.account(stores, "community-w", .community, Fixture.communityA1)
            let token = try await web.token("community-w")
            // assigned to someone who cannot see it: refused, nothing changes
            let refused = try await web.call(.post, "/api/v1/tasks/\(ta.id.text)/assign", token: token, json: #"{"to":"grid-other"}"#)
            #expect(refused.status == .unprocessableContent && refused.text.contains("unknown-account"))
            #expect(try await web.call(.post, "/api/v1/tasks/\(UUID().uuidString)/assign", token: token, json: #"{"to":"grid-z"}"#).status == .notFound)
            #expect(try await web.call(.post, "/api/v1/tasks/\(ta.id.text)/assign", token: token, json: #"{"to":"grid-z"}"#).status == .noContent)
            let grid = try await web.signIn("grid-z")
            let mine = try await grid.get("/tasks?assigned=me")
            #expect(mine.text.contains("周一") && !mine.text.contains("周二"))
            let unassigned = try await web.call(.get, "/api/v1/tasks?assigned=none", token: try await web.token("grid-z"))
            #expect(unassigned.text.contains("周二") && !unassigned.text.contains("周一"))
            // by household: her household's number and address head her tasks
            let grouped = try await grid.get("/tasks?group=household")
            #expect(grouped.text.contains("新成路 8 号 302") && grouped.text.contains("其他（无住址）"))
            let sheet = try await grid.get("/tasks/sheet")
            #expect(sheet.status == .ok && sheet.text.contains(#"id="round-sheet""#) && sheet.text.contains("新成路 8 号 302") && sheet.text.contains("签名"))
            // the week's report and the month's rolling list count, naming no one
            try await stores.tasks.close(ta.id, outcome: "done", note: nil, in: .everything, by: .cli())
            let week = try await grid.get("/tasks/report")
            #expect(week.text.contains("周汇报") && week.text.contains("办结任务") && week.text.contains("双查未查对象") && !week.text.contains("周一"))
            let month = try await grid.get("/tasks/report?period=month")
            #expect(month.text.contains("月滚动跟踪排查") && month.text.contains("出租户、单位未签或协议过期"))
            let json = try await web.call(.get, "/api/v1/tasks/report?from=\(today.adding(days: -6))&to=\(today)", token: token)
            #expect(json.status == .ok && json.text.contains("\"count\":1"))
            #expect(try await web.call(.get, "/api/v1/tasks/report?from=\(today)&to=\(today.adding(days: -1))", token: token).status == .unprocessableContent)
        }
    }
}
