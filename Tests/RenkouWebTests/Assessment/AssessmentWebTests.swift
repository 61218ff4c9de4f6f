import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RenkouCore
import RenkouStore
import RenkouWeb
import RenkouTestSupport
import Testing

/// The district sets a target and hands it to the streets from the page; a street's allocation that
/// does not meet it is refused with the weighted figure; the catalogue shows every indicator for the
/// street and its communities against their targets, red where one falls behind, over any period; a
/// warning is closed from its page; a veto marks the community.
@Suite struct AssessmentWebTests {
    @Test(arguments: TestEngine.all) func targetsCatalogueWarningsAndVetoesThroughThePages(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "bureau", .district, Fixture.district)
            try await Fixture.account(web.stores, "streetlead", .street, Fixture.streetA)
            try await Fixture.account(web.stores, "station", .community, Fixture.communityA1)
            for i in 0..<3 {
                _ = try await web.stores.persons.create(PersonInput(name: "居民\(i)", idNumber: Fixture.idNumber(i), unit: Fixture.communityA1), in: .everything, by: .cli("t"))
            }
            let year = RenkouCore.Day(web.stores.env.now()).year
            let bureau = try await web.signIn("bureau")
            #expect(try await bureau.post("/assessment/targets", ["code": "O02-knowledge", "unit": Fixture.district, "year": "\(year)", "value": "95"]).status == .seeOther)
            #expect(try await bureau.post("/assessment/targets", ["code": "O02-knowledge", "unit": Fixture.district, "year": "\(year)", "method": "same"]).status == .seeOther)
            let page = try await bureau.get("/assessment?year=\(year)&unit=\(Fixture.district)")
            #expect(page.status == .ok && page.text.contains(#"id="targets""#) && page.text.contains("<strong>95%</strong>") && page.text.contains("新成路街道"))
            // the street may not give its communities less than its own
            let street = try await web.signIn("streetlead")
            let refused = try await street.post("/assessment/targets", ["code": "O02-knowledge", "unit": Fixture.streetA, "year": "\(year)", "method": "hand", "base": "population",
                                                                       "values": "\(Fixture.communityA1)=90\n\(Fixture.communityA2)=100"])
            #expect(refused.status == .unprocessableContent && refused.text.contains("达不到上级目标 95%"))
            #expect(try await street.post("/assessment/targets", ["code": "O02-knowledge", "unit": Fixture.streetA, "year": "\(year)", "method": "hand",
                                                                  "values": "\(Fixture.communityA1)=96\n\(Fixture.communityA2)=95"]).status == .seeOther)
            // a community may read but not plan
            let station = try await web.signIn("station")
            #expect(try await station.post("/assessment/targets", ["code": "O02-knowledge", "unit": Fixture.communityA1, "value": "50"]).status == .forbidden)
            // its knowledge survey falls short: red in the catalogue, in its own period and over the statistical year
            let survey = try await web.stores.surveys.open(SurveyInput(kind: "knowledge", unit: Fixture.communityA1, title: "调查", questions: [
                SurveyQuestion(text: "一", options: ["甲", "乙"], correct: 0), SurveyQuestion(text: "二", options: ["甲", "乙"], correct: 0)]), in: .everything, by: .cli("t"))
            for (i, a) in ([[0, 1], [1, 1], [1, 1]] as [[Int?]]).enumerated() {
                try await web.stores.surveys.respond(survey.id, person: Fixture.idNumber(i), unit: nil, answers: a, in: .everything, by: .cli("t"))
            }
            let catalogue = try await street.get("/indicators")
            #expect(catalogue.status == .ok && catalogue.text.contains(#"id="catalogue""#) && catalogue.text.contains("知识知晓率") && catalogue.text.contains("白银路社区"))
            #expect(catalogue.text.contains(#"<td class="num below"><a href="/indicators/O02-knowledge?unit=\#(Fixture.communityA1)"#))
            // the dashboard: the month-by-month line, the communities ranked (the one behind in red, its bar opening its records), the pyramid
            let board = try await street.get("/dashboard?code=O02-knowledge")
            #expect(board.status == .ok && board.text.contains(#"id="trend"><svg"#) && board.text.contains(#"id="ranking"><svg"#) && board.text.contains(#"class="bar short""#))
            #expect(board.text.contains(#"<a href="/indicators/O02-knowledge?unit=\#(Fixture.communityA1)"#) && board.text.contains("<td>40–44</td>"))
            let statistical = try await street.get("/indicators?period=statistical-year")
            #expect(statistical.status == .ok && statistical.text.contains("period=statistical-year"))
            #expect(try await street.get("/indicators?period=fortnight").status == .unprocessableContent)
            // the warning, raised now, is closed from its page by the community
            #expect(try await bureau.post("/assessment/warnings/evaluate", [:]).status == .seeOther)
            let warning = try #require(try await web.stores.warnings.list(in: .everything).first { $0.code == "O02-knowledge" && $0.unitCode == Fixture.communityA1 })
            #expect(try await station.get("/assessment/warnings").text.contains("知识知晓率"))
            #expect(try await station.post("/assessment/warnings/\(warning.id.text)/close", ["action": "组织补课"]).status == .seeOther)
            #expect(try await station.get("/assessment/warnings").text.contains("组织补课"))
            // a veto, recorded by the district, marks the community
            #expect(try await station.post("/assessment/vetoes", ["unit": Fixture.communityA1, "item": "concealed-birth", "evidence": "x"]).status == .forbidden)
            #expect(try await bureau.post("/assessment/vetoes", ["unit": Fixture.communityA1, "year": "\(year)", "item": "concealed-birth", "evidence": "入户抽查发现瞒报"]).status == .seeOther)
            #expect(try await street.get("/indicators").text.contains("白银路社区 <span class=\"badge\">一票否决</span>"))
            // the API: the same targets
            let token = try await web.token("streetlead")
            let targets = try await web.call(.get, "/api/v1/assessment/targets?year=\(year)", token: token)
            #expect(targets.status == .ok && targets.text.contains(#""value":0.96"#))
            let bad = try await web.call(.post, "/api/v1/assessment/targets/allocate", token: token, json: #"{"code": "O02-knowledge", "unit": "\#(Fixture.streetA)", "method": "proportional"}"#)
            #expect(bad.status == .unprocessableContent && bad.text.contains("not-for-rates"))
        }
    }

    @Test(arguments: TestEngine.all) func aSpotCheckIsDrawnPrintedAndEnteredFromThePages(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "bureau", .district, Fixture.district)
            for h in 0..<3 {
                let household = try await web.stores.households.create(number: "H\(200 + h)", unitCode: Fixture.communityA1, address: "\(h + 1) 号楼", in: .everything, by: .cli("t"))
                let p = try await web.stores.persons.create(PersonInput(name: "住户\(h)", idNumber: Fixture.idNumber(h), unit: Fixture.communityA1), in: .everything, by: .cli("t"))
                try await web.stores.households.addMember(household.id, person: p.id, relation: "02", on: RenkouCore.Day("2020-01-01")!, in: .everything, by: .cli("t"))
            }
            let bureau = try await web.signIn("bureau")
            let refused = try await bureau.post("/assessment/spot-checks", ["unit": Fixture.streetA, "size": "2", "seed": "5"])
            #expect(refused.status == .unprocessableContent && refused.text.contains("入户抽查按社区抽取"))
            let drawn = try await bureau.post("/assessment/spot-checks", ["unit": Fixture.communityA1, "size": "2", "seed": "5"])
            #expect(drawn.status == .seeOther)
            let sheetPath = try #require(drawn.headers[.location])
            let sheet = try await bureau.get(sheetPath)
            #expect(sheet.status == .ok && sheet.text.contains(#"id="seed">5<"#) && sheet.text.contains("住户"))
            // the first household as registered: everything matches
            let check = try #require(try await web.stores.spotChecks.list(year: RenkouCore.Day(web.stores.env.now()).year, in: .everything).first)
            let first = try #require(try await web.stores.spotChecks.sheet(check.id, in: .everything, by: .cli("t")).first)
            let m = first.members[0]
            let saved = try await bureau.post("\(sheetPath)/visits/\(first.householdID.text)", ["present-\(m.personID.text)": "1", "name-\(m.personID.text)": m.name, "sex-\(m.personID.text)": m.sex])
            #expect(saved.status == .seeOther)
            #expect(try await bureau.get(sheetPath).text.contains(#"id="accuracy">100.0% (2/2)"#))
            #expect(try await bureau.get("/assessment/spot-checks").text.contains("100.0% (2/2)"))
            // the sheet: the community's spot-check item at full marks, with how
            let scores = try await bureau.get("/assessment/scores")
            #expect(scores.status == .ok && scores.text.contains(#"id="scores""#) && scores.text.contains("白银路社区"))
            let detail = try await bureau.get("/assessment/scores/\(Fixture.communityA1)")
            #expect(detail.text.contains("入户抽查帐实相符率 100%（2/2），达到目标 98%：满分 60"))
            let hand = try await bureau.post("/assessment/scores/\(Fixture.communityA1)/hand", ["item": "reports", "points": "5", "evidence": "按时"])
            #expect(hand.status == .unprocessableContent && hand.text.contains("分数应在 0 到 2 之间"))
        }
    }
}
