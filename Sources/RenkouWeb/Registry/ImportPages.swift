import Foundation
import Hummingbird
import NIOCore
import RenkouCore
import RenkouFiles
import RenkouStore

/// Imports in progress and finished, for the page that shows a progress bar and then the result.
/// A job belongs to the account that started it; its upload and report live in the upload directory
/// and are removed a day later.
final class ImportJobs: @unchecked Sendable {
    struct Job: Sendable {
        let id: String
        let owner: UUID
        let file: URL
        let report: URL
        let fileName: String
        let unit: String
        let mode: ImportMode
        let started: Date
        var fraction = 0.0
        var result: PersonImportResult?
        var error: RenkouError?
        var finished: Bool { result != nil || error != nil }
    }

    private let lock = NSLock()
    private var jobs: [String: Job] = [:]

    func get(_ id: String, owner: UUID) -> Job? {
        lock.lock(); defer { lock.unlock() }
        return jobs[id].flatMap { $0.owner == owner ? $0 : nil }
    }

    func update(_ id: String, _ change: (inout Job) -> Void) {
        lock.lock(); defer { lock.unlock() }
        if var job = jobs[id] { change(&job); jobs[id] = job }
    }

    /// Starts an import in the background and returns its id at once.
    func start(file: URL, fileName: String, unit: String, mode: ImportMode, account: Account, actor: Actor, stores: Stores) -> String {
        let id = UUID().uuidString.lowercased()
        let report = Upload.directory.appendingPathComponent("\(id)-report.csv")
        let job = Job(id: id, owner: account.id, file: file, report: report, fileName: fileName, unit: unit, mode: mode, started: Date())
        lock.lock()
        let stale = jobs.values.filter { $0.finished && $0.started < Date().addingTimeInterval(-86_400) }
        for old in stale { jobs[old.id] = nil; try? FileManager.default.removeItem(at: old.report); try? FileManager.default.removeItem(at: old.file) }
        jobs[id] = job
        lock.unlock()
        Task {
            do {
                let reportFile = try ImportReportFile(url: report)
                // Closed whatever happens: a file refused as a whole leaves its reasons in the report.
                defer { reportFile.close() }
                let result = try await stores.importer.run(file: file, fileName: fileName, unitCode: unit, mode: mode, in: account.scope, by: actor,
                                                           progress: { f in self.update(id) { $0.fraction = f } }, problem: { reportFile.write($0) })
                reportFile.close()   // whole before the job shows as finished (and its report can be downloaded)
                self.update(id) { $0.result = result; $0.fraction = 1 }
            } catch let e as RenkouError {
                self.update(id) { $0.error = e }
            } catch {
                self.update(id) { $0.error = RenkouError(.invalid, "import-failed", Text("无法读取该文件：\(error)", "The file could not be read: \(error)")) }
            }
        }
        return id
    }
}

/// 导入: the import page (upload, dry run, then all-or-nothing or valid rows only), its progress and
/// report, the template, and `POST /api/v1/persons/import`.
enum ImportPages {
    static let path = "/persons/import"
    static func jobPath(_ id: String) -> String { "\(path)/\(id)" }

    struct ProblemRow { let row: Int; let column: String; let value: String; let kind: String; let isError: Bool; let reason: String }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        // The imports of this router: started by one request, watched and committed by the next ones.
        let jobs = ImportJobs()
        router.get(RouterPath(path)) { request, context -> Response in
            let account = try context.require(.registry(.write))
            return try await formPage(error: nil, deps: deps, account: account, request: request, context: context)
        }

        router.post(RouterPath(path)) { request, context -> Response in
            let account = try context.require(.registry(.write))
            let body = Upload.directory.appendingPathComponent("\(UUID().uuidString)-body")
            defer { try? FileManager.default.removeItem(at: body) }
            try await Upload.save(request, to: body)
            let file = Upload.directory.appendingPathComponent("\(UUID().uuidString)-upload")
            let parts = try Upload.multipart(body, contentType: request.headers[.contentType] ?? "", fileField: "file", to: file)
            guard let token = parts.fields["_csrf"], token == request.cookies[SessionMiddleware.csrfCookie]?.value else { throw RenkouError.csrf }
            let unit = parts.fields["unit"]?.trimmingCharacters(in: .whitespaces) ?? ""
            var errors = FieldErrors()
            if parts.fileName == nil || parts.fileBytes == 0 { errors.add("/file", "required", "请选择要导入的文件。", "Choose a file to import.") }
            errors.required("/unit", unit)
            if !errors.all.isEmpty {
                try? FileManager.default.removeItem(at: file)
                return try await formPage(error: RenkouError.invalid(errors.all), deps: deps, account: account, request: request, context: context)
            }
            // Every upload starts with a dry run: the user sees every problem before choosing how to import.
            let id = jobs.start(file: file, fileName: parts.fileName ?? "upload", unit: unit, mode: .dryRun, account: account, actor: context.actor, stores: deps.stores)
            return Redirect.to(jobPath(id))
        }

