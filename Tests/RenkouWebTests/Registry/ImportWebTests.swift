import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct ImportWebTests {
    static func csv(_ rows: [String]) -> String { (["姓名,公民身份号码,性别,出生日期,户号,与户主关系,现居住地址"] + rows).joined(separator: "\r\n") + "\r\n" }

    static let rows = [
        "张三明,\(Fixture.idNumber(1)),男,1985-03-12,A1,户主,白银路 1 号",
        "李秀英,\(Fixture.idNumber(2)),女,1985/3/12,A1,配偶,白银路 1 号",
        "坏号码,310114198503120010,男,,,,",
    ]

    @Test(arguments: TestEngine.all) func apiImportsByModeAndExportsXLSXThatImportsUnchanged(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "office-a", .street, Fixture.streetA)
            let token = try await web.token("office-a")
            let body = Self.csv(Self.rows)
            func post(_ query: String) async throws -> TestResponse {
                try await web.client.execute(uri: "/api/v1/persons/import?\(query)", method: .post,
                                             headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: ByteBuffer(string: body))
            }
            let dry = try await post("unit=\(Fixture.communityA1)&mode=dry-run")
            let d = try dry.jsonObject()
            #expect(dry.status == .ok)
            #expect((d["read"] as? Int, d["imported"] as? Int, d["rejected"] as? Int, d["committed"] as? Bool) == (3, 2, 1, false))
            #expect(((d["problems"] as? [[String: Any]])?.first?["row"] as? Int) == 4)
            // all or nothing with a bad row: 422 and nothing written
            let all = try await post("unit=\(Fixture.communityA1)&mode=all")
            #expect(all.status == .unprocessableContent)
            #expect(try await web.stores.persons.count(in: .everything) == 0)
            // valid rows only
            let valid = try await post("unit=\(Fixture.communityA1)&mode=valid")
            #expect(valid.status == .ok)
            #expect(try valid.jsonObject()["imported"] as? Int == 2)
            #expect(try await web.stores.persons.count(in: .everything) == 2)
            // a unit outside the caller's area, an unknown mode
            #expect(try await post("unit=\(Fixture.communityB1)&mode=valid").status == .unprocessableContent)
            #expect(try await post("unit=\(Fixture.communityA1)&mode=maybe").status == .unprocessableContent)
            // a damaged workbook is the file's fault: a clear 422, not a server error
            let damaged = try await web.client.execute(uri: "/api/v1/persons/import?unit=\(Fixture.communityA1)&mode=valid", method: .post,
                                                       headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(bytes: [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]))
            #expect(damaged.status == .unprocessableContent && damaged.text.contains("XLSX"))
            // the XLSX export reads back through the import engine: nothing changes
            let xlsx = try await web.call(.get, "/api/v1/persons/export?format=xlsx&full=1&reason=backup", token: token)
            #expect(xlsx.status == .ok && xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(xlsx.body.getBytes(at: xlsx.body.readerIndex, length: 2) == [0x50, 0x4B])
            let again = try await web.client.execute(uri: "/api/v1/persons/import?unit=\(Fixture.communityA1)&mode=all", method: .post,
                                                     headers: [.authorization: "Bearer \(token)"], body: xlsx.body)
            let a = try again.jsonObject()
            #expect((a["read"] as? Int, a["unchanged"] as? Int, a["imported"] as? Int, a["fileKind"] as? String) == (2, 2, 0, "xlsx"))
        }
    }

    @Test(arguments: TestEngine.all) func pageUploadDryRunThenValidRows(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker-a", .community, Fixture.communityA1)
            let browser = try await web.signIn("worker-a")
            let form = try await browser.get("/persons/import")
            #expect(form.status == .ok && form.text.contains("enctype=\"multipart/form-data\"") && form.text.contains("/persons/import/template.xlsx"))
            // a GB18030 file through a multipart form
            let boundary = "----renkou-test-boundary"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf)\r\n".utf8)
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"unit\"\r\n\r\n\(Fixture.communityA1)\r\n".utf8)
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"名单.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
            body += Data(TableEncoding.gb18030.encode(Self.csv(Self.rows)))
            body += Data("\r\n--\(boundary)--\r\n".utf8)
            let upload = try await web.client.execute(uri: "/persons/import", method: .post,
                                                      headers: [.cookie: browser.cookies, .contentType: "multipart/form-data; boundary=\(boundary)"],
                                                      body: ByteBuffer(data: body))
            #expect(upload.status == .seeOther)
            let jobPath = try #require(upload.headers[.location])
            let dry = try await Self.finished(jobPath, browser)
            #expect(dry.text.contains("id=\"count-read\">3<") && dry.text.contains("id=\"count-rejected\">1<") && dry.text.contains("GB18030"))
            #expect(dry.text.contains("id=\"import-valid\"") && dry.text.contains("校验位"))
            #expect(try await web.stores.persons.count(in: .everything) == 0)
            let report = try await browser.get(jobPath + "/report.csv")
            #expect(report.status == .ok && report.text.contains("4,公民身份号码,=\"310114198503120010\",错误 error"))
            // another account cannot see the job
            try await Fixture.account(web.stores, "worker-b", .community, Fixture.communityA1)
            #expect(try await (try await web.signIn("worker-b")).get(jobPath).status == .notFound)
            // choose valid rows only
            let commit = try await browser.post(jobPath + "/commit", ["mode": "valid"])
            #expect(commit.status == .seeOther)
            let done = try await Self.finished(try #require(commit.headers[.location]), browser)
            #expect(done.text.contains("id=\"count-imported\">2<") && done.text.contains("imported-persons"))
            #expect(try await web.stores.persons.count(in: .everything) == 2)
            // a form without a file is sent back with the error next to the field
            let empty = try await web.client.execute(uri: "/persons/import", method: .post,
                headers: [.cookie: browser.cookies, .contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf)\r\n--\(boundary)--\r\n"))
            #expect(empty.status == .unprocessableContent && empty.text.contains("请选择要导入的文件"))
        }
    }

    /// Polls the job page until the import has finished.
    static func finished(_ path: String, _ browser: Browser) async throws -> TestResponse {
        for _ in 0..<200 {
            let page = try await browser.get(path)
            if !page.text.contains("id=\"import-progress\"") { return page }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestError("import \(path) did not finish")
    }
}

