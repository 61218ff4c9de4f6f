import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RenkouCore
import RenkouStore
import RenkouWeb
import RenkouTestSupport
import Testing

/// The public's complaint pages and API never show a name or a phone, keep nothing of a robot's
/// submission, and follow a case by its code; the office files one for a caller, answers it from
/// the case page, and sees the complainant only as its handler.
@Suite struct ComplaintWebTests {
    @Test(arguments: TestEngine.all) func thePublicFilesFollowsAndRatesAndSeesNoNameOrPhone(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "station", .community, Fixture.communityA1)
            let visitor = web.anonymous()
            let page = try await visitor.get("/public/complaints")
            #expect(page.status == .ok && page.text.contains(#"id="public-complaint""#) && page.text.contains(#"name="website""#))
            // a named complaint: missing body answered by its field, nothing kept
            let bad = try await visitor.post("/public/complaints", ["category": "benefits", "unit": Fixture.communityA1, "subject": "补贴未到", "name": "王秀兰", "phone": "13812345678"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("请写明事由") && bad.text.contains("王秀兰"))
            // a robot fills the hidden field: thanked, nothing kept
            let robot = try await visitor.post("/public/complaints", ["category": "service", "unit": Fixture.communityA1, "subject": "buy", "body": "spam", "anonymous": "1", "website": "http://spam"])
            #expect(robot.status == .seeOther && robot.headers[.location] == "/public/complaints?received=1")
            #expect(try await web.stores.complaints.list(in: .everything, role: .admin).isEmpty)
            let filed = try await visitor.post("/public/complaints", ["category": "benefits", "unit": Fixture.communityA1, "subject": "补贴未到", "body": "去年的补贴没有到账。",
                                                                      "name": "王秀兰", "phone": "13812345678"])
            // filed: off to its tracking page, which shows the code to keep (a refresh there files nothing)
            #expect(filed.status == .seeOther)
            let location = try #require(filed.headers[.location]?.removingPercentEncoding)
            let code = try #require(location.range(of: #"TS-\d{4}-[A-Z0-9]{10}"#, options: .regularExpression).map { String(location[$0]) })
            func shows(_ text: String) -> Bool { text.contains("王秀兰") || text.contains("13812345678") }
            let track = try await visitor.get(location)
            #expect(track.status == .ok && track.text.contains("已受理") && track.text.contains(#"id="tracking-code""#) && !shows(track.text))
            #expect(try await visitor.get("/public/complaints/track?code=TS-2026-NOTACODE00").status == .notFound)
            let json = try await web.call(.get, "/api/v1/public/complaints/\(code)")
            #expect(json.status == .ok && !shows(json.text) && !json.text.contains("\"name\"") && !json.text.contains("\"phone\""))
            // the station answers from the case page; the name is shown to it as the handler only
            let station = try await web.signIn("station")
            let id = try #require(try await web.stores.complaints.list(in: .everything, role: .admin).first).id
            #expect(try await station.get("/complaints").text.contains(code))
            #expect(try await station.get("/complaints/\(id.text)").text.contains("王*兰"))
            // the answer can start from a template of the case's category (a 两非 one is not offered for a benefits case)
            let templated = try await station.get("/complaints/\(id.text)?template=benefit-policy")
            #expect(templated.text.contains("待遇政策解释") && !templated.text.contains("两非举报核查结果") && templated.text.contains(">您咨询的待遇按照现行规定办理"))
            let templates = try await web.call(.get, "/api/v1/complaints/templates?category=benefits", token: try await web.token("station"))
            #expect(templates.status == .ok && templates.text.contains("benefit-policy") && !templates.text.contains("two-non-checked"))
            #expect(try await station.post("/complaints/\(id.text)/actions", ["action": "start"]).status == .seeOther)
            #expect(try await station.get("/complaints/\(id.text)").text.contains("王秀兰"))
            let empty = try await station.post("/complaints/\(id.text)/actions", ["action": "answer", "note": ""])
            #expect(empty.status == .unprocessableContent && empty.text.contains("请填写答复内容"))
            #expect(try await station.post("/complaints/\(id.text)/actions", ["action": "answer", "note": "已核实，本月补发。"]).status == .seeOther)
            // she reads the answer and rates it through the tracking page
            let answered = try await visitor.get("/public/complaints/track?code=\(code)")
            #expect(answered.text.contains("已核实，本月补发。") && answered.text.contains(#"id="rate-form""#) && !shows(answered.text))
            let noRating = try await visitor.post("/public/complaints/track/\(code)/rating", [:])
            #expect(noRating.status == .unprocessableContent && noRating.text.contains("请选择 1–5 分"))
            #expect(try await visitor.post("/public/complaints/track/\(code)/rating", ["rating": "5"]).status == .seeOther)
            let closed = try await visitor.get("/public/complaints/track?code=\(code)&thanks=1")
            #expect(closed.text.contains("已办结") && closed.text.contains("5 / 5") && closed.text.contains(#"id="thanks""#))
            // the public API: an anonymous complaint with a phone typed keeps none
            let api = try await web.call(.post, "/api/v1/public/complaints", json: """
                {"category": "service", "unit": "\(Fixture.communityA1)", "subject": "电话没人接", "body": "打了三次。", "anonymous": true, "name": "赵六", "phone": "13900002222"}
                """)
            #expect(api.status == .created && !api.text.contains("赵六") && !api.text.contains("13900002222"))
            let stored = try await web.stores.db.read { db in try await db.raw("SELECT COUNT(*) AS n FROM complaints WHERE name IS NOT NULL OR phone IS NOT NULL").first()!.decode(column: "n", as: Int.self) }
            #expect(stored == 1)
            // the office files one for a caller on the phone
            let filedForCaller = try await station.post("/complaints/new", ["category": "service", "unit": Fixture.communityA1, "channel": "phone", "subject": "咨询无人答复", "body": "来电反映。"])
            #expect(filedForCaller.status == .seeOther)
            #expect(try await web.stores.complaints.list(in: .everything, role: .admin).count == 3)
            // the viewer reads and does not act
            try await Fixture.account(web.stores, "leader", .viewer, Fixture.district)
            let leader = try await web.signIn("leader")
            #expect(try await leader.get("/complaints").status == .forbidden)
            #expect(try await leader.post("/complaints/\(id.text)/actions", ["action": "note", "note": "x"]).status == .forbidden)
        }
    }
}

