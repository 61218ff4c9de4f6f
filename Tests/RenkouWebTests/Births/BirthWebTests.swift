import Foundation
import HTTPTypes
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Birth registration through pages and API: the couple applies online and follows it by number,
/// seeing nothing unmasked; the community handles it from its task list and prints the voucher.
@Suite struct BirthWebTests {
    static func id(_ birth: String, _ seq: String) -> String { let f = "310114" + birth + seq; return f + String(CitizenID.checkCharacter(f)!) }

    @Test(arguments: TestEngine.all) func theCoupleAppliesOnlineAndTheCommunityRegistersIt(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let today = Day(web.stores.env.now())
            let mother = Self.id("19930415", "002"), father = Self.id("19910210", "013")
            // the public form: no login; a missing pledge comes back beside its box, nothing saved
            let anonymous = web.anonymous()
            let form = try await anonymous.get("/public/births/apply")
            #expect(form.status == .ok && form.text.contains(#"id="f-pledge""#) && form.text.contains("白银路社区"))
            var values = ["unit": Fixture.communityA1, "basis": "mother-hukou", "motherName": "林静", "motherIDNumber": mother, "fatherName": "许强",
                          "fatherIDNumber": father, "expectedOn": today.adding(days: 120).description, "document": "id-card"]
            let refused = try await anonymous.post("/public/births/apply", values)
            #expect(refused.status == .unprocessableContent && refused.text.contains(#"id="e-pledge""#))
            #expect(try await web.stores.births.list(unitCode: nil, state: nil, in: .everything, by: .cli()).total == 0)
            values["pledge"] = "1"
            let applied = try await anonymous.post("/public/births/apply", values)
            #expect(applied.status == .created && applied.text.components(separatedBy: #"id="applied""#).count == 2)
            let number = try #require(applied.text.firstMatch(of: /SY-\d{4}-[A-Z0-9]{8}/).map { String($0.output) })
            // nothing unmasked on the answer, nor on the status page
            for page in [applied.text, try await anonymous.get("/public/births/status?number=\(number)&id4=\(father.suffix(4))").text] {
                #expect(!page.contains("林静") && !page.contains("许强") && !page.contains(mother) && !page.contains(father))
                #expect(page.contains("林*") && page.contains(String(mother.suffix(4))))
            }
            #expect(try await anonymous.get("/public/births/status?number=\(number)&id4=9999").status == .notFound)
            let api = try await web.call(.get, "/api/v1/public/births/status?number=\(number)&id4=\(mother.suffix(4))")
            #expect(api.status == .ok && api.text.contains("\"state\":\"submitted\"") && !api.text.contains(mother))
            // the community finds it on its task list and registers it
            try await Fixture.account(web.stores, "community-b", .community, Fixture.communityA1)
            let worker = try await web.signIn("community-b")
            let reg = try #require(try await web.stores.births.list(unitCode: nil, state: nil, in: .everything, by: .cli()).items.first)
            #expect(try await worker.get("/tasks").text.contains("/births/\(reg.id.text)"))
            let noNote = try await worker.post("/births/\(reg.id.text)/decide", ["decision": "refuse"])
            #expect(noNote.status == .unprocessableContent && noNote.text.contains(#"id="e-note""#))
            #expect(try await worker.post("/births/\(reg.id.text)/decide", ["decision": "register"]).status == .seeOther)
            let voucher = try await worker.get("/births/\(reg.id.text)/voucher")
            #expect(voucher.status == .ok && voucher.text.contains("<svg") && voucher.text.contains("林静"))
            let token = try #require(try await web.stores.births.registration(reg.id, in: .everything, by: .cli()).voucherToken)
            let check = try await anonymous.get("/public/births/voucher/\(token)")
            #expect(check.status == .ok && check.text.contains("已登记") && !check.text.contains("林静"))
            // a leader reads, does not decide
            try await Fixture.account(web.stores, "viewer-b", .viewer, Fixture.district)
            let viewer = try await web.token("viewer-b")
            #expect(try await web.call(.get, "/api/v1/births", token: viewer).status == .forbidden)
            #expect(try await web.call(.post, "/api/v1/births/\(reg.id.text)/decision", token: viewer, json: #"{"decision":"refuse","note":"x"}"#).status == .forbidden)
            #expect(try await web.call(.post, "/api/v1/births", token: viewer, json: "{}").status == .forbidden)
            // a grid worker registers for a couple at the community above the grid
            try await Fixture.account(web.stores, "grid-b", .grid, Fixture.gridA1)
            let grid = try await web.signIn("grid-b")
            #expect(try await grid.get("/births/new").text.contains("白银路社区"))
            let proxy = try await grid.post("/births/new", ["unit": Fixture.communityA1, "motherName": "韩雪", "motherIDNumber": Self.id("19950101", "002"), "fatherName": "罗成",
                                                             "fatherIDNumber": Self.id("19930101", "011"), "expectedOn": today.adding(days: 200).description, "document": "id-card"])
            #expect(proxy.status == .seeOther && proxy.headers[.location] == "/tasks")
            #expect(try await web.stores.births.list(unitCode: nil, state: .accepted, in: .everything, by: .cli()).items.contains { $0.channel == .proxy && $0.motherName == "韩雪" })
            // at the counter through the API: bad input is reported field by field
            let bad = try await web.call(.post, "/api/v1/births", token: try await web.token("community-b"), json: #"{"unit":"\#(Fixture.communityA1)","motherName":"林静","motherIDNumber":"123"}"#)
            #expect(bad.status == .unprocessableContent && bad.text.contains("/motherIDNumber") && bad.text.contains("/fatherName"))
        }
    }
}
