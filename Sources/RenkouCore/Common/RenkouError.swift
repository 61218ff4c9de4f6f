import Foundation

/// One rejected value: where it was (a JSON pointer such as `/idNumber`) and why, in both languages.
public struct FieldError: Sendable, Equatable, Codable {
    public var pointer: String
    public var code: String
    public var message: Text
    public init(_ pointer: String, _ code: String, _ message: Text) {
        self.pointer = pointer; self.code = code; self.message = message
    }
    /// The field name without the leading slash, for forms (`/idNumber` → `idNumber`).
    public var field: String { String(pointer.drop(while: { $0 == "/" })) }
}

/// An error a user sees: a stable code, a message in zh-Hans and en, and the fields it concerns.
/// The API renders it as problem+json, the pages next to the fields.
public struct RenkouError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case invalid, notFound, forbidden, unauthorized, conflict, tooManyRequests, payloadTooLarge, unavailable
    }
    public var kind: Kind
    public var code: String
    public var message: Text
    public var fields: [FieldError]

    public init(_ kind: Kind, _ code: String, _ message: Text, fields: [FieldError] = []) {
        self.kind = kind; self.code = code; self.message = message; self.fields = fields
    }

    /// A validation failure made of one or more field errors.
    public static func invalid(_ fields: [FieldError]) -> RenkouError {
        RenkouError(.invalid, "validation", Text("提交的数据有误，请按提示修改。", "Some values are not valid; see the fields."), fields: fields)
    }
    public static func notFound(_ what: Text = Text("记录", "record")) -> RenkouError {
        RenkouError(.notFound, "not-found", Text("未找到\(what.zh)。", "The \(what.en) was not found."))
    }
    public static let forbidden = RenkouError(.forbidden, "forbidden", Text("您没有执行此操作的权限。", "You are not allowed to do this."))
    public static let unauthorized = RenkouError(.unauthorized, "unauthorized", Text("请先登录。", "Please sign in first."))
}

/// Collects field errors while checking a value, then throws them all at once.
public struct FieldErrors: Sendable {
    public private(set) var all: [FieldError] = []
    public init() {}
    public mutating func add(_ pointer: String, _ code: String, _ zh: String, _ en: String) {
        all.append(FieldError(pointer, code, Text(zh, en)))
    }
    /// An optional date field as typed: nil when empty, or when it is not `YYYY-MM-DD` (`date-format`)
    /// or falls after `notAfter` (`in-future`), each error recorded under `pointer`.
    public mutating func day(_ pointer: String, _ text: String?, notAfter: Day? = nil) -> Day? {
        guard let t = text?.trimmed, !t.isEmpty else { return nil }
        guard let d = Day(t) else { add(pointer, "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD."); return nil }
        if let notAfter, d > notAfter { add(pointer, "in-future", "日期不能晚于今天。", "Not after today."); return nil }
        return d
    }

    public mutating func required(_ pointer: String, _ value: String?) {
        if (value ?? "").trimmed.isEmpty {
            add(pointer, "required", "此项必填。", "This field is required.")
        }
    }
    public func throwIfAny() throws {
        if !all.isEmpty { throw RenkouError.invalid(all) }
    }
}
