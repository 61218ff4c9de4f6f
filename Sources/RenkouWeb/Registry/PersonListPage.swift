import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 人员: the people of the caller's scope — one search field (the others on demand), one page of
/// people, sort links — and their export (masked; in clear only for the roles that pass lists on).
enum PersonListPage {
    struct Row { let name: String; let idNumber: String; let sex: String; let age: String; let unit: String; let updatedAt: String; let href: String }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get(RouterPath(SitePath.persons)) { request, context -> Response in
            let account = try context.require(.registry(.read))
            let lang = context.lang
            let params = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { a, _ in a })
            var query = PersonQuery()
            var error: RenkouError?
            do { query = try PersonQuery.parse { params[$0] } } catch let e as RenkouError { error = e }
            var page = Page<Person>(items: [], total: 0, limit: 50, offset: 0)
            if error == nil {
                do { page = try await deps.stores.persons.search(query, in: context.scope, by: context.actor) }
                catch let e as RenkouError where e.kind == .invalid { error = e }
            }
            func href(_ changes: [String: String?]) -> String {
                var p = params
                for (k, v) in changes { p[k] = v }
                let items = p.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                return SitePath.persons + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
            }
            func sortHref(_ sort: PersonQuery.Sort) -> String {
                href(["sort": sort.rawValue, "desc": query.sort == sort && !query.descending ? "1" : nil, "offset": nil])
            }
            let quick = FormField.attach(error?.fields ?? [], to: [
                FormField(name: "q", label: Text("姓名或身份号码", "Name or ID number")(lang), value: params["q"] ?? "",
                          hint: Text("身份号码可输完整号码、末 4–8 位或前 9–17 位", "The whole ID number, its last 4–8 characters or its first 9–17")(lang)),
            ], lang: lang)
            let more = FormField.attach(error?.fields ?? [], to: [
                FormField(name: "id", label: Text("身份号码", "ID number")(lang), value: params["id"] ?? ""),
                FormField(name: "name", label: Text("姓名包含", "Name contains")(lang), value: params["name"] ?? ""),
                FormField(name: "address", label: Text("地址包含", "Address contains")(lang), value: params["address"] ?? ""),
                FormField(name: "unit", label: Text("单位（名称或代码）", "Unit (name or code)")(lang), value: params["unit"] ?? ""),
                FormField(name: "ageMin", label: Text("年龄从", "Age from")(lang), value: params["ageMin"] ?? "", type: "number"),
                FormField(name: "ageMax", label: Text("年龄到", "Age to")(lang), value: params["ageMax"] ?? "", type: "number"),
                PersonPages.select("sex", Text("性别", "Sex"), Codes.sex, params, empty: Text("全部", "All"), lang: lang),
                PersonPages.select("category", Text("人口类别", "Category"), Codes.category, params, empty: Text("全部", "All"), lang: lang),
                PersonPages.select("status", Text("人员状态", "Status"), Codes.status, params, empty: Text("全部", "All"), lang: lang),
                FormField(name: "wra", label: Text("仅育龄妇女", "Women of reproductive age only")(lang), value: params["wra"] ?? "",
                          options: [FormField.Option(value: "", label: Text("否", "No")(lang), selected: !query.womenOfReproductiveAge),
                                    FormField.Option(value: "1", label: Text("是", "Yes")(lang), selected: query.womenOfReproductiveAge)]),
            ], lang: lang)
            let offset = page.offset, today = Day(deps.stores.env.now())
            let filters = params.filter { !["offset", "limit", "sort", "desc"].contains($0.key) && !$0.value.isEmpty }.sorted { $0.key < $1.key }
            let exportQuery = href(["offset": nil, "limit": nil]).dropFirst(SitePath.persons.count)
            let model = PersonsView(
                canCreate: account.role.can(.registry(.write)), quick: quick, fields: more,
                moreOpen: more.contains { !$0.value.isEmpty || $0.error != nil }, message: error?.message(lang),
                persons: page.items.map { Row(name: $0.name, idNumber: $0.idNumberShown(lang), sex: Codes.label(Codes.sex, $0.sex)?(lang) ?? "",
                                              age: $0.age(on: today).map(String.init) ?? "", unit: $0.unitName, updatedAt: $0.updatedAt, href: SitePath.person($0.id)) },
                summary: Text("共 \(page.totalShown) 人", "\(page.totalShown) people")(lang),
                pageInfo: (page.hasMore || page.offset > 0) && !page.items.isEmpty ? Text("第 \(offset + 1)–\(offset + page.items.count) 人", "\(offset + 1)–\(offset + page.items.count)")(lang) : nil,
                sortName: sortHref(.name), sortBirth: sortHref(.birthDate), sortID: sortHref(.idNumber), sortUpdated: sortHref(.updated),
                exportNote: Text("将导出 \(page.totalShown) 行；姓名、身份号码、电话已脱敏。", "\(page.totalShown) rows; names, ID numbers and phones masked.")(lang),
                exportCSVHref: SitePath.persons + "/export.csv" + exportQuery,
                exportXLSXHref: SitePath.persons + "/export.xlsx" + exportQuery,
                fullExport: account.role.can(.registry(.exportUnmasked)) && error == nil
                    ? PersonsView.FullExport(params: filters.map { PersonsView.Param(name: $0.key, value: $0.value) },
                                             note: Text("含完整姓名和身份号码的 \(page.totalShown) 行，仅用于报送；请写明用途，用途记入审计日志。",
                                                        "\(page.totalShown) rows with names and ID numbers in clear, for passing on only; state the purpose, which the audit log keeps.")(lang))
                    : nil,
                prevHref: offset > 0 ? href(["offset": String(max(0, offset - page.limit))]) : nil,
                nextHref: page.hasMore ? href(["offset": String(offset + page.limit)]) : nil)
            return deps.renderer.html("registry/persons", title: Text("人员", "People"), model: model, context: context, request: request,
                                      status: error == nil ? .ok : .unprocessableContent)
        }

        router.get("/persons/export.csv") { request, context -> Response in
            _ = try context.require(.registry(.export))
            return try await PersonExport.csv(try PersonExport.query(request), try PersonExport.mode(request, context: context), context: context, stores: deps.stores)
        }

        router.get("/persons/export.xlsx") { request, context -> Response in
            _ = try context.require(.registry(.export))
            return try await PersonExport.xlsx(try PersonExport.query(request), try PersonExport.mode(request, context: context), context: context, stores: deps.stores)
        }

    }
}

/// The people list: one search field (the others on demand), one page of people, sort links, and the
/// export (masked; in clear only for the roles that pass lists on, with a reason).
struct PersonsView {
    struct Param { let name: String; let value: String }
    struct FullExport { let params: [Param]; let note: String }
    let canCreate: Bool
    let quick: [FormField]
    let fields: [FormField]
    let moreOpen: Bool
    let message: String?
    let persons: [PersonListPage.Row]
    let summary: String
    let pageInfo: String?
    let sortName: String, sortBirth: String, sortID: String, sortUpdated: String
    let exportNote: String
    let exportCSVHref: String, exportXLSXHref: String
    let fullExport: FullExport?
    let prevHref: String?, nextHref: String?
}

