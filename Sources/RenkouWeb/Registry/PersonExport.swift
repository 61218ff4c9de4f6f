import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Streams a search as CSV (UTF-8 with BOM, the import template's headers). The export is audited
/// and the unit filter checked before the first row leaves, so a refusal is a clean error response.
enum PersonExport {
    /// What a download asks for: masked (the default for everyone), or in clear (`full=1`) for a role
    /// holding `registry.export-unmasked`, with a `reason` the audit log keeps.
    /// Throws `forbidden` for another role and `invalid` (`/reason`, `reason-required`) without a reason.
    struct Mode { let masked: Bool; let reason: String? }

    static func mode(_ request: Request, context: AppContext) throws -> Mode {
        guard request.query("full") == "1" else { return Mode(masked: true, reason: nil) }
        _ = try context.require(.registry(.exportUnmasked))
        guard let reason = request.query("reason")?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw RenkouError.invalid([FieldError("/reason", "reason-required",
                                                  Text("导出完整身份号码须写明用途（如报送的部门和文号），用途记入审计日志。",
                                                       "An export with ID numbers in clear needs its purpose (the department and reference it goes to); the audit log keeps it."))])
        }
        return Mode(masked: false, reason: reason)
    }

    static func csv(_ q: PersonQuery, _ mode: Mode, context: AppContext, stores: Stores) async throws -> Response {
        let masked = mode.masked
        // Checks the filters and audits before streaming: a refusal is a clean error, not a broken download.
        try await stores.persons.recordExport(q, masked: masked, reason: mode.reason, in: context.scope, by: context.actor)
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: PersonCSV.headerLine))
            var cursor = ""
            while true {
                let batch = try await stores.persons.exportBatch(q, after: cursor, in: context.scope)
                guard let last = batch.last else { break }
                try await writer.write(ByteBuffer(string: batch.map { PersonCSV.line($0, masked: masked) }.joined()))
                cursor = last.id.text
            }
            try await writer.finish(nil)
        }
        let name = masked ? "persons-masked.csv" : "persons.csv"
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""], body: body)
    }

    /// The same list as a workbook (XLSX), built in a temporary file batch by batch and then streamed.
    static func xlsx(_ q: PersonQuery, _ mode: Mode, context: AppContext, stores: Stores) async throws -> Response {
        let masked = mode.masked
        try await stores.persons.recordExport(q, masked: masked, reason: mode.reason, in: context.scope, by: context.actor)
        var cursor = "", headerSent = false, done = false
        return try await ImportPages.xlsxResponse(name: masked ? "persons-masked.xlsx" : "persons.xlsx") {
            if !headerSent { headerSent = true; return [PersonCSV.headers] }
            if done { return nil }
            let batch = try await stores.persons.exportBatch(q, after: cursor, in: context.scope)
            guard let last = batch.last else { done = true; return nil }
            cursor = last.id.text
            return batch.map { PersonCSV.fields($0, masked: masked) }
        }
    }

    static func query(_ request: Request) throws -> PersonQuery {
        try PersonQuery.parse { request.uri.queryParameters.get($0) }
    }
}
