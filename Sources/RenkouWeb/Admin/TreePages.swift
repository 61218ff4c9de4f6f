import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The administrative tree: each unit with its children and head counts; admins add, rename and move.
enum TreePages {
    struct Row { let code: String; let name: String; let level: String; let childCount: Int; let personCount: Int; let status: String; let href: String }
    struct UnitInfo { let code: String; let level: String; let status: String; let validFrom: String?; let validTo: String?; let replacedBy: String?; let personCount: Int; let personsHref: String }
    struct Crumb { let href: String; let name: String }

    static func statusLabel(_ status: String) -> Text {
        switch status {
        case "active": Text("在用", "In use")
        case "changed": Text("变更", "Changed")
        case "abandoned": Text("弃用", "Abandoned")
        default: Text(status, status)
        }
    }

    static func rows(_ summaries: [OrgUnitSummary], lang: Lang) -> [Row] {
        summaries.map { s in
            Row(code: s.unit.code, name: s.unit.name, level: s.unit.level.label(lang), childCount: s.childCount, personCount: s.personCount,
                status: statusLabel(s.unit.status)(lang), href: SitePath.unit(s.unit.code))
        }
    }

    /// The model of one unit's page.
    static func unitModel(_ code: String, showAll: Bool, account: Account, stores: Stores, lang: Lang,
                          errors: [FieldError] = [], form: [String: String] = [:]) async throws -> UnitsView {
        guard let unit = try await stores.orgs.unit(code: code, in: account.scope) else { throw RenkouError.notFound(Text("单位", "unit")) }
        // Abandoned and changed codes stay in the tree for old ID numbers; they are hidden unless asked for.
        let children = try await stores.orgs.children(of: unit.id, in: account.scope, activeOnly: !showAll)
        let allCount = showAll ? children.count : try await stores.orgs.children(of: unit.id, in: account.scope).count
        let ancestors = try await stores.orgs.ancestors(of: unit, in: account.scope).filter { $0.id != unit.id }
        let history = try await stores.orgs.history(of: unit.id)
        let persons = try await stores.persons.count(in: Scope(path: unit.path))
        let childLevel = OrgLevel.allCases.first { $0.allowedParents.contains(unit.level) }
        var model = UnitsView(
            heading: unit.name, current: unit.name,
            crumbs: ancestors.map { Crumb(href: SitePath.unit($0.code), name: $0.name) },
            unit: UnitInfo(code: unit.code, level: unit.level.label(lang), status: statusLabel(unit.status)(lang), validFrom: unit.validFrom,
                           validTo: unit.validTo, replacedBy: unit.replacedBy, personCount: persons, personsHref: SitePath.persons + "?unit=" + unit.code),
            childrenHeading: Text("下级单位", "Units below")(lang),
            children: rows(children, lang: lang), hasChildren: !children.isEmpty,
            history: history, hasHistory: !history.isEmpty,
            canEdit: account.role.can(.admin(.administer)),
            renameAction: "/units/\(unit.code)/rename", moveAction: "/units/\(unit.code)/move",
            renameForm: FormField.attach(errors, to: [FormField(name: "name", label: Text("新名称", "New name")(lang), value: form["name"] ?? unit.name, required: true)], lang: lang),
            moveForm: FormField.attach(errors, to: [FormField(name: "parent", label: Text("新上级单位代码", "New parent's code")(lang), value: form["parent"] ?? "", required: true)], lang: lang))
        if allCount > children.count {
            model.showAllHref = SitePath.unit(unit.code) + "?all=1"
            model.showAllLabel = Text("显示已变更或弃用的代码（\(allCount - children.count)）", "Show changed or abandoned codes (\(allCount - children.count))")(lang)
        }
        if let childLevel, account.role.can(.admin(.administer)) {
            model.addAction = "/units/\(unit.code)/children"
            let levelOptions = OrgLevel.allCases.filter { $0.allowedParents.contains(unit.level) }.map {
                FormField.Option(value: $0.rawValue, label: $0.label(lang), selected: (form["level"] ?? childLevel.rawValue) == $0.rawValue)
            }
            model.addForm = FormField.attach(errors, to: [
                FormField(name: "code", label: Text("代码", "Code")(lang), value: form["code"] ?? "", required: true, hint: codeHint(childLevel, parent: unit.code)(lang)),
                FormField(name: "childName", label: Text("名称", "Name")(lang), value: form["childName"] ?? "", required: true),
                FormField(name: "level", label: Text("级别", "Level")(lang), value: childLevel.rawValue, options: levelOptions),
            ], lang: lang)
        }
        return model
    }

