import Foundation
import HTTPTypes
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/benefits`: draw a run, read it with its lines, review a line, post, object, resolve,
/// approve, fetch the bank file and send back the bank's return file; the public board.
enum BenefitAPI {
    struct Draw: Decodable { let programme: String?; let year: Int?; let quarter: Int?; let unit: String? }
    struct LineReview: Decodable { let remove: String? }
    struct Objection: Decodable { let text: String? }
    struct Resolve: Decodable { let upheld: Bool?; let resolution: String? }
    struct Correction: Decodable { let amount: Int?; let reason: String? }
    struct RunDTO: Encodable { let run: BenefitRun; let lines: [BenefitLine]; let objections: [BenefitStore.Objection] }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.post, "/api/v1/benefits/runs") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(Draw.self, request, context: context)
            guard let p = b.programme.flatMap(BenefitProgramme.init(rawValue:)) else {
                throw RenkouError.invalid([FieldError("/programme", "code-unknown", Text("项目应为 childcare-subsidy、reward-assistance、special-assistance、complication-assistance 或 only-child-parents。",
                                                                                      "The programme is childcare-subsidy, reward-assistance, special-assistance, complication-assistance or only-child-parents."))])
            }
            return try JSON.response(try await deps.stores.benefits.draw(p, year: b.year ?? 0, quarter: b.quarter ?? 0, unitCode: b.unit ?? "", in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/benefits/runs") { _, context in
            _ = try context.require(.births(.read))
            return try JSON.response(try await deps.stores.benefits.runs(in: context.scope))
        }
        api.on(.get, "/api/v1/benefits/runs/{id}") { _, context in
            _ = try context.require(.births(.read))
            let id = try context.uuid("id", Text("扶助名单", "benefit run"))
            let s = deps.stores.benefits
            return try JSON.response(RunDTO(run: try await s.run(id, in: context.scope), lines: try await s.lines(id, in: context.scope, by: context.actor),
                                            objections: try await s.objections(id, in: context.scope)))
        }
        api.on(.post, "/api/v1/benefits/runs/{id}/post") { _, context in
            _ = try context.require(.births(.write))
            return try JSON.response(try await deps.stores.benefits.post(try context.uuid("id", Text("扶助名单", "benefit run")), in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/benefits/runs/{id}/approve") { _, context in
            _ = try context.require(.births(.approve))
            return try JSON.response(try await deps.stores.benefits.approve(try context.uuid("id", Text("扶助名单", "benefit run")), in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/benefits/runs/{id}/payment-file") { _, context in
            _ = try context.require(.births(.write))
            let file = try await deps.stores.benefits.paymentFile(try context.uuid("id", Text("扶助名单", "benefit run")), in: context.scope, by: context.actor)
            return Response(status: .created, headers: [.contentType: "text/csv; charset=utf-8", HTTPField.Name("X-Batch")!: String(file.batch)], body: .init(byteBuffer: ByteBuffer(string: file.csv)))
        }
        api.on(.get, "/api/v1/benefits/runs/{id}/payment-file") { request, context in
            _ = try context.require(.births(.write))
            let file = try await deps.stores.benefits.paymentFile(try context.uuid("id", Text("扶助名单", "benefit run")), batch: request.query("batch").flatMap(Int.init) ?? 1,
                                                                  in: context.scope, by: context.actor)
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: file.csv)))
        }
        api.on(.post, "/api/v1/benefits/runs/{id}/return-file") { request, context in
            _ = try context.require(.births(.write))
            let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
            let text = String(buffer: body).replacingOccurrences(of: "\u{FEFF}", with: "")
            return try JSON.response(try await deps.stores.benefits.reconcile(try context.uuid("id", Text("扶助名单", "benefit run")), returnFile: text, in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/benefits/lines/{id}/review") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(LineReview.self, request, context: context)
            return try JSON.response(try await deps.stores.benefits.review(try context.uuid("id", Text("名单行", "line")), remove: b.remove, in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/benefits/lines/{id}/objections") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(Objection.self, request, context: context)
            return try JSON.response(try await deps.stores.benefits.object(to: try context.uuid("id", Text("名单行", "line")), text: b.text ?? "", source: "worker", in: context.scope, by: context.actor),
                                     status: .created)
        }
        api.on(.post, "/api/v1/benefits/lines/{id}/corrections") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(Correction.self, request, context: context)
            return try JSON.response(try await deps.stores.benefits.correct(try context.uuid("id", Text("名单行", "line")), amount: b.amount ?? -1, reason: b.reason ?? "",
                                                                            in: context.scope, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/benefits/objections/{id}/resolve") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(Resolve.self, request, context: context)
            return try JSON.response(try await deps.stores.benefits.resolve(try context.uuid("id", Text("异议", "objection")), upheld: b.upheld ?? false, resolution: b.resolution ?? "",
                                                                            in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/public/benefits") { _, context in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            return try JSON.response(try await deps.stores.benefits.board())
        }
    }
}
