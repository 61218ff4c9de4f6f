import Foundation
import HTTPTypes
import Hummingbird
import RenkouCore

/// The JSON API held to its own description (接口约定): the OpenAPI document decides, before any handler
/// runs, which methods a documented path answers and which query and path parameters are well formed.
/// So what `/api/openapi.json` says of them is what the server does, for every operation at once.
///
/// - A documented path asked with a method it does not document: `405` with `Allow` (the documented
///   methods, and `HEAD` where `GET` is), problem code `method-not-allowed`.
/// - A query parameter that breaks its schema (a wrong type, out of range, not in the enum, not matching the
///   pattern or format, given twice where one is expected, or required and missing): `422` with one field
///   error per parameter (pointer `/name`, codes `wrong-type`, `range`, `not-allowed`, `format`, `repeated`,
///   `required`), bilingual. Parameters the operation does not describe are left to the handler.
/// - A path parameter that breaks its schema (an id that is not a UUID): `404`, as for a path that names
///   nothing.
/// - An operation that needs an account, asked without one: `401` first, as the handler would.
/// - An empty value is a value (`?on=` is not a date): leave a parameter out to mean "not given".
/// - Any query value holding U+0000: `422` `nul-character` (no record may store it).
///
/// The schemas understood are the subset the document uses: `type` (string, integer, number, boolean,
/// array; a list of types in OpenAPI 3.1), `enum`, `minimum`/`maximum`, `minLength`/`maxLength`,
/// `pattern` and the formats `date`, `date-time` and `uuid`, with local `$ref`s. No JSON Schema validator
/// exists among the Swift packages of this machine, so this small one is ours.
struct APIContract: Sendable {
    enum Segment: Sendable, Equatable { case literal(String), parameter(String) }

    struct Parameter: Sendable {
        let name: String
        let location: String
        let required: Bool
        let schema: JSONValue
    }

    struct Operation: Sendable {
        /// its parameters, the path's own included
        let parameters: [Parameter]
        /// false when the operation lists no security or an empty requirement (`security: []`, `{}`):
        /// public pages, and the exchange and machines that sign their requests themselves
        let needsAccount: Bool
    }

    struct Path: Sendable {
        let segments: [Segment]
        /// method (lower case) → the operation
        let methods: [String: Operation]
    }

    let paths: [Path]
    /// `paths` by their number of segments: a request is compared with those of its own length only.
    let pathsByLength: [Int: [Path]]

    init(document root: JSONValue) {
        let components = root["components"]
        func parameters(_ list: JSONValue?) -> [Parameter] {
            (list?.array ?? []).map { Self.resolved($0, components: components) }.compactMap { p in
                guard let name = p["name"]?.string, let location = p["in"]?.string else { return nil }
                return Parameter(name: name, location: location, required: p["required"]?.bool ?? (location == "path"),
                                 schema: Self.resolved(p["schema"] ?? .object([:]), components: components))
            }
        }
        var out: [Path] = []
        for (template, item) in root["paths"]?.object ?? [:] {
            let shared = parameters(item["parameters"])
            var methods: [String: Operation] = [:]
            for (method, op) in item.object where ["get", "put", "post", "delete", "patch", "options", "trace"].contains(method) {
                let own = parameters(op["parameters"])
                let security = op["security"]?.arrayValue
                let open = security.map { $0.isEmpty || $0.contains { $0.object.isEmpty } } ?? false
                methods[method] = Operation(parameters: own + shared.filter { s in !own.contains { $0.name == s.name && $0.location == s.location } },
                                            needsAccount: !open)
            }
            let segments: [Segment] = template.split(separator: "/").map { s in
                s.hasPrefix("{") && s.hasSuffix("}") ? .parameter(String(s.dropFirst().dropLast())) : .literal(String(s))
            }
            out.append(Path(segments: segments, methods: methods))
        }
        paths = out
        pathsByLength = Dictionary(grouping: out, by: \.segments.count)
    }

    /// A parameter or schema with its local `$ref`s (`#/components/<kind>/<name>`, also inside `items`)
    /// replaced by what they name.
    static func resolved(_ value: JSONValue, components: JSONValue?) -> JSONValue {
        var value = value
        var seen = 0
        while let ref = value["$ref"]?.string, ref.hasPrefix("#/components/"), seen < 10 {
            let parts = ref.dropFirst("#/components/".count).split(separator: "/").map(String.init)
            guard parts.count == 2, let target = components?[parts[0]]?[parts[1]] else { break }
            value = target; seen += 1
        }
        if case .object(var o) = value, let items = o["items"] {
            o["items"] = resolved(items, components: components)
            value = .object(o)
        }
        return value
    }