        router.get("/persons/import/template.csv") { _, context -> Response in
            _ = try context.require(.registry(.read))
            let line = "\u{FEFF}" + PersonColumn.template.map { $0.headers[0] }.joined(separator: ",") + "\r\n"
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"persons-template.csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: line)))
        }

        router.get("/persons/import/template.xlsx") { _, context -> Response in
            _ = try context.require(.registry(.read))
            var rows: [[[String]]] = [[PersonColumn.template.map { $0.headers[0] }]]
            return try await xlsxResponse(name: "persons-template.xlsx") { rows.popLast() }
        }

        router.get("/persons/import/{job}") { request, context -> Response in
            let account = try context.require(.registry(.write))
            guard let job = jobs.get(try context.parameters.require("job"), owner: account.id) else { throw RenkouError.notFound(Text("导入", "import")) }
            return jobPage(job, deps: deps, request: request, context: context)
        }

        router.get("/persons/import/{job}/progress") { _, context -> Response in
            let account = try context.require(.registry(.write))
            guard let job = jobs.get(try context.parameters.require("job"), owner: account.id) else { throw RenkouError.notFound(Text("导入", "import")) }
            struct Progress: Encodable { let finished: Bool; let percent: Int }
            return try JSON.response(Progress(finished: job.finished, percent: Int(job.fraction * 100)))
        }

        router.get("/persons/import/{job}/report.csv") { _, context -> Response in
            let account = try context.require(.registry(.write))
            guard let job = jobs.get(try context.parameters.require("job"), owner: account.id), job.finished,
                  let data = FileManager.default.contents(atPath: job.report.path) else { throw RenkouError.notFound(Text("导入报告", "import report")) }
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"import-report.csv\""],
                            body: .init(byteBuffer: ByteBuffer(data: data)))
        }

        // After the dry run: import the same file all or nothing, or the valid rows only.
        router.post("/persons/import/{job}/commit") { request, context -> Response in
            let account = try context.require(.registry(.write))
            let form = try await Form.read(request, context: context)
            guard let dry = jobs.get(try context.parameters.require("job"), owner: account.id), dry.mode == .dryRun, dry.result != nil else {
                throw RenkouError.notFound(Text("导入", "import"))
            }
            let mode: ImportMode = form["mode"] == ImportMode.validOnly.rawValue ? .validOnly : .allOrNothing
            let id = jobs.start(file: dry.file, fileName: dry.fileName, unit: dry.unit, mode: mode, account: account, actor: context.actor, stores: deps.stores)
            return Redirect.to(jobPath(id))
        }
    }

    static func formPage(error: RenkouError?, deps: AppDeps, account: Account, request: Request, context: AppContext) async throws -> Response {
        let lang = context.lang
        let units = try await deps.stores.orgs.list(levels: [.community, .grid], in: context.scope)
        let options = units.map { FormField.Option(value: $0.code, label: "\($0.name)（\($0.code)）", selected: $0.code == account.unitCode) }
        var fields = [
            FormField(name: "unit", label: Text("导入到单位", "Import into unit")(lang), value: account.unitCode, required: true, options: options),
            FormField(name: "file", label: Text("文件（CSV 或 XLSX）", "File (CSV or XLSX)")(lang), type: "file", required: true,
                      hint: Text("UTF-8 或 GB18030 编码均可；第 1 行为表头。", "UTF-8 or GB18030; row 1 holds the headers.")(lang)),
        ]
        if let error { fields = FormField.attach(error.fields, to: fields, lang: lang) }
        let columns = PersonColumn.allCases.map { ImportView.Column(header: $0.headers[0], aliases: $0.headers.dropFirst().joined(separator: "、")) }
        let model = ImportView(fields: fields, columns: columns, message: error.map { $0.message(lang) })
        return deps.renderer.html("registry/import", title: Text("导入人员", "Import people"), model: model, context: context, request: request,
                                  status: error == nil ? .ok : .unprocessableContent)
    }

    static func jobPage(_ job: ImportJobs.Job, deps: AppDeps, request: Request, context: AppContext) -> Response {
        let lang = context.lang
        var model = ImportJobView(fileName: job.fileName, unit: job.unit, running: !job.finished, percent: Int(job.fraction * 100),
                                  progressHref: jobPath(job.id) + "/progress", mode: modeLabel(job.mode)(lang))
        if let error = job.error {
            model.reportHref = jobPath(job.id) + "/report.csv"
            model.error = error.message(lang)
            model.errorFields = error.fields.map { $0.message(lang) }
        }
        if let r = job.result {
            let problems = r.problems.map {
                ProblemRow(row: $0.row, column: $0.column, value: $0.value, kind: ($0.isError ? Text("错误", "Error") : Text("警告", "Warning"))(lang),
                           isError: $0.isError, reason: $0.reason(lang))
            }
            model.result = ImportJobView.Result(read: r.read, imported: r.imported, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected,
                                                warnings: r.warnings, blank: r.blank, hasBlank: r.blank > 0, encoding: r.encoding ?? r.fileKind.uppercased())
            model.problems = problems
            model.hasProblems = !problems.isEmpty
            model.moreProblems = r.rejected + r.warnings > problems.count
            model.reportHref = jobPath(job.id) + "/report.csv"
            model.isDryRun = job.mode == .dryRun
            model.canAllOrNothing = job.mode == .dryRun && r.rejected == 0
            model.canValidOnly = job.mode == .dryRun && r.rejected > 0 && r.rejected < r.read
            model.commitHref = jobPath(job.id) + "/commit"
            model.outcome = outcome(r)(lang)
            model.committed = r.committed
            model.personsHref = SitePath.persons + "?unit=\(job.unit)&sort=updated&desc=1"
        }
        return deps.renderer.html("registry/import_job", title: Text("导入人员", "Import people"), model: model, context: context, request: request)
    }

    static func modeLabel(_ mode: ImportMode) -> Text {
        switch mode {
        case .dryRun: Text("试运行（检查，不写入）", "Dry run (check, write nothing)")
        case .allOrNothing: Text("全部导入（有错则全不导入）", "All or nothing")
        case .validOnly: Text("只导入有效行", "Valid rows only")
        }
    }

    static func outcome(_ r: PersonImportResult) -> Text {
        switch (r.mode, r.committed) {
        case (.dryRun, _): Text("试运行完成，未写入任何数据。请查看问题后选择导入方式。", "Dry run finished; nothing was written. Review the problems, then choose how to import.")
        case (_, true): Text("导入完成。", "Import finished.")
        case (_, false): Text("有 \(r.rejected) 行被拒绝，按“全部导入”的要求，没有写入任何数据。", "\(r.rejected) rows were rejected, so nothing was written (all or nothing).")
        }
    }

    /// Writes a workbook to a temporary file, sends it and removes it.
    static func xlsxResponse(name: String, rows: @escaping () async throws -> [[String]]?) async throws -> Response {
        let url = Upload.directory.appendingPathComponent("\(UUID().uuidString).xlsx")
        try await XLSX.write(to: url, rows: rows)
        let handle = try FileHandle(forReadingFrom: url)
        try? FileManager.default.removeItem(at: url) // the open handle keeps the data until it is closed
        let body = ResponseBody { writer in
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
                try await writer.write(ByteBuffer(data: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                               .contentDisposition: "attachment; filename=\"\(name)\""], body: body)
    }
}

