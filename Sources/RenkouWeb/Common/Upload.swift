import Foundation
import Hummingbird
import RenkouStore
import NIOCore
import RenkouCore

/// Uploaded files: the request body is streamed to a temporary file (never held in memory), and a
/// `multipart/form-data` body is split into its text fields and its one file.
enum Upload {
    /// Files larger than this are refused (413) before anything is imported.
    static let maxBytes = 256 * 1024 * 1024

    static var directory: URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-uploads", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Streams the body to a new file in the upload directory.
    static func save(_ request: Request, to url: URL, maxBytes: Int = Upload.maxBytes) async throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var total = 0
        for try await buffer in request.body {
            total += buffer.readableBytes
            if total > maxBytes { try? FileManager.default.removeItem(at: url); throw RenkouError.tooLarge }
            try handle.write(contentsOf: buffer.readableBytesView)
        }
    }

    struct Multipart {
        var fields: [String: String] = [:]
        var fileName: String?
        var fileBytes = 0
    }

    /// Splits a saved multipart body: text fields are returned, the part named `fileField` is written
    /// to `fileURL`. The body is memory-mapped, so a large file is not read into memory.
    static func multipart(_ body: URL, contentType: String, fileField: String, to fileURL: URL) throws -> Multipart {
        guard let b = contentType.components(separatedBy: "boundary=").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")), contentType.contains("boundary=") else {
            throw RenkouError.invalid([FieldError("/file", "not-multipart", Text("请通过表单上传文件。", "Upload the file through the form."))])
        }
        let data = try Data(contentsOf: body, options: .alwaysMapped)
        let delimiter = Data("--\(b)".utf8), crlf2 = Data("\r\n\r\n".utf8)
        var out = Multipart()
        var at = data.startIndex
        guard var start = data.range(of: delimiter, in: at..<data.endIndex)?.upperBound else { return out }
        while true {
            // After a delimiter: "--" ends the body, otherwise CRLF, headers, blank line, content.
            if data[start..<min(start + 2, data.endIndex)] == Data("--".utf8) { break }
            guard let headersEnd = data.range(of: crlf2, in: start..<data.endIndex) else { break }
            let headers = String(decoding: data[start..<headersEnd.lowerBound], as: UTF8.self)
            at = headersEnd.upperBound
            guard let next = data.range(of: Data("\r\n".utf8) + delimiter, in: at..<data.endIndex) else { break }
            let content = data[at..<next.lowerBound]
            let name = value("name", in: headers)
            if let filename = value("filename", in: headers), name == fileField {
                _ = FileManager.default.createFile(atPath: fileURL.path, contents: nil)
                let handle = try FileHandle(forWritingTo: fileURL)
                var chunk = content.startIndex
                while chunk < content.endIndex {
                    let end = min(chunk + 1 << 20, content.endIndex)
                    try handle.write(contentsOf: content[chunk..<end])
                    chunk = end
                }
                try handle.close()
                out.fileName = filename; out.fileBytes = content.count
            } else if let name {
                out.fields[name] = String(decoding: content, as: UTF8.self)
            }
            start = next.upperBound
        }
        return out
    }

    /// A parameter of the part's Content-Disposition header (`name`, `filename`), quotes removed.
    static func value(_ key: String, in headers: String) -> String? {
        guard let disposition = headers.split(whereSeparator: \.isNewline).first(where: { $0.lowercased().hasPrefix("content-disposition:") }) else { return nil }
        for parameter in disposition.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmed }
            if pair.count == 2, pair[0].lowercased() == key { return pair[1].trimmingQuotes }
        }
        return nil
    }
}

private extension String {
    var trimmingQuotes: String { hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? String(dropFirst().dropLast()) : self }
}

extension Upload {
    /// A `multipart/form-data` form with at most one file (`fileField`): the body is streamed to disk
    /// and the CSRF token of the form checked. The caller removes `file` when done with it.
    struct Form { var fields: [String: String]; var file: URL?; var fileName: String?; var fileBytes: Int
        subscript(_ name: String) -> String? { fields[name] } }

    static func form(_ request: Request, fileField: String = "file") async throws -> Form {
        let body = directory.appendingPathComponent("\(UUID().uuidString)-body")
        defer { try? FileManager.default.removeItem(at: body) }
        try await save(request, to: body)
        let file = directory.appendingPathComponent("\(UUID().uuidString)-upload")
        let parts = try multipart(body, contentType: request.headers[.contentType] ?? "", fileField: fileField, to: file)
        guard let token = parts.fields["_csrf"], token == request.cookies[SessionMiddleware.csrfCookie]?.value else {
            try? FileManager.default.removeItem(at: file); throw RenkouError.csrf
        }
        let hasFile = parts.fileName != nil && parts.fileBytes > 0
        if !hasFile { try? FileManager.default.removeItem(at: file) }
        return Form(fields: parts.fields, file: hasFile ? file : nil, fileName: hasFile ? parts.fileName : nil, fileBytes: parts.fileBytes)
    }

    /// The form's file as a scan (agreement, consent), nil when none was sent. Throws `invalid`
    /// (`/<field>` `too-large` over 4 MB, `scan-type` not a PDF, PNG or JPEG).
    static func scan(_ form: Form, field: String) throws -> ScanFile? {
        guard let f = form.file else { return nil }
        if form.fileBytes > ScanFile.maxBytes { throw RenkouError.invalid([FieldError("/\(field)", "too-large", Text("扫描件不能超过 4 MB。", "The scan may not exceed 4 MB."))]) }
        guard let scan = ScanFile(name: form.fileName ?? "scan", data: try Data(contentsOf: f)) else { throw ScanFile.wrongType("/\(field)") }
        return scan
    }

    /// A form that may carry a file: multipart from a browser that sends one, url-encoded otherwise
    /// (a form without a file, a script). Returns the fields and, when multipart, the upload to delete after use.
    static func fields(_ request: Request, context: AppContext, fileField: String) async throws -> (RenkouWeb.Form, Form?) {
        guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/") else { return (try await RenkouWeb.Form.read(request, context: context), nil) }
        let upload = try await form(request, fileField: fileField)
        return (RenkouWeb.Form(values: upload.fields), upload)
    }
}