    /// The documented path a request path falls under, and its path parameters' values; a literal
    /// segment wins over a parameter at the first place they differ (as the router does).
    func match(_ requestPath: String) -> (path: Path, values: [String: String])? {
        let parts = requestPath.split(separator: "/", omittingEmptySubsequences: true).map { part in
            part.contains("%") ? (part.removingPercentEncoding ?? String(part)) : String(part)
        }
        var best: (path: Path, score: [Bool])?
        for path in pathsByLength[parts.count] ?? [] {
            var score: [Bool] = [], fits = true
            score.reserveCapacity(parts.count)
            for (segment, part) in zip(path.segments, parts) {
                switch segment {
                case .literal(let l): fits = l == part; score.append(true)
                case .parameter: score.append(false)
                }
                if !fits { break }
            }
            guard fits else { continue }
            if best == nil || Self.beats(score, best!.score) { best = (path, score) }
        }
        guard let best else { return nil }
        var values: [String: String] = [:]
        for (segment, part) in zip(best.path.segments, parts) { if case .parameter(let name) = segment { values[name] = part } }
        return (best.path, values)
    }

    static func beats(_ a: [Bool], _ b: [Bool]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x }
        return false
    }

    /// The methods a documented path answers, as `Allow` lists them.
    static func allow(_ path: Path) -> String {
        var names = path.methods.keys.map { $0.uppercased() }
        if names.contains("GET") { names.append("HEAD") }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]
        return names.sorted { (order.firstIndex(of: $0) ?? 99) < (order.firstIndex(of: $1) ?? 99) }.joined(separator: ", ")
    }

    /// The problems of a request's query parameters (`values`: every value given for each name).
    static func queryProblems(_ parameters: [Parameter], values: [String: [String]]) -> [FieldError] {
        var problems: [FieldError] = []
        for p in parameters where p.location == "query" {
            let given = values[p.name] ?? []
            if given.isEmpty {
                if p.required { problems.append(FieldError("/\(p.name)", "required", Text("缺少参数 \(p.name)。", "The parameter \(p.name) is missing."))) }
                continue
            }
            if given.count > 1 && !types(p.schema).contains("array") {
                problems.append(FieldError("/\(p.name)", "repeated", Text("参数 \(p.name) 只能给一次。", "Give the parameter \(p.name) once.")))
                continue
            }
            let schema = types(p.schema).contains("array") ? (p.schema["items"] ?? .object([:])) : p.schema
            for value in given {
                if let problem = problem(value, schema: schema, name: p.name) { problems.append(problem); break }
            }
        }
        return problems
    }

    static func types(_ schema: JSONValue) -> [String] {
        if let t = schema["type"]?.string { return [t] }
        return schema["type"]?.array.compactMap(\.string) ?? []
    }

    /// Why a text value breaks a (non-array) schema, or nil when it fits.
    static func problem(_ value: String, schema: JSONValue, name: String) -> FieldError? {
        let pointer = "/\(name)"
        let types = types(schema)
        if types.contains("null") && value == "null" { return nil }
        if let allowed = schema["enum"]?.arrayValue {
            let texts = allowed.compactMap { v -> String? in
                switch v { case .string(let s): s; case .number(let n): n == n.rounded() ? String(Int(n)) : String(n); case .bool(let b): String(b); default: nil }
            }
            if !texts.contains(value) {
                return FieldError(pointer, "not-allowed", Text("参数 \(name) 应为以下之一：\(texts.joined(separator: "、"))。",
                                                               "The parameter \(name) is one of: \(texts.joined(separator: ", "))."))
            }
        }
        if types.contains("integer") || types.contains("number") {
            let number = types.contains("integer") ? Int(value).map(Double.init) : Double(value).flatMap { $0.isFinite ? $0 : nil }
            guard let number else {
                let what = types.contains("integer") ? Text("整数", "a whole number") : Text("数字", "a number")
                return FieldError(pointer, "wrong-type", Text("参数 \(name) 应为\(what.zh)。", "The parameter \(name) is \(what.en)."))
            }
            let low = schema["minimum"]?.number, high = schema["maximum"]?.number
            if let low, number < low { return range(pointer, name, low, high) }
            if let high, number > high { return range(pointer, name, low, high) }
            return nil
        }
        if types.contains("boolean") {
            return value == "true" || value == "false" ? nil
                : FieldError(pointer, "wrong-type", Text("参数 \(name) 应为 true 或 false。", "The parameter \(name) is true or false."))
        }
        // a string
        if let min = schema["minLength"]?.number, Double(value.count) < min {
            return FieldError(pointer, "format", Text("参数 \(name) 至少 \(Int(min)) 个字符。", "The parameter \(name) has at least \(Int(min)) characters."))
        }
        if let max = schema["maxLength"]?.number, Double(value.count) > max {
            return FieldError(pointer, "format", Text("参数 \(name) 至多 \(Int(max)) 个字符。", "The parameter \(name) has at most \(Int(max)) characters."))
        }
        switch schema["format"]?.string {
        case "date":
            if Day(value) == nil { return FieldError(pointer, "format", Text("参数 \(name) 应为日期，如 2026-10-01。", "The parameter \(name) is a date such as 2026-10-01.")) }
        case "date-time":
            if ISO8601DateFormatter().date(from: value) == nil {
                return FieldError(pointer, "format", Text("参数 \(name) 应为时间，如 2026-10-01T08:00:00Z。", "The parameter \(name) is a time such as 2026-10-01T08:00:00Z."))
            }
        case "uuid":
            if UUID(uuidString: value) == nil { return FieldError(pointer, "format", Text("参数 \(name) 应为编号（UUID）。", "The parameter \(name) is an id (a UUID).")) }
        default: break
        }
        if let pattern = schema["pattern"]?.string, let regex = try? NSRegularExpression(pattern: pattern),
           regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) == nil {
            return FieldError(pointer, "format", Text("参数 \(name) 的格式不正确（\(pattern)）。", "The parameter \(name) does not have the expected form (\(pattern))."))
        }
        return nil
    }

    static func range(_ pointer: String, _ name: String, _ low: Double?, _ high: Double?) -> FieldError {
        func t(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
        switch (low, high) {
        case let (l?, h?): return FieldError(pointer, "range", Text("参数 \(name) 应在 \(t(l))–\(t(h)) 之间。", "The parameter \(name) is from \(t(l)) to \(t(h))."))
        case let (l?, nil): return FieldError(pointer, "range", Text("参数 \(name) 不应小于 \(t(l))。", "The parameter \(name) is at least \(t(l))."))
        case let (nil, h?): return FieldError(pointer, "range", Text("参数 \(name) 不应大于 \(t(h))。", "The parameter \(name) is at most \(t(h))."))
        default: return FieldError(pointer, "range", Text("参数 \(name) 超出范围。", "The parameter \(name) is out of range."))
        }
    }
}

