import Foundation

/// Any JSON document, decoded as it is (objects keep their keys): for reading and merging the
/// OpenAPI parts, whose shape is JSON Schema rather than one of ours. Written here because the
/// merge needs only this; OpenAPIKit would model the whole specification.
enum JSONValue: Codable, Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .object(let o): try c.encode(o)
        case .array(let a): try c.encode(a)
        case .string(let s): try c.encode(s)
        case .number(let n): if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        }
    }

    subscript(_ key: String) -> JSONValue? { if case .object(let o) = self { o[key] } else { nil } }
    var object: [String: JSONValue] { if case .object(let o) = self { o } else { [:] } }
    var array: [JSONValue] { if case .array(let a) = self { a } else { [] } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var number: Double? { if case .number(let n) = self { n } else { nil } }
    /// The array, or nil when this is not one (`array` gives an empty one then).
    var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}
