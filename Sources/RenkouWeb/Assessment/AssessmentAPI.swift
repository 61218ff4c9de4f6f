import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The assessment API: targets and their allocation, agreements, warnings, vetoes.
enum AssessmentAPI {
    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        let stores = deps.stores
        @Sendable func year(_ request: Request) -> Int { AssessmentPages.year(request, deps) }

        api.on(.get, "/api/v1/assessment/targets") { request, context in
            _ = try context.require(.assessment(.read))
            return try JSON.response(try await stores.targets.targets(year: year(request), unitCode: request.query("unit"), in: context.scope))
        }
        struct TargetBody: Decodable { let code: String?; let unit: String?; let year: Int?; let value: Double? }
        api.on(.post, "/api/v1/assessment/targets") { request, context in
            _ = try context.require(.assessment(.plan))
            let b = try await Body.json(TargetBody.self, request, context: context)
            return try JSON.response(try await stores.targets.set(b.code ?? "", unit: b.unit ?? "", year: b.year ?? Day(stores.env.now()).year, value: b.value ?? -1,
                                                                  in: context.scope, by: context.actor), status: .created)
        }
        struct AllocationBody: Decodable { let code: String?; let unit: String?; let year: Int?; let method: String?; let base: String?; let values: [String: Double]? }
        api.on(.post, "/api/v1/assessment/targets/allocate") { request, context in
            _ = try context.require(.assessment(.plan))
            let b = try await Body.json(AllocationBody.self, request, context: context)
            return try JSON.response(try await stores.targets.allocate(b.code ?? "", unit: b.unit ?? "", year: b.year ?? Day(stores.env.now()).year, method: b.method ?? "", base: b.base,
                                                                       values: b.values ?? [:], in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/assessment/agreements") { request, context in
            _ = try context.require(.assessment(.read))
            return try JSON.response(try await stores.targets.agreements(year: year(request), in: context.scope))
        }
        struct AgreementBody: Decodable { let unit: String?; let year: Int?; let terms: String?; let signatories: String?; let signedOn: String?; let scan: String?; let scanName: String? }
        api.on(.post, "/api/v1/assessment/agreements") { request, context in
            _ = try context.require(.assessment(.write))
            let b = try await Body.json(AgreementBody.self, request, context: context)
            var scan: ScanFile?
            if let text = b.scan, !text.isEmpty {
                guard let data = Data(base64Encoded: text) else { throw RenkouError.invalid([FieldError("/scan", "base64", Text("扫描件应为 base64 编码。", "The scan is sent in base64."))]) }
                guard let file = ScanFile(name: b.scanName ?? "agreement", data: data) else { throw ScanFile.wrongType("/scan") }
                scan = file
            }
            return try JSON.response(try await stores.targets.sign(unit: b.unit ?? "", year: b.year ?? Day(stores.env.now()).year, terms: b.terms ?? "", signatories: b.signatories ?? "",
                                                                   signedOn: b.signedOn, scan: scan, in: context.scope, by: context.actor), status: .created)
        }
        /// 双向考核: every counterpart's score in each role, and our answers to each.
        struct TwoWayBody: Encodable { let year: Int; let scores: [CounterpartScore]; let ours: [OurAnswers] }
        api.on(.get, "/api/v1/assessment/two-way") { request, context in
            _ = try context.require(.assessment(.read))
            let (scores, ours) = try await stores.twoWay.scores(year: year(request), in: context.scope)
            return try JSON.response(TwoWayBody(year: year(request), scores: scores, ours: ours))
        }
        api.on(.get, "/api/v1/assessment/warnings") { request, context in
            _ = try context.require(.assessment(.read))
            return try JSON.response(try await stores.warnings.list(openOnly: request.query("open") == "true", in: context.scope))
        }
        struct Evaluated: Encodable { let raised: Int }
        api.on(.post, "/api/v1/assessment/warnings/evaluate") { _, context in
            _ = try context.require(.assessment(.plan))
            return try JSON.response(Evaluated(raised: try await stores.warnings.evaluate(on: Day(stores.env.now()), in: context.scope)))
        }
        struct CloseBody: Decodable { let action: String? }
        api.on(.post, "/api/v1/assessment/warnings/{id}/close") { request, context in
            _ = try context.require(.assessment(.write))
            let b = try await Body.json(CloseBody.self, request, context: context)
            return try JSON.response(try await stores.warnings.close(try context.uuid("id", Text("预警", "warning")), action: b.action ?? "", in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/assessment/spot-checks") { request, context in
            _ = try context.require(.assessment(.read))
            return try JSON.response(try await stores.spotChecks.list(year: year(request), in: context.scope))
        }
        struct DrawBody: Decodable { let unit: String?; let year: Int?; let size: Int?; let seed: Int? }
        api.on(.post, "/api/v1/assessment/spot-checks") { request, context in
            _ = try context.require(.assessment(.plan))
            let b = try await Body.json(DrawBody.self, request, context: context)
            return try JSON.response(try await stores.spotChecks.draw(unit: b.unit ?? "", year: b.year ?? Day(stores.env.now()).year, size: b.size ?? SpotCheck.defaultSize, seed: b.seed,
                                                                      in: context.scope, by: context.actor), status: .created)
        }
        struct Sheet: Encodable { let check: SpotCheck; let households: [SheetHousehold] }
        api.on(.get, "/api/v1/assessment/spot-checks/{id}") { _, context in
            _ = try context.require(.assessment(.read))
            let id = try context.uuid("id", Text("入户抽查", "spot check"))
            return try JSON.response(Sheet(check: try await stores.spotChecks.check(id, in: context.scope), households: try await stores.spotChecks.sheet(id, in: context.scope, by: context.actor)))
        }
        api.on(.post, "/api/v1/assessment/spot-checks/{id}/visits") { request, context in
            _ = try context.require(.assessment(.write))
            let visit = try await Body.json(HouseholdVisit.self, request, context: context)
            return try JSON.response(try await stores.spotChecks.record(try context.uuid("id", Text("入户抽查", "spot check")), visit, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/assessment/scores") { request, context in
            _ = try context.require(.assessment(.read))
            if let unit = request.query("unit"), !unit.isEmpty { return try JSON.response([try await stores.scores.score(unitCode: unit, year: year(request), in: context.scope)]) }
            return try JSON.response(try await stores.scores.scores(year: year(request), in: context.scope))
        }
        struct HandBody: Decodable { let unit: String?; let year: Int?; let item: String?; let points: Double?; let evidence: String? }
        api.on(.post, "/api/v1/assessment/scores/hand") { request, context in
            _ = try context.require(.assessment(.plan))
            let b = try await Body.json(HandBody.self, request, context: context)
            return try JSON.response(try await stores.scores.scoreByHand(unit: b.unit ?? "", year: b.year ?? Day(stores.env.now()).year, item: b.item ?? "", points: b.points ?? -1,
                                                                         evidence: b.evidence ?? "", in: context.scope, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/assessment/scores/hand/{id}/review") { _, context in
            _ = try context.require(.assessment(.approve))
            try await stores.scores.review(try context.uuid("id", Text("评分", "score")), in: context.scope, by: context.actor)
            return Response(status: .noContent)
        }
        api.on(.get, "/api/v1/assessment/vetoes") { request, context in
            _ = try context.require(.assessment(.read))
            return try JSON.response(try await stores.warnings.vetoes(year: year(request), in: context.scope))
        }
        struct VetoBody: Decodable { let unit: String?; let year: Int?; let item: String?; let evidence: String? }
        api.on(.post, "/api/v1/assessment/vetoes") { request, context in
            _ = try context.require(.assessment(.approve))
            let b = try await Body.json(VetoBody.self, request, context: context)
            return try JSON.response(try await stores.warnings.veto(unit: b.unit ?? "", year: b.year ?? Day(stores.env.now()).year, item: b.item ?? "", evidence: b.evidence ?? "",
                                                                    in: context.scope, by: context.actor), status: .created)
        }
        struct WithdrawBody: Decodable { let reason: String? }
        api.on(.post, "/api/v1/assessment/vetoes/{id}/withdraw") { request, context in
            _ = try context.require(.assessment(.approve))
            let b = try await Body.json(WithdrawBody.self, request, context: context)
            try await stores.warnings.withdraw(try context.uuid("id", Text("否决记录", "veto")), reason: b.reason ?? "", in: context.scope, by: context.actor)
            return Response(status: .noContent)
        }
    }
}
