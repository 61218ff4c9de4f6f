import Foundation
import RenkouCore

/// The demo's complaints: in the first communities, one case in every state (an anonymous one just
/// received, one assigned, one in progress, one answered waiting for its rating, one closed and
/// rated, one reopened), one three weeks overdue with its 督办 at the street, and a 两非 report upheld
/// with its reward (seen by the district only).
enum DemoComplaints {
    static func fill(_ stores: Stores, communities: [String]) async throws {
        let c = stores.complaints, worker = Actor.cli("community"), publicActor = Actor.cli("public")
        let a = communities[0], b = communities.count > 1 ? communities[1] : communities[0]
        func file(_ category: String, _ unit: String, _ subject: String, _ body: String, anonymous: Bool = false, name: String? = nil, phone: String? = nil) async throws -> Complaint {
            try await c.file(ComplaintInput(category: category, unit: unit, subject: subject, body: body, anonymous: anonymous, name: name, phone: phone), in: nil, by: publicActor)
        }
        _ = try await file("service", a, "办理生育登记等候时间过长", "周二上午在社区服务站办理生育登记，排队一个多小时，窗口只开了一个。", anonymous: true)
        let assigned = try await file("benefits", a, "奖励扶助金未到账", "去年申请的农村部分计划生育家庭奖励扶助金至今未到账，请帮忙查询。", name: "王秀兰", phone: "13812345678")
        try await c.act(assigned.id, action: "assign", handler: "community", in: .everything, role: .admin, by: worker)
        let working = try await file("records", a, "户籍信息登记错误", "我家孩子的出生日期在系统里登记错了一天。", name: "李建国", phone: "13900001111")
        try await c.act(working.id, action: "start", in: .everything, role: .admin, by: worker)
        let answered = try await file("supplies", a, "自助发放机经常缺货", "小区门口的自助发放机最近两周一直显示缺货。", anonymous: true)
        try await c.act(answered.id, action: "answer", note: "已安排网格员每周二、周五补货，并在发放机上张贴补货电话。", in: .everything, role: .admin, by: worker)
        let rated = try await file("service", b, "工作人员态度很好", "上门随访的医生讲解很耐心，提出表扬。", name: "赵敏")
        try await c.act(rated.id, action: "answer", note: "感谢您的肯定，已转告服务站。", in: .everything, role: .admin, by: worker)
        try await c.rate(code: rated.trackingCode, rating: 5, partly: false, by: publicActor)
        let reopened = try await file("benefits", a, "育儿补贴申请被退回", "材料齐全但申请被退回，没有说明理由。", name: "陈静", phone: "13700002222")
        try await c.act(reopened.id, action: "answer", note: "经核实，缺少孩子的出生医学证明复印件。", in: .everything, role: .admin, by: worker)
        try await c.reopen(code: reopened.trackingCode, reason: "出生医学证明复印件当时已经提交，请再核实。", by: publicActor)
        // three weeks ago and still not answered: the street is told to see to it (督办)
        let late = try await file("service", a, "电话咨询无人接听", "多次拨打社区计生专干电话无人接听。", anonymous: true)
        let today = Day(stores.env.now()), received = today.adding(days: -21)
        try await stores.db.write { db in
            try await db.raw("""
                UPDATE complaints SET received_on = \(bind: received.description), due_on = \(bind: stores.env.policy.calendar.adding(workingDays: 10, to: received).description)
                WHERE id = \(bind: late.id.text)
                """).run()
        }
        try await c.escalateOverdue(on: today)
        // 两非 report, upheld, the reward paid
        let report = try await file("two-non", b, "疑似非法鉴定胎儿性别", "某诊所提供胎儿性别鉴定服务，收费 2000 元。", anonymous: true)
        try await c.act(report.id, action: "start", in: .everything, role: .admin, by: Actor.cli("district"))
        try await c.act(report.id, action: "uphold", upheld: true, reward: 2000, in: .everything, role: .admin, by: Actor.cli("district"))
        try await c.act(report.id, action: "answer", note: "经卫生健康执法部门查实，已依法处理，举报奖励已发放。", in: .everything, role: .admin, by: Actor.cli("district"))
    }
}
