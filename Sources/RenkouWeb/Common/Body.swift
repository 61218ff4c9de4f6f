import Foundation
import Hummingbird
import NIOCore
import RenkouCore

/// Reading request bodies: JSON for the API, URL-encoded forms for the pages. Every failure becomes
/// a RenkouError with the field it concerns, so nothing is written from a bad body.
enum Body {
    static func collect(_ request: Request, context: AppContext) async throws -> ByteBuffer {
        do { return try await request.body.collect(upTo: context.maxUploadSize) }
        catch let error as HTTPError where error.status == .contentTooLarge { throw RenkouError.tooLarge }
        catch is NIOTooManyBytesError { throw RenkouError.tooLarge }
    }

    /// Decodes a JSON body; a wrong type names the field, bad JSON says so.
    static func json<T: Decodable>(_ type: T.Type, _ request: Request, context: AppContext) async throws -> T {
        let buffer = try await collect(request, context: context)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx) {
            let pointer = "/" + ctx.codingPath.map(\.stringValue).joined(separator: "/")
            throw RenkouError.invalid([FieldError(pointer, "wrong-type", Text("此项的类型不正确（应为文本）。", "This field has the wrong type (text expected)."))])
        } catch is DecodingError {
            throw RenkouError.badJSON
        }
    }

    /// Decodes an `application/x-www-form-urlencoded` body.
    static func form(_ request: Request, context: AppContext) async throws -> [String: String] {
        let buffer = try await collect(request, context: context)
        return parseQuery(String(buffer: buffer))
    }

    static func parseQuery(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            guard let key = parts.first else { continue }
            out[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }
}

extension Request {
    /// A query parameter, or nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let v = uri.queryParameters.get(name), !v.isEmpty else { return nil }
        return v
    }

    var isAPI: Bool { uri.path.hasPrefix("/api/") }
}

/// JSON responses with stable formatting.
enum JSON {
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
