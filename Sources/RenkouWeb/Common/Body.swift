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
        let data = Data(buffer: buffer)
        try screen(json: data)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.typeMismatch(type, ctx), let DecodingError.valueNotFound(type, ctx) {
            throw RenkouError.invalid([FieldError(pointer(ctx.codingPath), "wrong-type", wrongType(type))])
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw RenkouError.invalid([FieldError(pointer(ctx.codingPath + [key]), "required", Text("此项必填。", "This field is required."))])
        } catch is DecodingError {
            throw RenkouError.badJSON
        }
    }

    /// A JSON pointer to a decoding error's place (`/members/0/person`).
    static func pointer(_ path: [any CodingKey]) -> String {
        "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
    }

    /// What a field of this Swift type should have been, in words.
    static func wrongType(_ type: Any.Type) -> Text {
        let name = String(describing: type)
        let (zh, en): (String, String) =
            name.contains("Int") ? ("整数", "a whole number")
            : name.contains("Double") || name.contains("Decimal") ? ("数字", "a number")
            : name.contains("Bool") ? ("true 或 false", "true or false")
            : name.hasPrefix("Array") || name.hasPrefix("[") ? ("列表", "a list")
            : name.hasPrefix("Dictionary") || name.contains("Keyed") ? ("对象", "an object")
            : ("文本", "text")
        return Text("此项的类型不正确（应为\(zh)）。", "This field has the wrong type (\(en) expected).")
    }

    /// Decodes an `application/x-www-form-urlencoded` body. A value holding the character U+0000 is
    /// refused (`nul-character` at its field).
    static func form(_ request: Request, context: AppContext) async throws -> [String: String] {
        let buffer = try await collect(request, context: context)
        let fields = parseQuery(String(buffer: buffer))
        try refuseNUL(fields.mapValues { [$0] })
        return fields
    }

    /// Refuses named values (form fields, query parameters) of which a name or a value holds U+0000:
    /// `invalid` with `nul-character` at each name.
    static func refuseNUL(_ fields: [String: [String]]) throws {
        let bad = fields.filter { $0.key.contains("\u{0}") || $0.value.contains { $0.contains("\u{0}") } }.keys.sorted()
        if !bad.isEmpty { throw RenkouError.invalid(bad.map { nulCharacter("/" + $0.replacingOccurrences(of: "\u{0}", with: "")) }) }
    }

    /// The error for text holding U+0000, which no record may store (PostgreSQL refuses it in text).
    static func nulCharacter(_ pointer: String) -> FieldError {
        FieldError(pointer, "nul-character", Text("此项含有不允许的控制字符（U+0000）。", "This field holds a control character that is not allowed (U+0000)."))
    }

    /// The largest number a JSON body may hold, either sign: 2,147,483,647, the range of the integer
    /// columns on PostgreSQL (SQLite would store more), so that both engines refuse the same bodies.
    static let largestNumber = 2_147_483_647.0

    /// Refuses, before decoding, a JSON body any of whose texts (names or values) holds U+0000 (which no
    /// record may store), or any of whose numbers lies beyond ±`largestNumber`: `invalid` with
    /// `nul-character` or `number-out-of-range` at each place. A body that is not JSON is left to the
    /// decoder (`bad-json`).
    static func screen(json data: Data) throws {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return }
        var errors: [FieldError] = []
        func walk(_ v: JSONValue, _ pointer: String) {
            switch v {
            case .string(let s):
                if s.contains("\u{0}") { errors.append(nulCharacter(pointer.isEmpty ? "/" : pointer)) }
            case .number(let n):
                if !(abs(n) <= largestNumber) {
                    errors.append(FieldError(pointer.isEmpty ? "/" : pointer, "number-out-of-range",
                                             Text("数值超出允许范围（±2147483647）。", "The number is out of range (±2,147,483,647).")))
                }
            case .array(let a):
                for (i, x) in a.enumerated() { walk(x, pointer + "/\(i)") }
            case .object(let o):
                for (k, x) in o.sorted(by: { $0.key < $1.key }) {
                    let at = pointer + "/" + k.replacingOccurrences(of: "\u{0}", with: "")
                    if k.contains("\u{0}") { errors.append(nulCharacter(at)) } else { walk(x, at) }
                }
            case .bool, .null: break
            }
        }
        walk(value, "")
        if !errors.isEmpty { throw RenkouError.invalid(errors) }
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