/// Applies `APIContract` to every request under `/api/v1/` (see there for what it answers).
struct APIContractMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let contract: APIContract

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/v1/"), let (path, pathValues) = contract.match(request.uri.path) else {
            return try await next(request, context)
        }
        let method = request.method == .head ? "get" : request.method.rawValue.lowercased()
        guard let operation = path.methods[method] else {
            let error = RenkouError(.notFound, "method-not-allowed", Text("此地址不支持 \(request.method.rawValue) 请求。", "This address does not answer \(request.method.rawValue)."))
            var problem = Problem(error, lang: context.lang)
            problem.status = 405
            var response = problem.response()
            response.headers[.allow] = APIContract.allow(path)
            return response
        }
        // who must sign in hears that first, before what is wrong with the request
        if operation.needsAccount && context.account == nil { throw RenkouError.unauthorized }
        let parameters = operation.parameters
        for p in parameters where p.location == "path" {
            if let value = pathValues[p.name], APIContract.problem(value, schema: p.schema, name: p.name) != nil { throw RenkouError.routeNotFound }
        }
        var values: [String: [String]] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key), default: []].append(String(value)) }
        try Body.refuseNUL(values)
        if pathValues.values.contains(where: { $0.contains("\u{0}") }) { throw RenkouError.routeNotFound }
        let problems = APIContract.queryProblems(parameters, values: values)
        if !problems.isEmpty { throw RenkouError.invalid(problems) }
        return try await next(request, context)
    }
}
