import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 部门数据比对: upload a police, hospital or civil-affairs file, see the reconciliation, and accept
/// or reject the proposed changes one by one.
enum DepartmentFilePages {
    static func page(result: ReconciliationResult? = nil, form: [String: String] = [:], error: RenkouError? = nil, deps: AppDeps, account: Account,
                     request: Request, context: AppContext) async throws -> Response {
        let lang = context.lang
        let units = try await deps.stores.orgs.list(levels: [.community, .grid], in: context.scope)
        let kinds = DepartmentFileKind.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
        let selected = form["unit"] ?? ""
        let proposals = try await deps.stores.departmentFiles.proposals(in: context.scope, by: context.actor)
        var model = DepartmentFilesView(
            canEdit: account.role.can(.migrants(.write)),
            fields: FormField.attach(error?.fields ?? [], to: [
                PersonPages.select("kind", Text("文件类型", "Kind of file"), kinds, form, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "unit", label: Text("比对单位", "Unit")(lang), value: selected, required: true,
                          options: [FormField.Option(value: "", label: Text("请选择", "Choose")(lang), selected: selected.isEmpty)]
                            + units.map { FormField.Option(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected) }),
                FormField(name: "file", label: Text("文件（CSV/XLSX）", "File (CSV/XLSX)")(lang), type: "file", required: true),
            ], lang: lang),
            layouts: DepartmentFileKind.allCases.map { .init(name: $0.label(lang), columns: $0.columns.map { $0.headers[0] + ($0.required ? "" : "?") }.joined(separator: ", ")) },
            message: error?.message(lang),
            proposals: proposals.map { p in
                .init(kind: p.kind.label(lang), summary: p.summary, person: p.personName, personHref: SitePath.person(p.personID), source: p.source.label(lang),
                      accept: "/proposals/\(p.id.text)/accept", reject: "/proposals/\(p.id.text)/reject")
            },
            hasProposals: !proposals.isEmpty)
        if let r = result {
            model.result = .init(kind: r.kind.label(lang), read: r.read, matched: r.matched, proposed: r.proposed, tasks: r.tasks, rejected: r.rejected,
                                 problems: r.problems.prefix(200).map { .init(row: $0.row, column: $0.column, value: $0.value, reason: $0.reason(lang)) },
                                 hasProblems: !r.problems.isEmpty)
        }
        return deps.renderer.html("migrants/department_files", title: Text("部门数据比对", "Departmental files"), model: model, context: context, request: request,
                                  status: error.map { $0.kind.status } ?? .ok)
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/migrants/files") { request, context -> Response in
            let account = try context.require(.migrants(.read))
            return try await page(deps: deps, account: account, request: request, context: context)
        }
        router.post("/migrants/files") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let form = try await Upload.form(request)
            defer { if let f = form.file { try? FileManager.default.removeItem(at: f) } }
            do {
                var errors = FieldErrors()
                let kind = form["kind"].flatMap(DepartmentFileKind.init(rawValue:))
                if kind == nil { errors.add("/kind", "required", "请选择文件类型。", "Choose the kind of file.") }
                errors.required("/unit", form["unit"])
                if form.file == nil { errors.add("/file", "required", "请选择文件。", "Choose a file.") }
                try errors.throwIfAny()
                let r = try await deps.stores.departmentFiles.reconcile(file: form.file!, kind: kind!, unitCode: form["unit"]!, in: context.scope, by: context.actor)
                return try await page(result: r, form: form.fields, deps: deps, account: account, request: request, context: context)
            } catch let error as RenkouError where error.kind == .invalid {
                return try await page(form: form.fields, error: error, deps: deps, account: account, request: request, context: context)
            }
        }
        router.post("/proposals/{id}/{decision}") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("变更建议", "proposal"))
            let form = try await Form.read(request, context: context)
            do {
                switch try context.parameters.require("decision") {
                case "accept": try await deps.stores.departmentFiles.accept(id, in: context.scope, by: context.actor)
                case "reject": try await deps.stores.departmentFiles.reject(id, note: form["note"], in: context.scope, by: context.actor)
                default: throw RenkouError.routeNotFound
                }
                return Redirect.to("/migrants/files", notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await page(error: error, deps: deps, account: account, request: request, context: context)
            }
        }
    }
}

/// `/api/v1/department-files` and `/api/v1/proposals`.
enum DepartmentFileAPI {
    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.post, "/api/v1/department-files") { request, context in
            _ = try context.require(.migrants(.write))
            guard let kind = request.query("kind").flatMap(DepartmentFileKind.init(rawValue:)) else {
                throw RenkouError.invalid([FieldError("/kind", "code-unknown", Text("kind 应为 police、hospital 或 civil-affairs。", "kind must be police, hospital or civil-affairs."))])
            }
            let file = Upload.directory.appendingPathComponent("\(UUID().uuidString)-dept")
            defer { try? FileManager.default.removeItem(at: file) }
            try await Upload.save(request, to: file)
            return try JSON.response(try await deps.stores.departmentFiles.reconcile(file: file, kind: kind, unitCode: request.query("unit") ?? "", in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/proposals") { request, context in
            _ = try context.require(.migrants(.read))
            return try JSON.response(try await deps.stores.departmentFiles.proposals(openOnly: request.query("all") != "true", in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/proposals/{id}/accept") { _, context in
            _ = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("变更建议", "proposal"))
            try await deps.stores.departmentFiles.accept(id, in: context.scope, by: context.actor)
            return try JSON.response(["state": "accepted"])
        }
        api.on(.post, "/api/v1/proposals/{id}/reject") { request, context in
            _ = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("变更建议", "proposal"))
            struct NoteBody: Decodable { let note: String? }
            let b = try await Body.json(NoteBody.self, request, context: context)
            try await deps.stores.departmentFiles.reject(id, note: b.note, in: context.scope, by: context.actor)
            return try JSON.response(["state": "rejected"])
        }
    }
}

/// 部门数据比对: the upload form, the layouts, the last file's outcome and the proposals waiting for a worker.
struct DepartmentFilesView {
    struct Layout { let name: String; let columns: String }
    struct Proposal { let kind: String, summary: String, person: String, personHref: String, source: String, accept: String, reject: String }
    struct Problem { let row: Int; let column: String; let value: String; let reason: String }
    struct Result { let kind: String; let read: Int, matched: Int, proposed: Int, tasks: Int, rejected: Int; let problems: [Problem]; let hasProblems: Bool }
    let canEdit: Bool
    let fields: [FormField]
    let layouts: [Layout]
    let message: String?
    let proposals: [Proposal]
    let hasProposals: Bool
    var result: Result? = nil
}