/// 办事指南: the district writes an entry (a bad one answered by field, nothing kept); the public
/// reads it and its board; a community worker cannot edit it.
@Suite struct GuideWebTests {
    @Test(arguments: TestEngine.all) func theDistrictKeepsTheGuideAndThePublicReadsIt(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "bureau", .district, Fixture.district)
            let bureau = try await web.signIn("bureau")
            #expect(try await bureau.get("/guide").status == .ok)
            let bad = try await bureau.post("/guide/save", ["code": "Birth Reg", "name": "生育登记", "timeLimitDays": "400", "documents": "", "steps": "提交"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("代码用小写字母") && bad.text.contains("0–365") && bad.text.contains("请列出所需材料"))
            #expect(try await web.stores.guide.all().isEmpty)
            let saved = try await bureau.post("/guide/save", ["code": "birth-registration", "name": "生育登记", "summary": "生育登记服务。", "eligibility": "依法登记结婚的夫妻",
                                                             "documents": "居民身份证\r\n结婚证\r\n", "steps": "提交\n核对\n出具凭证", "place": "社区服务站", "fee": "",
                                                             "timeLimitDays": "10", "legalBasis": "《人口与计划生育法》第十八条", "position": "1"])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/public/guide/birth-registration")
            let visitor = web.anonymous()
            let list = try await visitor.get("/public/guide")
            #expect(list.status == .ok && list.text.contains("生育登记") && list.text.contains("10 个工作日") && list.text.contains("不收费"))
            let entry = try await visitor.get("/public/guide/birth-registration")
            #expect(entry.status == .ok && entry.text.contains("<li>结婚证</li>") && entry.text.contains("<li>出具凭证</li>") && entry.text.contains(#"id="guide-board""#))
            let board = try await visitor.get("/public/guide/birth-registration/board")
            // the printed board's QR code and address: the request's host unless RENKOU_PUBLIC_URL is set (below)
            #expect(board.status == .ok && board.text.contains("guide board") && board.text.contains(#"id="print-board""#) && board.text.contains(#"id="guide-qr"><svg"#)
                    && board.text.contains("/public/guide/birth-registration</span>"))
            #expect(try await visitor.get("/public/guide/nothing").status == .notFound)
            let api = try await web.call(.get, "/api/v1/public/guide/birth-registration")
            #expect(api.status == .ok && api.text.contains("\"timeLimitDays\":10") && api.text.contains("\"documents\":[\"居民身份证\",\"结婚证\"]"))
            // a community worker reads it like anyone, and may not change it
            try await Fixture.account(web.stores, "station", .community, Fixture.communityA1)
            let station = try await web.signIn("station")
            #expect(try await station.get("/guide").status == .forbidden)
            #expect(try await station.post("/guide/save", ["code": "x-1", "name": "x"]).status == .forbidden)
            #expect(try await bureau.post("/guide/birth-registration/remove", [:]).status == .seeOther)
            #expect(try await visitor.get("/public/guide/birth-registration").status == .notFound)
        }
    }
}

