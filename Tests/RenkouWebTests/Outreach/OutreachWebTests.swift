import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RenkouCore
import RenkouStore
import RenkouWeb
import RenkouTestSupport
import Testing

/// The outreach pages: a community records a training with who came and what was handed out (a bad
/// line named, nothing kept), sees its year against the targets, renews a board; the street opens a
/// survey typed a question a line and a worker enters an answer; a volunteer's report lands on the
/// grid worker's task list; the API gives the same.
@Suite struct OutreachWebTests {
    @Test(arguments: TestEngine.all) func aCommunityRecordsItsYearAndAVolunteersReportReachesTheGrid(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "station", .community, Fixture.communityA1)
            try await Fixture.account(web.stores, "gridworker", .grid, Fixture.gridA1)
            try await Fixture.account(web.stores, "streetlead", .street, Fixture.streetA)
            var ids: [String] = []
            for i in 0..<3 {
                ids.append(try await web.stores.persons.create(PersonInput(name: "学员\(i)", idNumber: Fixture.idNumber(i), unit: Fixture.gridA1), in: .everything, by: .cli("t")).idNumber!)
            }
            let station = try await web.signIn("station")
            let year = RenkouCore.Day(web.stores.env.now()).year
            let day = "\(year)-01-15"
            #expect(try await station.get("/outreach/activities/new").text.contains(#"id="activity-form""#))
            // a line that is no one: answered next to the list, nothing kept
            let bad = try await station.post("/outreach/activities", ["kind": "training", "unit": Fixture.communityA1, "day": day, "topic": "避孕节育知情选择", "audience": "resident",
                                                                      "attendees": ids[0] + "\n110101199001011234", "materials": "宣传折页 200"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("第 2 人不在登记库") && bad.text.contains("避孕节育知情选择"))
            #expect(try await web.stores.outreach.list(year: year, in: .everything).isEmpty)
            let saved = try await station.post("/outreach/activities", ["kind": "training", "unit": Fixture.communityA1, "day": day, "topic": "避孕节育知情选择", "audience": "resident",
                                                                        "attendees": ids.joined(separator: "\n"), "materials": "宣传折页 200\n避孕套 500", "headcount": "25"])
            #expect(saved.status == .seeOther)
            let page = try await station.get(try #require(saved.headers[.location]))
            #expect(page.text.contains("学员0") && page.text.contains("宣传折页 × 200") && page.text.contains(">25<") && !page.text.contains(ids[0]))
            let year1 = try await station.get("/outreach")
            #expect(year1.status == .ok && year1.text.contains(#"id="progress""#) && year1.text.contains("0/2") && year1.text.contains("1/12") && year1.text.contains("避孕节育知情选择"))
            // a board put up and renewed
            #expect(try await station.post("/outreach/boards", ["unit": Fixture.communityA1, "name": "科普橱窗"]).status == .seeOther)
            let board = try #require(try await web.stores.outreach.boards(on: RenkouCore.Day(web.stores.env.now()), in: .everything).first)
            let noTheme = try await station.post("/outreach/boards/\(board.id.text)/renewals", ["theme": ""])
            #expect(noTheme.status == .unprocessableContent && noTheme.text.contains("请填写本期主题"))
            #expect(try await station.post("/outreach/boards/\(board.id.text)/renewals", ["theme": "优生优育"]).status == .seeOther)
            #expect(try await station.get("/outreach/boards").text.contains("优生优育"))

            // the street opens a knowledge survey typed a question a line; the station enters an answer
            let street = try await web.signIn("streetlead")
            let opened = try await street.post("/outreach/surveys", ["kind": "knowledge", "unit": Fixture.streetA, "title": "知识调查",
                                                                      "questions": "生育政策 | 一孩 | 两孩 | 三孩*\n紧急避孕 | 72 小时内* | 一周内"])
            #expect(opened.status == .seeOther)
            let surveyPath = try #require(opened.headers[.location])
            let noMark = try await street.post("/outreach/surveys", ["kind": "knowledge", "unit": Fixture.streetA, "title": "x", "questions": "问 | 甲 | 乙"])
            #expect(noMark.status == .unprocessableContent && noMark.text.contains("知识题须给出正确答案"))
            #expect(try await station.post(surveyPath + "/responses", ["person": ids[0], "a0": "2", "a1": "1"]).status == .seeOther)
            let results = try await station.get(surveyPath)
            #expect(results.text.contains(#"id="overall-rate">50.0%"#))

            // the association (set up through the API by the street), a volunteer and her report
            let token = try await web.token("streetlead")
            let created = try await web.call(.post, "/api/v1/associations", token: token, json: #"{"name": "白银路社区计生协会", "unit": "\#(Fixture.communityA1)"}"#)
            #expect(created.status == .created)
            let association = try #require(created.jsonObject()["id"] as? String)
            #expect(try await station.post("/association/\(association)/members", ["person": ids[1], "role": "volunteer", "group": "信息组"]).status == .seeOther)
            let members = try await station.get("/association/\(association)")
            #expect(members.text.contains("学员1") && members.text.contains("志愿者"))
            let member = try #require(try await web.stores.associations.members(UUID(uuidString: association)!, in: .everything, by: .cli("t")).first)
            let report = try await station.post("/association/reports", ["reporter": member.id.text, "kind": "new-arrival", "unit": Fixture.gridA1, "address": "12 号楼 301 室"])
            #expect(report.status == .seeOther)
            let grid = try await web.signIn("gridworker")
            #expect(try await grid.get("/tasks").text.contains("信息反馈：新流入人员 · 12 号楼 301 室"))
            #expect(try await station.get("/association").text.contains("待核实"))

            // the API: the same year
            let progress = try await web.call(.get, "/api/v1/outreach/progress?year=\(year)", token: token)
            #expect(progress.status == .ok && progress.text.contains(#""residentTrainings":1"#))
            let apiBad = try await web.call(.post, "/api/v1/outreach/activities", token: token, json: #"{"kind": "training", "unit": "\#(Fixture.communityA2)", "topic": "x"}"#)
            #expect(apiBad.status == .unprocessableContent && apiBad.text.contains("/audience"))
        }
    }
}
