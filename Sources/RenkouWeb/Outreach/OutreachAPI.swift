import Foundation
import HTTPTypes
import Hummingbird
import RenkouCore
import RenkouStore

/// The outreach API: activities, progress, boards, surveys, associations, members and volunteers' reports.
enum OutreachAPI {
    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        let stores = deps.stores
        @Sendable func year(_ request: Request) -> Int { request.query("year").flatMap { Int($0) }.map { min(max($0, 2000), 2100) } ?? Day(stores.env.now()).year }

        api.on(.get, "/api/v1/outreach/activities") { request, context in
            _ = try context.require(.outreach(.read))
            let kind = try request.query("kind").map { k -> OutreachKind in
                guard let v = OutreachKind(rawValue: k) else { throw RenkouError.invalid([FieldError("/kind", "code-unknown", Text("没有这个活动类别。", "No such kind."))]) }
                return v
            }
            return try JSON.response(try await stores.outreach.list(year: year(request), unitCode: request.query("unit"), kind: kind, in: context.scope))
        }
        struct ActivityBody: Decodable {
            let kind: String?, unit: String?, day: String?, topic: String?, place: String?, audience: String?, trainer: String?, keyDate: String?
            let materials: [MaterialLine]?, attendees: [String]?, headcount: Int?, minutes: String?, association: String?, photo: String?, photoName: String?
        }
        api.on(.post, "/api/v1/outreach/activities") { request, context in
            _ = try context.require(.outreach(.write))
            let b = try await Body.json(ActivityBody.self, request, context: context)
            var photo: ScanFile?
            if let text = b.photo.flatMap { $0.isEmpty ? nil : $0 } {
                guard let data = Data(base64Encoded: text) else { throw RenkouError.invalid([FieldError("/photo", "base64", Text("照片应为 base64 编码。", "The photo is sent in base64."))]) }
                guard let file = ScanFile(name: b.photoName.flatMap { $0.isEmpty ? nil : $0 } ?? "photo", data: data) else { throw ScanFile.wrongType("/photo") }
                photo = file
            }
            let input = ActivityInput(kind: b.kind, unit: b.unit, day: b.day, topic: b.topic, place: b.place, audience: b.audience, trainer: b.trainer, keyDate: b.keyDate,
                                      materials: b.materials, attendees: b.attendees, headcount: b.headcount, minutes: b.minutes, association: b.association)
            return try JSON.response(try await stores.outreach.record(input, photo: photo, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/outreach/activities/{id}") { _, context in
            _ = try context.require(.outreach(.read))
            return try JSON.response(try await stores.outreach.activity(try context.uuid("id", Text("活动", "activity")), in: context.scope, by: context.actor))
        }
        struct AttendeesBody: Decodable { let attendees: [String] }
        api.on(.post, "/api/v1/outreach/activities/{id}/attendees") { request, context in
            _ = try context.require(.outreach(.write))
            let b = try await Body.json(AttendeesBody.self, request, context: context)
            return try JSON.response(try await stores.outreach.add(attendees: b.attendees, to: try context.uuid("id", Text("活动", "activity")), in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/outreach/progress") { request, context in
            _ = try context.require(.outreach(.read))
            return try JSON.response(try await stores.outreach.progress(year: year(request), on: Day(stores.env.now()), in: context.scope))
        }
        api.on(.get, "/api/v1/outreach/boards") { _, context in
            _ = try context.require(.outreach(.read))
            return try JSON.response(try await stores.outreach.boards(on: Day(stores.env.now()), in: context.scope))
        }
        struct BoardBody: Decodable { let unit: String?; let name: String?; let place: String? }
        api.on(.post, "/api/v1/outreach/boards") { request, context in
            _ = try context.require(.outreach(.write))
            let b = try await Body.json(BoardBody.self, request, context: context)
            return try JSON.response(try await stores.outreach.addBoard(unit: b.unit ?? "", name: b.name ?? "", place: b.place, in: context.scope, by: context.actor), status: .created)
        }
        struct RenewalBody: Decodable { let day: String?; let theme: String? }
        api.on(.post, "/api/v1/outreach/boards/{id}/renewals") { request, context in
            _ = try context.require(.outreach(.write))
            let b = try await Body.json(RenewalBody.self, request, context: context)
            return try JSON.response(try await stores.outreach.renew(try context.uuid("id", Text("宣传栏", "board")), day: b.day, theme: b.theme ?? "", in: context.scope, by: context.actor),
                                     status: .created)
        }

        // surveys
        api.on(.get, "/api/v1/outreach/surveys") { _, context in
            _ = try context.require(.outreach(.read))
            return try JSON.response(try await stores.surveys.list(in: context.scope))
        }
        api.on(.post, "/api/v1/outreach/surveys") { request, context in
            _ = try context.require(.outreach(.administer))
            return try JSON.response(try await stores.surveys.open(try await Body.json(SurveyInput.self, request, context: context), in: context.scope, by: context.actor), status: .created)
        }
        struct SurveyView: Encodable { let survey: Survey; let overall: SurveyResult; let units: [SurveyResult] }
        api.on(.get, "/api/v1/outreach/surveys/{id}") { _, context in
            _ = try context.require(.outreach(.read))
            let id = try context.uuid("id", Text("调查", "survey"))
            let survey = try await stores.surveys.survey(id, in: context.scope), results = try await stores.surveys.results(id, in: context.scope)
            return try JSON.response(SurveyView(survey: survey, overall: results.overall, units: results.units))
        }
        struct SampleBody: Decodable { let size: Int?; let seed: Int? }
        struct SampleLine: Encodable { let person: Attendee; let answered: Bool }
        api.on(.post, "/api/v1/outreach/surveys/{id}/sample") { request, context in
            _ = try context.require(.outreach(.write))
            let b = try await Body.json(SampleBody.self, request, context: context)
            let drawn = try await stores.surveys.sample(try context.uuid("id", Text("调查", "survey")), size: b.size ?? 0, seed: b.seed, in: context.scope, by: context.actor)
            return try JSON.response(drawn.map { SampleLine(person: $0, answered: false) }, status: .created)
        }
        api.on(.get, "/api/v1/outreach/surveys/{id}/sample") { _, context in
            _ = try context.require(.outreach(.write))
            let lines = try await stores.surveys.sampleList(try context.uuid("id", Text("调查", "survey")), in: context.scope, by: context.actor)
            return try JSON.response(lines.map { SampleLine(person: $0.person, answered: $0.answered) })
        }
        struct AnswerBody: Decodable { let person: String?; let unit: String?; let answers: [Int?]?; let day: String? }
        struct AnswerCount: Encodable { let answered: Int; let positive: Int }
        api.on(.post, "/api/v1/outreach/surveys/{id}/responses") { request, context in
            _ = try context.require(.outreach(.write))
            let b = try await Body.json(AnswerBody.self, request, context: context)
            let n = try await stores.surveys.respond(try context.uuid("id", Text("调查", "survey")), person: b.person, unit: b.unit, answers: b.answers ?? [], day: b.day,
                                                     in: context.scope, by: context.actor)
            return try JSON.response(AnswerCount(answered: n.answered, positive: n.positive), status: .created)
        }

        // the association
        api.on(.get, "/api/v1/associations") { _, context in
            _ = try context.require(.outreach(.read))
            return try JSON.response(try await stores.associations.list(in: context.scope))
        }
        struct AssociationBody: Decodable { let name: String?; let unit: String?; let employer: String?; let founded: String? }
        api.on(.post, "/api/v1/associations") { request, context in
            _ = try context.require(.outreach(.administer))
            let b = try await Body.json(AssociationBody.self, request, context: context)
            return try JSON.response(try await stores.associations.create(name: b.name ?? "", unit: b.unit ?? "", employer: b.employer, founded: b.founded, in: context.scope, by: context.actor),
                                     status: .created)
        }
        struct EmployerStaff: Encodable { let id: UUID; let name: String; let staff: Int }
        api.on(.get, "/api/v1/associations/employers-without") { _, context in
            _ = try context.require(.outreach(.read))
            return try JSON.response(try await stores.associations.employersWithout(in: context.scope).map { EmployerStaff(id: $0.id, name: $0.name, staff: $0.staff) })
        }
        api.on(.get, "/api/v1/associations/{id}/members") { _, context in
            _ = try context.require(.outreach(.read))
            return try JSON.response(try await stores.associations.members(try context.uuid("id", Text("协会", "association")), in: context.scope, by: context.actor))
        }
        struct MemberBody: Decodable { let person: String?; let role: String?; let group: String?; let households: [String]?; let joined: String? }
        api.on(.post, "/api/v1/associations/{id}/members") { request, context in
            _ = try context.require(.outreach(.write))
            let b = try await Body.json(MemberBody.self, request, context: context)
            return try JSON.response(try await stores.associations.addMember(try context.uuid("id", Text("协会", "association")), person: b.person ?? "", role: b.role ?? "", group: b.group,
                                                                            households: b.households ?? [], joined: b.joined, in: context.scope, by: context.actor), status: .created)
        }
        struct HoursBody: Decodable { let day: String?; let hours: Double?; let activity: String? }
        api.on(.post, "/api/v1/associations/members/{id}/hours") { request, context in
            _ = try context.require(.outreach(.write))
            let b = try await Body.json(HoursBody.self, request, context: context)
            try await stores.associations.logHours(member: try context.uuid("id", Text("会员", "member")), day: b.day, hours: b.hours ?? 0, activity: b.activity ?? "",
                                                   in: context.scope, by: context.actor)
            return Response(status: .noContent)
        }
        api.on(.get, "/api/v1/associations/reports") { _, context in
            let account = try context.require(.outreach(.read))
            return try JSON.response(try await stores.associations.reports(in: context.scope, role: account.role, by: context.actor))
        }
        api.on(.post, "/api/v1/associations/reports") { request, context in
            _ = try context.require(.outreach(.write))
            return try JSON.response(try await stores.associations.report(try await Body.json(VolunteerReportInput.self, request, context: context), in: context.scope, by: context.actor),
                                     status: .created)
        }
    }
}
