import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/births`: registrations at the counter or by proxy, the office's list and one
/// registration, a decision; `/api/v1/public/births/status` for the couple (masked, rate-limited).
enum BirthAPI {
    struct DecisionBody: Decodable { let decision: String?; let note: String? }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.post, "/api/v1/births") { request, context in
            let account = try context.require(.births(.write))
            let input = try await Body.json(BirthRegistrationInput.self, request, context: context)
            return try JSON.response(try await deps.stores.births.submit(input, channel: account.role == .grid ? .proxy : .counter, in: context.scope, by: context.actor),
                                     status: .created)
        }
        api.on(.get, "/api/v1/births") { request, context in
            _ = try context.require(.births(.read))
            var state: RegistrationState?
            if let s = request.query("state"), !s.isEmpty {
                guard let v = RegistrationState(rawValue: s) else {
                    throw RenkouError.invalid([FieldError("/state", "code-unknown", Text("状态应为 submitted、accepted、needs-information、registered 或 refused。",
                                                                                      "The state is submitted, accepted, needs-information, registered or refused."))])
                }
                state = v
            }
            return try JSON.response(try await deps.stores.births.list(unitCode: request.query("unit"), state: state, limit: request.query("limit").flatMap(Int.init) ?? 100,
                                                                       offset: request.query("offset").flatMap(Int.init) ?? 0, in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/births/{id}") { _, context in
            _ = try context.require(.births(.read))
            return try JSON.response(try await deps.stores.births.registration(try context.uuid("id", Text("生育登记", "birth registration")), in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/births/{id}/decision") { request, context in
            _ = try context.require(.births(.write))
            let body = try await Body.json(DecisionBody.self, request, context: context)
            guard let d = body.decision.flatMap(BirthRegistrationStore.Decision.init(rawValue:)) else {
                throw RenkouError.invalid([FieldError("/decision", "code-unknown", Text("办理结果应为 accept、needs-information、register 或 refuse。", "The decision is accept, needs-information, register or refuse."))])
            }
            return try JSON.response(try await deps.stores.births.decide(try context.uuid("id", Text("生育登记", "birth registration")), d, note: body.note, in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/public/births/status") { request, context in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            guard let v = try await deps.stores.births.publicStatus(number: request.query("number") ?? "", idLast4: request.query("id4") ?? "") else {
                throw RenkouError.notFound(Text("生育登记", "birth registration"))
            }
            return try JSON.response(v)
        }
    }
}
