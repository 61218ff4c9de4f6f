import Foundation
import RenkouCore

/// The demo's year of outreach in the first two communities: the key dates marked (the second
/// community missed one), trainings and population-school sessions with attendance from the registry
/// (the second community behind), the boards (one not renewed this quarter), each community's
/// association with its groups, 中心户长, 五老 and volunteers and their hours, a meeting with
/// minutes, volunteers' reports on the task list, a knowledge survey answered by its sample and a
/// street's satisfaction survey answered anonymously.
enum DemoOutreach {
    static func fill(_ stores: Stores, communities: [String]) async throws {
        let o = stores.outreach, actor = Actor.cli("community"), today = Day(stores.env.now()), year = today.year
        let picked = Array(communities.prefix(2))
        var rng = DemoPopulation.SplitMix(seed: 2026)
        for (index, code) in picked.enumerated() {
            let path = try await stores.orgs.unit(code: code, in: .everything)!.path
            let (people, households) = try await stores.db.read { db in
                (try await db.raw("""
                    SELECT id_number FROM persons WHERE \(stores.db.engine.startsWith("path", path)) AND status = 'active' AND birth_date <= \(bind: today.lastBirthDay(forAge: 20).description)
                    AND birth_date >= \(bind: today.lastBirthDay(forAge: 70).description) ORDER BY id LIMIT 80
                    """).all().map { try $0.decode(column: "id_number", as: String.self) },
                 try await db.raw("SELECT number FROM households WHERE \(stores.db.engine.startsWith("path", path)) ORDER BY number LIMIT 12").all().map { try $0.decode(column: "number", as: String.self) })
            }
            guard people.count >= 20 else { continue }
            func some(_ n: Int) -> [String] { (0..<n).map { _ in people[rng.int(0...(people.count - 1))] }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } } }
            func day(_ month: Int, _ d: Int) -> String? { let x = Day(year: year, month: month, day: d)!; return x <= today ? x.description : nil }
            // the four key dates (the second community missed the Open Letter day)
            for k in stores.env.policy(.keyDates, on: today) where !(index == 1 && k.code == "open-letter-day") {
                guard let d = day(k.month, k.day) else { continue }
                try await o.record(ActivityInput(kind: "publicity", unit: code, day: d, topic: k.name.zh + "主题宣传", place: "社区广场",
                                                 keyDate: k.code, materials: [MaterialLine(kind: "宣传折页", count: 200 + 50 * index), MaterialLine(kind: "避孕套", count: 300)],
                                                 headcount: 120 - 30 * index), in: .everything, by: actor)
            }
            // trainings: propagandists twice, residents monthly (the second community only every other month)
            let topics = ["避孕节育知情选择", "优生优育与孕前检查", "预防艾滋病", "育儿补贴政策解读", "青春期健康", "更年期保健", "婴幼儿科学喂养", "生育登记网上办理",
                          "流动人口均等化服务", "家庭发展与养老", "出生缺陷预防", "心理健康"]
            for (m, topic) in topics.enumerated() where index == 0 ? m < 11 : m % 2 == 0 {
                guard let d = day(m + 1, 15) else { continue }
                try await o.record(ActivityInput(kind: m % 3 == 0 ? "school" : "training", unit: code, day: d, topic: topic, place: "人口学校教室", audience: "resident",
                                                 trainer: "区妇幼保健所医生", attendees: some(12)), in: .everything, by: actor)
            }
            for (i, month) in [3, 9].enumerated() where index == 0 || i == 0 {
                guard let d = day(month, 8) else { continue }
                try await o.record(ActivityInput(kind: "training", unit: code, day: d, topic: "宣传员、楼组长、发药员业务培训", place: "社区会议室", audience: "propagandist",
                                                 trainer: "街道计生办", attendees: some(8)), in: .everything, by: actor)
            }
            // boards: renewed each quarter; the second community's window missed this one
            for (b, name) in ["人口计生科普橱窗", "计生宣传栏"].enumerated() {
                let board = try await o.addBoard(unit: code, name: name, place: b == 0 ? "社区服务站门口" : "小区主干道", in: .everything, by: actor)
                try await stores.db.transaction { db in
                    try await db.raw("UPDATE outreach_boards SET created_on = \(bind: "\(year - 1)-12-01") WHERE id = \(bind: board.id.text)").run()
                }
                for q in 0..<4 {
                    let d = Day(year: year, month: q * 3 + 2, day: 10)!
                    guard d <= today, !(index == 1 && b == 0 && q == (today.month - 1) / 3) else { continue }
                    _ = try await o.renew(board.id, day: d.description, theme: ["婚育新风进万家", "优生优育", "关爱女孩", "预防艾滋病"][q], in: .everything, by: actor)
                }
            }
            // the association: groups, 中心户长 with their households, 五老, volunteers, their hours
            let a = stores.associations
            let unitName = try await stores.orgs.unit(code: code, in: .everything)!.name
            let association = try await a.create(name: "\(unitName)计生协会", unit: code, founded: "2008-03-01", in: .everything, by: actor)
            let roles: [(AssociationRole, String?)] = [(.groupLeader, "一组"), (.groupLeader, "二组"), (.centerHousehold, "一组"), (.centerHousehold, "二组"), (.fiveElders, "健康指导组"),
                                                       (.fiveElders, "信息组"), (.volunteer, "信息组"), (.volunteer, "健康指导组"), (.member, "一组"), (.member, "二组")]
            var members: [AssociationMember] = []
            for (i, (role, group)) in roles.enumerated() where i + 40 < people.count {
                let homes = role == .centerHousehold ? Array(households.dropFirst(i * 3).prefix(4)) : []
                members.append(try await a.addMember(association.id, person: people[i + 40], role: role.rawValue, group: group, households: homes, joined: "\(year - 3)-05-26",
                                                     in: .everything, by: actor))
            }
            for m in members where [.volunteer, .fiveElders].contains(m.role) {
                for month in 1...12 {
                    guard let d = day(month, 20) else { continue }
                    try await a.logHours(member: m.id, day: d, hours: Double(2 + month % 3), activity: month % 2 == 0 ? "入户走访、发放宣传资料" : "陪同孕产妇随访", in: .everything, by: actor)
                }
            }
            if let d = day(6, 28) {
                try await o.record(ActivityInput(kind: "meeting", unit: code, day: d, topic: "协会年中工作会议", place: "社区会议室",
                                                 attendees: members.prefix(6).map(\.personID.uuidString), minutes: "一、通报上半年会员活动和信息反馈情况；二、布置 7.11 世界人口日宣传；三、讨论流动人口关怀走访名单。",
                                                 association: association.id.uuidString), in: .everything, by: actor)
            }
            // what the volunteers saw, on the worker's list
            if let volunteer = members.first(where: { $0.role == .volunteer }), let elder = members.first(where: { $0.role == .fiveElders }) {
                _ = try await a.report(VolunteerReportInput(reporter: volunteer.id.uuidString, kind: "new-arrival", address: "\(unitName) 12 号楼 301 室",
                                                            note: "新搬来一家三口，在附近工厂上班，尚未登记。"), in: .everything, by: actor)
                let gone = try await a.report(VolunteerReportInput(reporter: elder.id.uuidString, kind: "departure", address: "\(unitName) 5 号楼 102 室", note: "租户已搬走。"),
                                              in: .everything, by: actor)
                _ = try await stores.tasks.close(gone.taskID, outcome: "done", note: "已核实，已办理离开登记。", in: .everything, by: actor)
                _ = try await a.report(VolunteerReportInput(reporter: elder.id.uuidString, kind: "need-help", address: "\(unitName) 8 号楼 601 室",
                                                            note: "独居老人，失独家庭，需要上门看望。"), in: .everything, by: actor)
            }
            // the knowledge survey of the community: twenty drawn, fifteen answered
            let knowledge = try await stores.surveys.open(SurveyInput(kind: "knowledge", unit: code, title: "\(year) 年生殖健康和预防艾滋病知识调查", day: day(10, 20) ?? today.description,
                                                                      questions: DemoOutreach.knowledgeQuestions), in: .everything, by: actor)
            let sample = try await stores.surveys.sample(knowledge.id, size: 20, seed: 20_261_020 + index, in: .everything, by: actor)
            for (i, p) in sample.prefix(15).enumerated() {
                // most know; one answer in nine is wrong (index 1: one in five)
                let answers: [Int?] = DemoOutreach.knowledgeQuestions.enumerated().map { q, question in
                    (i * 5 + q) % (index == 0 ? 9 : 5) == 0 ? ((question.correct ?? 0) + 1) % question.options.count : question.correct
                }
                try await stores.surveys.respond(knowledge.id, person: p.personID.uuidString, unit: nil, answers: answers, in: .everything, by: actor)
            }
        }
        // the street's 满意度测评, answered anonymously in each community
        guard let first = picked.first, let street = try await stores.orgs.unit(code: first, in: .everything)?.parentID,
              let streetCode = try await stores.db.read({ db in try await db.raw("SELECT code FROM org_units WHERE id = \(bind: street.text)").first()?.decode(column: "code", as: String.self) })
        else { return }
        let survey = try await stores.surveys.open(SurveyInput(kind: "satisfaction", unit: streetCode, title: "\(year) 年计划生育服务群众满意度测评", day: today.adding(days: -20).description,
                                                               questions: [SurveyQuestion(text: "您对社区计生服务站的服务态度是否满意？", options: ["满意", "基本满意", "不满意"]),
                                                                           SurveyQuestion(text: "您对办事时限和效率是否满意？", options: ["满意", "基本满意", "不满意"]),
                                                                           SurveyQuestion(text: "您对政策公开和公示情况是否满意？", options: ["满意", "基本满意", "不满意"])]),
                                                   in: .everything, by: actor)
        for (index, code) in picked.enumerated() {
            for i in 0..<12 {
                try await stores.surveys.respond(survey.id, person: nil, unit: code, answers: [i % 4 == 0 ? 1 : 0, (i + index) % (index == 0 ? 7 : 4) == 0 ? 2 : 0, 0],
                                                 day: today.adding(days: -15).description, in: .everything, by: actor)
            }
        }
    }

    static let knowledgeQuestions: [SurveyQuestion] = [
        SurveyQuestion(text: "国家实行的生育政策是？", options: ["一对夫妻可以生育一个子女", "一对夫妻可以生育两个子女", "一对夫妻可以生育三个子女"], correct: 2),
        SurveyQuestion(text: "艾滋病的传播途径不包括？", options: ["性接触", "血液", "母婴", "一般日常接触"], correct: 3),
        SurveyQuestion(text: "免费孕前优生健康检查的对象是？", options: ["计划怀孕的夫妇", "仅限户籍人口", "仅限初婚夫妇"], correct: 0),
        SurveyQuestion(text: "紧急避孕药应在无保护性生活后多久内服用？", options: ["72 小时内", "一周内", "一个月内"], correct: 0),
        SurveyQuestion(text: "育儿补贴发放给几周岁以下的婴幼儿？", options: ["一周岁", "三周岁", "六周岁"], correct: 1),
    ]
}