/// 公开栏: every kind of entry on a community's board (a notice, a posted benefit list, the birth
/// registrations' counts, the service points) shows no name or ID number unmasked, on the page and
/// in its JSON; a notice with a number typed into it is masked too; the office publishes and takes
/// notices down.
@Suite struct BoardWebTests {
    @Test(arguments: TestEngine.all) func everyKindOfEntryOnTheBoardIsMasked(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let year = RenkouCore.Day(web.stores.env.now()).year
            var m = PersonInput(name: "林静", idNumber: BenefitWebTests.id("19930415", "002"), unit: Fixture.communityA1); m.sex = "2"; m.maritalStatus = "20"
            let mother = try await web.stores.persons.create(m, in: .everything, by: .cli())
            let born = RenkouCore.Day(year: year - 1, month: 6, day: 1)!
            var child = PersonInput(name: "许安", idNumber: BenefitWebTests.id(born.description.replacingOccurrences(of: "-", with: ""), "551")); child.hukouRegion = "310114"
            _ = try await web.stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: born.description, child: child), in: .everything, by: .cli())
            try await Fixture.account(web.stores, "street-c", .street, Fixture.streetA)
            let street = try await web.signIn("street-c")
            #expect(try await street.post("/benefits", ["programme": "childcare-subsidy", "year": String(year), "unit": Fixture.streetA]).status == .seeOther)
            let run = try #require(try await web.stores.benefits.runs(in: .everything).first)
            #expect(try await street.post("/benefits/\(run.id.text)/post", [:]).status == .seeOther)
            try await web.stores.supplies.addLocation(name: "白银路药具发放点", kind: "service-point", unitCode: Fixture.communityA1, in: .everything, by: .cli())
            // a registration handled this year (its couple's names must not show)
            let father = BenefitWebTests.id("19910302", "011")
            var application = BirthRegistrationInput()
            application.unit = Fixture.communityA1; application.motherName = "韦秀"; application.motherIDNumber = BenefitWebTests.id("19940312", "002")
            application.fatherName = "甘力"; application.fatherIDNumber = father; application.pledge = true
            application.expectedOn = RenkouCore.Day(web.stores.env.now()).adding(days: 150).description
            _ = try await web.stores.births.apply(application)
            // the street publishes a notice with a number typed into it; an empty one is answered by field
            let empty = try await street.post("/board/notices", ["unit": Fixture.streetA, "title": "", "body": ""])
            #expect(empty.status == .unprocessableContent && empty.text.contains("请填写标题"))
            #expect(try await street.post("/board/notices", ["unit": Fixture.streetA, "title": "服务站开放时间",
                                                             "body": "周一至周五开放。联系人手机 13812345678，身份证 \(mother.idNumber!) 的居民请来领取。"]).status == .seeOther)
            let visitor = web.anonymous()
            let page = try await visitor.get("/public/board/\(Fixture.communityA1)")
            let json = try await web.call(.get, "/api/v1/public/board/\(Fixture.communityA1)")
            for text in [page.text, json.text] {
                #expect(text.contains("服务站开放时间") && text.contains("白银路药具发放点"))
                #expect(text.contains("138****5678") && !text.contains("13812345678"))
                #expect(!text.contains(mother.idNumber!) && !text.contains(child.idNumber!) && !text.contains(father))
                #expect(!text.contains("林静") && !text.contains("许安") && !text.contains("韦秀") && !text.contains("甘力"))
            }
            #expect(page.text.contains("许*") && page.text.contains(Mask.idNumber(child.idNumber!)) && page.text.contains("已提交：1"))
            #expect(try await visitor.get("/public/board/\(Fixture.district)").status == .notFound)
            // the public's index links every service without an account
            let index = try await visitor.get("/public")
            #expect(index.status == .ok && ["/public/guide", "/public/complaints", "/public/board", "/public/births/apply", "/public/benefits"].allSatisfy { index.text.contains("href=\"\($0)\"") })
            // the office's list, and taking the notice down
            let notice = try #require(try await web.stores.board.notices(in: .everything).first)
            #expect(try await street.get("/board").text.contains("服务站开放时间"))
            #expect(try await street.post("/board/notices/\(notice.id.text)/withdraw", [:]).status == .seeOther)
            #expect(!(try await visitor.get("/public/board/\(Fixture.communityA1)").text.contains("服务站开放时间")))
        }
    }
}
