import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RenkouCore
import RenkouStore
import RenkouWeb
import RenkouTestSupport
import Testing

/// A community submits last month's report from its page; the street sees it waiting, sends it back
/// (a note needed), the community submits again and the street accepts: the page shows both versions;
/// the community may not review, the leader (viewer) reads the reports but submits nothing; the
/// sheet downloads as XLSX; the same through the API.
@Suite struct ReportWebTests {
    @Test(arguments: TestEngine.all) func aReportGoesUpIsSentBackAndAcceptedThroughThePages(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "station", .community, Fixture.communityA1)
            try await Fixture.account(web.stores, "streetlead", .street, Fixture.streetA)
            try await Fixture.account(web.stores, "leader", .viewer, Fixture.district)
            _ = try await web.stores.persons.create(PersonInput(name: "居民", idNumber: Fixture.idNumber(1), unit: Fixture.communityA1), in: .everything, by: .cli("t"))
            let last = ReportStore.lastMonth(on: RenkouCore.Day(web.stores.env.now()))
            let station = try await web.signIn("station"), street = try await web.signIn("streetlead"), leader = try await web.signIn("leader")

            let sheet = try await station.get("/reports/sheet?unit=\(Fixture.communityA1)")
            #expect(sheet.status == .ok && sheet.text.contains("人口和计划生育统计月报") && sheet.text.contains(#"id="submit-form""#) && sheet.text.contains("月末登记人口"))
            #expect(try await station.post("/reports/sheet", ["unit": Fixture.communityA1, "note": "按时上报"]).status == .seeOther)
            let again = try await station.post("/reports/sheet", ["unit": Fixture.communityA1])
            #expect(again.status == .conflict && again.text.contains("等待上级审核"))

            // the street sees it waiting, and must say why it sends it back
            let status = try await street.get("/reports")
            #expect(status.status == .ok && status.text.contains("白银路社区") && status.text.contains("已上报待审核") && status.text.contains("金沙社区"))
            let first = try #require(try await web.stores.reports.sheet(unit: Fixture.communityA1, month: last, in: .everything).latest)
            #expect(try await station.post("/reports/\(first.id.text)/review", ["decision": "accept"]).status == .forbidden)
            #expect(try await street.post("/reports/\(first.id.text)/review", ["decision": "return", "note": ""]).status == .unprocessableContent)
            #expect(try await street.post("/reports/\(first.id.text)/review", ["decision": "return", "note": "请核对流入人口"]).status == .seeOther)
            #expect(try await station.get("/reports/sheet?unit=\(Fixture.communityA1)").text.contains("请核对流入人口"))
            #expect(try await station.post("/reports/sheet", ["unit": Fixture.communityA1]).status == .seeOther)
            let second = try #require(try await web.stores.reports.sheet(unit: Fixture.communityA1, month: last, in: .everything).latest)
            #expect(try await street.post("/reports/\(second.id.text)/review", ["decision": "accept"]).status == .seeOther)
            let done = try await street.get("/reports/sheet?unit=\(Fixture.communityA1)")
            #expect(done.text.contains(#"id="version-2""#) && done.text.contains(#"id="version-1""#) && done.text.contains("已审核通过") && done.text.contains("已退回"))
            #expect(!done.text.contains(#"id="review-form""#))

            // the leader reads who reported, and submits nothing
            #expect(try await leader.get("/reports").status == .ok)
            // the leader's dashboard: last month's reports (the one street not yet in, behind) and the scores of the streets
            let board = try await leader.get("/dashboard")
            #expect(board.status == .ok && board.text.contains(#"id="dashboard-reports""#) && board.text.contains(#"id="reports-behind""#) && board.text.contains(#"id="dashboard-scores""#))
            #expect(board.text.contains("新成路街道"))
            #expect(try await leader.post("/reports/sheet", ["unit": Fixture.communityA2]).status == .forbidden)
            let xlsx = try await street.get("/reports/sheet.xlsx?unit=\(Fixture.communityA1)")
            #expect(xlsx.status == .ok && xlsx.headers[.contentType]?.contains("spreadsheetml") == true && xlsx.body.getString(at: xlsx.body.readerIndex, length: 2) == "PK")

            // the API: the community's A2 report submitted and its status read; bad input named
            let token = try await web.token("streetlead")
            let submitted = try await web.call(.post, "/api/v1/reports", token: token, json: #"{"unit": "\#(Fixture.communityA2)", "month": "1999-13"}"#)
            #expect(submitted.status == .unprocessableContent && submitted.text.contains("month-format"))
            let a2 = try await web.call(.post, "/api/v1/reports", token: token, json: #"{"unit": "\#(Fixture.communityA2)", "month": "\#(first.month)"}"#)
            #expect(a2.status == .created)
            let body = try await web.call(.get, "/api/v1/reports?unit=\(Fixture.streetA)&month=\(first.month)", token: token).jsonObject()
            let rates = body["rates"] as? [[String: Any]]
            #expect(rates?.first { $0["level"] as? String == "community" }?["submitted"] as? Int == 2)
            let review = try await web.call(.post, "/api/v1/reports/\(UUID().uuidString)/review", token: token, json: #"{"accept": true}"#)
            #expect(review.status == .notFound)
        }
    }
}