/// `POST /api/v1/persons/import?unit=CODE&mode=dry-run|all|valid`: the body is the file (CSV or
/// XLSX); the answer is the result with the first problems. Synchronous.
enum ImportAPI {
    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.post, "/api/v1/persons/import") { request, context in
            _ = try context.require(.registry(.write))
            guard let unit = request.query("unit") else {
                throw RenkouError.invalid([FieldError("/unit", "required", Text("请给出单位代码（unit 参数）。", "Give the unit code (the unit parameter)."))])
            }
            let modeText = request.query("mode") ?? ImportMode.dryRun.rawValue
            guard let mode = ImportMode(rawValue: modeText) else {
                throw RenkouError.invalid([FieldError("/mode", "code-unknown", Text("mode 应为 dry-run、all 或 valid。", "mode is dry-run, all or valid."))])
            }
            let file = Upload.directory.appendingPathComponent("\(UUID().uuidString)-api")
            defer { try? FileManager.default.removeItem(at: file) }
            try await Upload.save(request, to: file)
            let result = try await deps.stores.importer.run(file: file, fileName: request.query("name") ?? "api-upload", unitCode: unit, mode: mode,
                                                            in: context.scope, by: context.actor)
            return try JSON.response(result, status: mode == .allOrNothing && !result.committed ? .unprocessableContent : .ok)
        }
    }
}

/// The import page: the upload form and the columns it understands.
struct ImportView {
    struct Column { let header: String; let aliases: String }
    let fields: [FormField]
    let columns: [Column]
    let message: String?
}

/// One import's page: progress while it runs, then the counts, the problems by row and what to do next.
struct ImportJobView {
    struct Result { let read: Int; let imported: Int; let updated: Int; let unchanged: Int; let rejected: Int; let warnings: Int; let blank: Int; let hasBlank: Bool; let encoding: String }
    let fileName: String
    let unit: String
    let running: Bool
    let percent: Int
    let progressHref: String
    let mode: String
    var error: String? = nil
    var errorFields: [String] = []
    var result: Result? = nil
    var problems: [ImportPages.ProblemRow] = []
    var hasProblems = false
    var moreProblems = false
    var reportHref: String? = nil
    var isDryRun = false
    var canAllOrNothing = false
    var canValidOnly = false
    var commitHref: String? = nil
    var outcome: String? = nil
    var committed = false
    var personsHref: String? = nil
}
