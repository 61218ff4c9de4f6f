import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 调查: the surveys of the area, a new survey's questions typed a line each, the sample drawn from
/// the registry, answers entered by the worker, and the results per community.
enum SurveyPages {
    static let strings: [String: Text] = [
        "survey_intro": Text("知识知晓调查、满意度测评和双评：从登记库按随机种子抽取对象（同一种子抽到同样的人），录入答卷（可匿名），按社区统计结果。",
                             "Knowledge surveys, satisfaction surveys and residents' evaluations: respondents drawn from the registry from a seed (the same seed draws the same people), answers entered (anonymous ones too), results per community."),
        "survey_title": Text("标题", "Title"),
        "survey_kind": Text("类别", "Kind"),
        "survey_opened": Text("开始日期", "Opened"),
        "survey_responses": Text("答卷数", "Answers"),
        "survey_new": Text("新建调查", "New survey"),
        "survey_questions": Text("题目（每行一题：题目 | 选项 | 选项* | …；知识题用 * 标出正确答案，满意度题用 * 标出算作满意的选项，不标则前两项）",
                                 "Questions (a line each: question | option | option* | …; mark the right answer of a knowledge question with *, or the options that count as satisfied; none marked: the first two)"),
        "survey_results": Text("结果", "Results"),
        "survey_rate": Text("知晓率/满意率", "Rate"),
        "survey_respondents": Text("答卷人数", "Respondents"),
        "survey_answers_n": Text("答题数", "Answers"),
        "survey_positive": Text("答对/满意", "Right or satisfied"),
        "survey_sample": Text("抽样", "Sample"),
        "survey_sample_size": Text("抽样人数", "Sample size"),
        "survey_seed": Text("随机种子（留空则新取）", "Seed (empty: a new one)"),
        "survey_draw": Text("抽取", "Draw"),
        "survey_answered": Text("已答", "Answered"),
        "survey_enter": Text("录入答卷", "Enter an answer"),
        "survey_person": Text("答卷人身份证号（匿名则留空）", "Respondent's ID number (empty: anonymous)"),
        "survey_anonymous_unit": Text("匿名答卷收集社区", "Community of an anonymous answer"),
        "survey_save_answer": Text("保存答卷", "Save the answer"),
        "survey_seed_used": Text("本次抽样种子", "Seed of the sample"),
    ]

    /// Questions typed a line each: `question | option | option* | …`.
    static func questions(_ text: String?, kind: String?) -> [SurveyQuestion] {
        textLines(text).map { line in
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            var options: [String] = [], marked: [Int] = []
            for (i, o) in parts.dropFirst().enumerated() {
                let isMarked = o.hasSuffix("*") || o.hasSuffix("＊")
                if isMarked { marked.append(i) }
                options.append(isMarked ? String(o.dropLast()).trimmingCharacters(in: .whitespaces) : o)
            }
            return kind == SurveyKind.knowledge.rawValue ? SurveyQuestion(text: parts[0], options: options, correct: marked.first)
                : SurveyQuestion(text: parts[0], options: options, satisfied: marked.isEmpty ? nil : marked)
        }
    }

