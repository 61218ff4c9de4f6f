import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 疑似重复: pairs of records that look like one person, side by side, and the merge.
enum DuplicatePages {
    struct FieldRow { let label: String; let left: String; let right: String; let differs: Bool }
    struct Pair { let reason: String; let leftHref: String; let rightHref: String; let leftID: String; let rightID: String; let fields: [FieldRow] }

    static func pair(_ c: DuplicateCandidate, lang: Lang) -> Pair {
        func label(_ table: [Codes.Entry], _ code: String?) -> String { Codes.label(table, code)?(lang) ?? code ?? "" }
        let rows: [(Text, (Person) -> String)] = [
            (Text("姓名", "Name"), \.name), (Text("身份号码", "ID number"), { $0.idNumberShown(lang) }),
            (Text("性别", "Sex"), { label(Codes.sex, $0.sex) }), (Text("出生日期", "Birth date"), { $0.birthDate ?? "" }),
            (Text("民族", "Ethnic group"), { label(Codes.ethnicGroup, $0.ethnicGroup) }), (Text("婚姻状况", "Marital status"), { label(Codes.maritalStatus, $0.maritalStatus) }),
            (Text("现居住地址", "Address"), { $0.address ?? "" }), (Text("联系电话", "Phone"), { $0.phone ?? "" }),
            (Text("单位", "Unit"), \.unitName), (Text("人员状态", "Status"), { label(Codes.status, $0.status) }), (Text("更新时间", "Updated"), \.updatedAt),
        ]
        let fields = rows.map { t, f in FieldRow(label: t(lang), left: f(c.left), right: f(c.right), differs: f(c.left) != f(c.right)) }
        let reason = c.reason == "name-birth" ? Text("姓名和出生日期相同", "Same name and birth date") : Text("姓名和母亲相同", "Same name and mother")
        return Pair(reason: reason(lang), leftHref: SitePath.person(c.left.id), rightHref: SitePath.person(c.right.id),
                    leftID: c.left.id.text, rightID: c.right.id.text, fields: fields)
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/persons/duplicates") { request, context -> Response in
            let account = try context.require(.registry(.write))
            let candidates = try await deps.stores.persons.duplicateCandidates(unitCode: request.query("unit"), in: context.scope, by: context.actor)
            let model = DuplicatesView(pairs: candidates.map { pair($0, lang: context.lang) }, hasPairs: !candidates.isEmpty,
                                       canMerge: account.role.can(.registry(.administer)), summary: Text("共 \(candidates.count) 对", "\(candidates.count) pairs")(context.lang))
            return deps.renderer.html("registry/duplicates", title: Text("疑似重复", "Possible duplicates"), model: model, context: context, request: request)
        }

        router.post("/persons/merge") { request, context -> Response in
            _ = try context.require(.registry(.administer))
            let form = try await Form.read(request, context: context)
            guard let keep = form["keep"].flatMap(UUID.init(uuidString:)), let drop = form["drop"].flatMap(UUID.init(uuidString:)) else {
                throw RenkouError.notFound(Text("人员", "person"))
            }
            let person = try await deps.stores.persons.merge(keep: keep, drop: drop, in: context.scope, by: context.actor)
            return Redirect.to(SitePath.person(person.id), notice: Text("已合并两条记录。", "The two records are merged."))
        }
    }
}

/// `GET /api/v1/persons/duplicates` and `POST /api/v1/persons/merge`.
enum DuplicateAPI {
    struct MergeInput: Decodable { let keep: String?; let drop: String? }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/persons/duplicates") { request, context in
            _ = try context.require(.registry(.write))
            return try JSON.response(try await deps.stores.persons.duplicateCandidates(unitCode: request.query("unit"), in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/persons/merge") { request, context in
            _ = try context.require(.registry(.administer))
            let input = try await Body.json(MergeInput.self, request, context: context)
            var errors = FieldErrors()
            let keep = input.keep.flatMap(UUID.init(uuidString:)), drop = input.drop.flatMap(UUID.init(uuidString:))
            if keep == nil { errors.add("/keep", "required", "请给出保留的记录 id。", "Give the id of the record to keep.") }
            if drop == nil { errors.add("/drop", "required", "请给出被合并的记录 id。", "Give the id of the record to merge.") }
            try errors.throwIfAny()
            return try JSON.response(try await deps.stores.persons.merge(keep: keep!, drop: drop!, in: context.scope, by: context.actor))
        }
    }
}

/// Possible duplicates side by side, with the merge buttons for those who may correct.
struct DuplicatesView { let pairs: [DuplicatePages.Pair]; let hasPairs: Bool; let canMerge: Bool; let summary: String }
