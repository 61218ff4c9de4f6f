import Foundation
import Hummingbird
import RenkouCore

/// RFC 9457 problem details with a message in both languages and a JSON pointer per bad field.
struct Problem: Encodable {
    struct Messages: Encodable { let zh: String; let en: String
        enum CodingKeys: String, CodingKey { case zh = "zh-Hans", en }
    }
    struct Field: Encodable { let pointer: String; let code: String; let messages: Messages }
    let type: String
    let title: String
    var status: Int
    let code: String
    let detail: String
    let messages: Messages
    let errors: [Field]

    init(_ error: RenkouError, lang: Lang) {
        status = Int(error.kind.status.code)
        code = error.code
        type = "/problems/\(error.code)"
        title = error.message(lang)
        detail = error.message(lang)
        messages = Messages(zh: error.message.zh, en: error.message.en)
        errors = error.fields.map { Field(pointer: $0.pointer, code: $0.code, messages: Messages(zh: $0.message.zh, en: $0.message.en)) }
    }

    func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/problem+json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension RenkouError.Kind {
    var status: HTTPResponse.Status {
        switch self {
        case .invalid: .unprocessableContent
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .unauthorized: .unauthorized
        case .conflict: .conflict
        case .tooManyRequests: .tooManyRequests
        case .payloadTooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        }
    }
}

extension RenkouError {
    static let badJSON = RenkouError(.invalid, "bad-json", Text("请求体不是有效的 JSON。", "The request body is not valid JSON."))
    static let tooLarge = RenkouError(.payloadTooLarge, "too-large", Text("请求体过大。", "The request body is too large."))
    static let routeNotFound = RenkouError(.notFound, "no-route", Text("页面不存在。", "This page does not exist."))
    static let internalError = RenkouError(.unavailable, "internal", Text("服务器内部错误，请稍后再试。", "Something went wrong on the server; please try again."))
    static let csrf = RenkouError(.forbidden, "csrf", Text("表单已过期，请刷新页面后重试。", "The form has expired; reload the page and try again."))
}
