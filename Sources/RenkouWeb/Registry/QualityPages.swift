import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 数据质量: completeness and consistency per unit, live, each figure a link to the records behind it.
enum QualityPages {
    struct UnitRow { let name: String; let href: String; let records: Int; let completeness: String; let consistency: String; let belowTarget: Bool }
    struct CheckRow { let code: String; let message: String; let count: Int; let href: String; let kind: String }

    /// The seed's target for the accuracy of the registry (入户抽查 accuracy ≥ 98%, seed 002).
    static let target = 0.98

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/quality") { request, context -> Response in
            _ = try context.require(.registry(.read))
            let lang = context.lang
            let (unit, children) = try await deps.stores.quality.summary(unitCode: request.query("unit"), in: context.scope)
            func row(_ u: QualityStore.UnitQuality, link: Bool) -> UnitRow {
                UnitRow(name: u.name, href: link ? "/quality?unit=\(u.code)" : "/persons?unit=\(u.code)", records: u.records,
                        completeness: percent(u.completeness), consistency: percent(u.consistency), belowTarget: u.consistency < target || u.completeness < target)
            }
            let checks = deps.stores.quality.rules.all.map { c in
                CheckRow(code: c.code, message: c.message(lang), count: unit.failures[c.code] ?? 0, href: "/quality/records?unit=\(unit.code)&check=\(c.code)",
                         kind: c.code.hasPrefix("Q") ? Text("逻辑关系", "Consistency")(lang) : Text("主要项目", "Key field")(lang))
            }
            let model = QualityView(unit: row(unit, link: false), children: children.map { row($0, link: true) }, hasChildren: !children.isEmpty,
                                    checks: checks, target: percent(target))
            return deps.renderer.html("registry/quality", title: Text("数据质量", "Data quality"), model: model, context: context, request: request)
        }

        router.get("/quality/records") { request, context -> Response in
            _ = try context.require(.registry(.read))
            let code = request.query("check") ?? ""
            let offset = request.query("offset").flatMap(Int.init) ?? 0
            let page = try await deps.stores.quality.failing(code, unitCode: request.query("unit"), offset: offset, in: context.scope, by: context.actor)
            let check = deps.stores.quality.rules.check(code)
            let model = QualityRecordsView(
                heading: check?.message(context.lang) ?? code, unit: request.query("unit") ?? "",
                persons: page.items.map { PersonListPage.Row(name: $0.name, idNumber: $0.idNumberShown(context.lang), sex: Codes.label(Codes.sex, $0.sex)?(context.lang) ?? "",
                                                            age: $0.age(on: Day(deps.stores.env.now())).map(String.init) ?? "", unit: $0.unitName, updatedAt: $0.updatedAt, href: SitePath.person($0.id)) },
                summary: Text("共 \(page.totalShown) 人", "\(page.totalShown) people")(context.lang),
                nextHref: page.hasMore ? "/quality/records?unit=\(request.query("unit") ?? "")&check=\(code)&offset=\(offset + page.limit)" : nil)
            return deps.renderer.html("registry/quality_records", title: Text(check?.message.zh ?? code, check?.message.en ?? code), model: model, context: context, request: request)
        }
    }
}

/// `/api/v1/quality` and a person's problems.
enum QualityAPI {
    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/quality") { request, context in
            _ = try context.require(.registry(.read))
            let (unit, children) = try await deps.stores.quality.summary(unitCode: request.query("unit"), in: context.scope)
            struct Body: Encodable { let unit: QualityStore.UnitQuality; let children: [QualityStore.UnitQuality] }
            return try JSON.response(Body(unit: unit, children: children))
        }
        api.on(.get, "/api/v1/persons/{id}/problems") { _, context in
            _ = try context.require(.registry(.read))
            let id = try PersonAPI.id(context)
            _ = try await deps.stores.persons.read(id, in: context.scope, by: context.actor)
            struct Problem: Encodable { let code: String; let messages: [String: String] }
            return try JSON.response(try await deps.stores.quality.problems(of: id, in: context.scope).map { Problem(code: $0.code, messages: ["zh-Hans": $0.message.zh, "en": $0.message.en]) })
        }
    }
}

/// The data-quality page: the unit's rates, the units below, every check with its count.
struct QualityView { let unit: QualityPages.UnitRow; let children: [QualityPages.UnitRow]; let hasChildren: Bool; let checks: [QualityPages.CheckRow]; let target: String }

/// The records failing one check.
struct QualityRecordsView { let heading: String; let unit: String; let persons: [PersonListPage.Row]; let summary: String; let nextHref: String? }
