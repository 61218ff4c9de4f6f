import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/persons`: the minimal person record, scoped and audited like the pages.
enum PersonAPI {
    static func id(_ context: AppContext) throws -> UUID {
        let id = try context.uuid("id", Text("人员", "person"))
        return id
    }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/persons") { request, context in
            _ = try context.require(.registry(.read))
            return try JSON.response(try await deps.stores.persons.search(try PersonExport.query(request), in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/persons/export") { request, context in
            _ = try context.require(.registry(.export))
            let mode = try PersonExport.mode(request, context: context)
            if request.query("format") == "xlsx" {
                return try await PersonExport.xlsx(try PersonExport.query(request), mode, context: context, stores: deps.stores)
            }
            return try await PersonExport.csv(try PersonExport.query(request), mode, context: context, stores: deps.stores)
        }
        api.on(.post, "/api/v1/persons") { request, context in
            _ = try context.require(.registry(.write))
            let input = try await Body.json(PersonInput.self, request, context: context)
            let person = try await deps.stores.persons.create(input, in: context.scope, by: context.actor)
            var response = try JSON.response(person, status: .created)
            response.headers[.location] = "/api/v1/persons/\(person.id.text)"
            return response
        }
        api.on(.get, "/api/v1/id-numbers/{number}") { _, context in
            _ = try context.require(.registry(.read))
            let number = try context.parameters.require("number")
            return try JSON.response(try await deps.stores.orgs.checkIDNumber(number, today: Day(deps.stores.env.now())))
        }
        api.on(.get, "/api/v1/persons/{id}") { _, context in
            _ = try context.require(.registry(.read))
            return try JSON.response(try await deps.stores.persons.read(try id(context), in: context.scope, by: context.actor))
        }
        api.on(.patch, "/api/v1/persons/{id}") { request, context in
            _ = try context.require(.registry(.correct))
            let personID = try id(context)
            let input = try await Body.json(PersonInput.self, request, context: context)
            return try JSON.response(try await deps.stores.persons.update(personID, input, in: context.scope, by: context.actor))
        }
        api.on(.delete, "/api/v1/persons/{id}") { _, context in
            _ = try context.require(.registry(.administer))
            try await deps.stores.persons.delete(try id(context), in: context.scope, by: context.actor)
            return Response(status: .noContent)
        }
    }
}