@Suite struct DuplicateWebTests {
    @Test(arguments: TestEngine.all) func pageListsPairsAndOnlyAdminsMerge(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker-a", .community, Fixture.communityA1)
            try await Fixture.account(web.stores, "admin", .admin, Fixture.district)
            let a = try await web.stores.persons.create(PersonInput(name: "赵敏", idNumber: Fixture.idNumber(2), unit: Fixture.communityA1), in: .everything, by: .cli())
            let b = try await web.stores.persons.create(PersonInput(name: "赵敏", idNumber: Fixture.idNumber(4), unit: Fixture.communityA1), in: .everything, by: .cli())
            let worker = try await web.signIn("worker-a")
            let page = try await worker.get("/persons/duplicates")
            #expect(page.status == .ok && page.text.contains(a.idNumber!) && page.text.contains(b.idNumber!) && !page.text.contains("merge-keep-a"))
            #expect(try await worker.post("/persons/merge", ["keep": a.id.text, "drop": b.id.text]).status == .forbidden)
            let token = try await web.token("admin")
            let bad = try await web.call(.post, "/api/v1/persons/merge", token: token, json: "{\"keep\":\"\(a.id.text)\"}")
            #expect(bad.status == .unprocessableContent)
            let ok = try await web.call(.post, "/api/v1/persons/merge", token: token, json: "{\"keep\":\"\(a.id.text)\",\"drop\":\"\(b.id.text)\"}")
            #expect(ok.status == .ok)
            #expect(try await web.stores.persons.count(in: .everything) == 1)
            let kept = try await (try await web.signIn("admin")).get("/persons/\(a.id.text)")
            #expect(kept.text.contains("id=\"merged\"") && kept.text.contains(b.idNumber!))
            let list = try await web.call(.get, "/api/v1/persons/duplicates", token: token)
            #expect(list.status == .ok && list.text == "[]")
        }
    }
}