    static func codeHint(_ level: OrgLevel, parent: String) -> Text {
        switch level {
        case .street: Text("9 位：\(parent) + 3 位数字", "9 digits: \(parent) and 3 more")
        case .community: Text("12 位：\(parent) + 3 位数字", "12 digits: \(parent) and 3 more")
        case .grid: Text("字母、数字、- 或 _，例如 \(parent)-01", "letters, digits, - or _, such as \(parent)-01")
        default: Text("6 位 GB/T 2260 代码", "6-digit GB/T 2260 code")
        }
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get(RouterPath(SitePath.units)) { request, context -> Response in
            _ = try context.requireAccount()
            let tops = try await deps.stores.orgs.tops(in: context.scope)
            if tops.count == 1 { return Redirect.to(SitePath.unit(tops[0].unit.code)) }
            let model = UnitsView(heading: Text("组织机构", "Units")(context.lang), current: Text("组织机构", "Units")(context.lang),
                                  childrenHeading: "", children: rows(tops, lang: context.lang), hasChildren: !tops.isEmpty)
            return deps.renderer.html("admin/units", title: Text("组织机构", "Units"), model: model, context: context, request: request)
        }

        router.get("/units/{code}") { request, context -> Response in
            let account = try context.requireAccount()
            let code = try context.parameters.require("code")
            let model = try await unitModel(code, showAll: request.query("all") != nil, account: account, stores: deps.stores, lang: context.lang)
            return deps.renderer.html("admin/units", title: Text(model.heading, model.heading), model: model, context: context, request: request)
        }

        // Admin forms: on a bad value, the same page comes back with the error next to the field.
        func formRoute(_ suffix: String, _ act: @escaping @Sendable (OrgUnit, Form, Account, AppContext) async throws -> String) {
            router.post("/units/{code}/\(suffix)") { request, context -> Response in
                let account = try context.require(.admin(.administer))
                let code = try context.parameters.require("code")
                let form = try await Form.read(request, context: context)
                guard let unit = try await deps.stores.orgs.unit(code: code, in: context.scope) else { throw RenkouError.notFound(Text("单位", "unit")) }
                do {
                    return Redirect.to(try await act(unit, form, account, context), notice: Text("已保存。", "Saved."))
                } catch let error as RenkouError where error.kind == .invalid {
                    let fields = error.fields.map { f in f.field == "name" && suffix == "children" ? FieldError("/childName", f.code, f.message) : f }
                    let model = try await unitModel(code, showAll: false, account: account, stores: deps.stores, lang: context.lang, errors: fields, form: form.values)
                    return deps.renderer.html("admin/units", title: Text(unit.name, unit.name), model: model, context: context, request: request, status: .unprocessableContent)
                }
            }
        }
        formRoute("children") { unit, form, account, context in
            let level = OrgLevel(rawValue: form["level"] ?? "") ?? .grid
            let child = try await deps.stores.orgs.add(code: form["code"] ?? "", name: form["childName"] ?? "", level: level,
                                                       parentCode: unit.code, in: context.scope, by: context.actor)
            return SitePath.unit(child.code)
        }
        formRoute("rename") { unit, form, account, context in
            try await deps.stores.orgs.rename(unit.id, to: form["name"] ?? "", in: context.scope, by: context.actor)
            return SitePath.unit(unit.code)
        }
        formRoute("move") { unit, form, account, context in
            var errors = FieldErrors(); errors.required("/parent", form["parent"]); try errors.throwIfAny()
            try await deps.stores.orgs.move(unit.id, toParent: form["parent"]!, in: context.scope, by: context.actor)
            return SitePath.unit(unit.code)
        }
    }
}

/// A unit's page (or the list of top units): facts, the units below, the code history, and the admin forms.
struct UnitsView {
    let heading: String
    let current: String
    var crumbs: [TreePages.Crumb] = []
    var unit: TreePages.UnitInfo? = nil
    let childrenHeading: String
    let children: [TreePages.Row]
    let hasChildren: Bool
    var history: [OrgUnitChange] = []
    var hasHistory = false
    var canEdit = false
    var renameAction: String? = nil
    var moveAction: String? = nil
    var renameForm: [FormField] = []
    var moveForm: [FormField] = []
    var showAllHref: String? = nil
    var showAllLabel: String? = nil
    var addAction: String? = nil
    var addForm: [FormField] = []
}