    static func percent(_ r: Double?) -> String { r.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func list(_ error: RenkouError?, values: [String: String], request: Request, context: AppContext) async throws -> Response {
            _ = try context.require(.outreach(.read))
            let lang = context.lang
            let surveys = try await deps.stores.surveys.list(in: context.scope)
            let units = try await deps.stores.orgs.list(levels: [.district, .street, .community], in: context.scope)
            var fields = [PersonPages.select("kind", Text("类别", "Kind"), SurveyKind.entries, values, empty: Text("请选择", "Choose"), lang: lang),
                          FormField(name: "unit", label: Text("单位", "Unit")(lang), value: values["unit"] ?? "",
                                    options: FormField.unitOptions(units, selected: values["unit"], empty: Text("请选择", "Choose"), lang: lang)),
                          FormField(name: "title", label: strings["survey_title"]!(lang), value: values["title"] ?? "", required: true),
                          FormField(name: "day", label: strings["survey_opened"]!(lang), value: values["day"] ?? "", type: "date")]
            if let error { fields = FormField.attach(error.fields, to: fields, lang: lang) }
            struct SurveyLine { let title: String; let kind: String; let unit: String; let opened: String; let responses: Int; let href: String }
            struct View { let surveys: [SurveyLine]; let hasSurveys: Bool; let canOpen: Bool; let fields: [FormField]; let questions: String; let questionsError: String?; let message: String? }
            let view = View(surveys: surveys.map { SurveyLine(title: $0.title, kind: $0.kind.label(lang), unit: $0.unitName, opened: $0.openedOn, responses: $0.responses,
                                                     href: "/outreach/surveys/\($0.id.text)") },
                            hasSurveys: !surveys.isEmpty, canOpen: context.account?.role.can(.outreach(.administer)) ?? false, fields: fields, questions: values["questions"] ?? "",
                            questionsError: error?.fields.first { $0.field.hasPrefix("questions") }.map { e in "\(e.field): \(e.message(lang))" }, message: error?.message(lang))
            return deps.renderer.html("outreach/surveys", title: Text("调查", "Surveys"), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/outreach/surveys") { request, context -> Response in try await list(nil, values: [:], request: request, context: context) }
        router.post("/outreach/surveys") { request, context -> Response in
            _ = try context.require(.outreach(.administer))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                let s = try await deps.stores.surveys.open(SurveyInput(kind: f["kind"], unit: f["unit"], title: f["title"], day: f["day"], questions: questions(f["questions"], kind: f["kind"])),
                                                           in: context.scope, by: context.actor)
                return Redirect.to("/outreach/surveys/\(s.id.text)", notice: Text("已新建。", "Opened."))
            } catch let error as RenkouError where error.kind == .invalid { return try await list(error, values: f.values, request: request, context: context) }
        }

        @Sendable func page(_ id: UUID, error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.outreach(.read))
            let lang = context.lang
            let survey = try await deps.stores.surveys.survey(id, in: context.scope)
            let results = try await deps.stores.surveys.results(id, in: context.scope)
            let canWrite = account.role.can(.outreach(.write))
            let sample = canWrite ? try await deps.stores.surveys.sampleList(id, in: context.scope, by: context.actor) : []
            let units = canWrite ? try await deps.stores.orgs.list(levels: [.community], in: context.scope) : []
            struct QuestionLine { let n: Int; let text: String; let options: [FormField.Option]; let rate: String; let name: String }
            struct ResultLine { let unit: String; let respondents: Int; let answers: Int; let positive: Int; let rate: String }
            struct SampleLine { let name: String; let idNumber: String; let answered: Bool; let personID: String }
            struct View { let id: String; let title: String; let kind: String; let unit: String; let opened: String; let questions: [QuestionLine]; let overall: ResultLine; let units: [ResultLine]; let hasUnits: Bool
                let canWrite: Bool; let canSample: Bool; let sample: [SampleLine]; let hasSample: Bool; let seed: String?; let communities: [FormField.Option]; let message: String? }
            // a survey of the unit above is answered here, but its sample is drawn by its own unit
            let canSample = canWrite ? ((try? await deps.stores.surveys.survey(id, in: context.scope, above: false)) != nil) : false
            let r = { (x: SurveyResult) in ResultLine(unit: x.unitName, respondents: x.respondents, answers: x.answers, positive: x.positive, rate: percent(x.rate)) }
            let view = View(id: id.text, title: survey.title, kind: survey.kind.label(lang), unit: survey.unitName, opened: survey.openedOn,
                            questions: survey.questions.enumerated().map { i, q in
                                QuestionLine(n: i + 1, text: q.text, options: [FormField.Option(value: "", label: "—", selected: true)] + q.options.enumerated().map { FormField.Option(value: String($0.offset), label: $0.element, selected: false) },
                                  rate: percent(results.overall.perQuestionAnswers[i] == 0 ? nil : Double(results.overall.perQuestion[i]) / Double(results.overall.perQuestionAnswers[i])), name: "a\(i)")
                            },
                            overall: r(results.overall), units: results.units.map(r), hasUnits: !results.units.isEmpty, canWrite: canWrite, canSample: canSample,
                            sample: sample.map { SampleLine(name: $0.person.name, idNumber: $0.person.idNumber, answered: $0.answered, personID: $0.person.personID.text) }, hasSample: !sample.isEmpty,
                            seed: survey.seed.map(String.init), communities: FormField.unitOptions(units, selected: nil, empty: Text("请选择", "Choose"), lang: lang),
                            message: error.map { e in ([e.message(lang)] + e.fields.map { "\($0.field): \($0.message(lang))" }).joined(separator: " ") })
            return deps.renderer.html("outreach/survey", title: Text(survey.title, survey.title), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/outreach/surveys/{id}") { request, context -> Response in try await page(try context.uuid("id", Text("调查", "survey")), error: nil, request: request, context: context) }
        router.post("/outreach/surveys/{id}/sample") { request, context -> Response in
            _ = try context.require(.outreach(.write))
            let id = try context.uuid("id", Text("调查", "survey"))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.surveys.sample(id, size: f["size"].flatMap { Int($0) } ?? 0, seed: f["seed"].flatMap { Int($0) }, in: context.scope, by: context.actor)
                return Redirect.to("/outreach/surveys/\(id.text)", notice: Text("已抽样。", "Drawn."))
            } catch let error as RenkouError where error.kind == .invalid { return try await page(id, error: error, request: request, context: context) }
        }
        router.post("/outreach/surveys/{id}/responses") { request, context -> Response in
            _ = try context.require(.outreach(.write))
            let id = try context.uuid("id", Text("调查", "survey"))
            let f = try await RenkouWeb.Form.read(request, context: context)
            let count = try await deps.stores.surveys.survey(id, in: context.scope).questions.count
            do {
                try await deps.stores.surveys.respond(id, person: f["person"], unit: f["unit"], answers: (0..<count).map { f["a\($0)"].flatMap { Int($0) } }, in: context.scope, by: context.actor)
                return Redirect.to("/outreach/surveys/\(id.text)", notice: Text("已保存答卷。", "Answer saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict { return try await page(id, error: error, request: request, context: context) }
        }
    }
}
