import Foundation
import Hummingbird
import RenkouCore

/// One field of a form as the `field` partial prints it, with its error next to it.
struct FormField {
    struct Option { let value: String; let label: String; let selected: Bool }
    let name: String
    let label: String
    var value: String
    var type: String
    var required: Bool
    var autocomplete: String?
    var hint: String?
    var error: String?
    var options: [Option]
    /// Stored, not computed: templates read values through reflection, which sees stored properties only.
    let isSelect: Bool

    init(name: String, label: String, value: String = "", type: String = "text", required: Bool = false, autocomplete: String? = nil,
         hint: String? = nil, error: String? = nil, options: [Option] = []) {
        self.name = name; self.label = label; self.value = value; self.type = type; self.required = required
        self.autocomplete = autocomplete; self.hint = hint; self.error = error; self.options = options; self.isSelect = !options.isEmpty
    }

    /// The units of a select, `empty` first when given (its value "").
    static func unitOptions(_ units: [OrgUnit], selected: String?, empty: Text? = nil, lang: Lang) -> [Option] {
        (empty.map { [Option(value: "", label: $0(lang), selected: (selected ?? "").isEmpty)] } ?? [])
            + units.map { Option(value: $0.code, label: $0.name, selected: $0.code == selected) }
    }

    /// Puts each field error next to its field (the pointer names the field).
    static func attach(_ errors: [FieldError], to fields: [FormField], lang: Lang) -> [FormField] {
        fields.map { field in
            var f = field
            if let e = errors.first(where: { $0.field == field.name }) { f.error = e.message(lang) }
            return f
        }
    }
}

/// The lines of a textarea, trimmed, the empty ones left out.
func textLines(_ text: String?) -> [String] {
    (text ?? "").components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// A submitted page form whose CSRF token has been checked.
struct Form {
    let values: [String: String]
    subscript(_ key: String) -> String? {
        guard let v = values[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    /// Reads the form and checks its `_csrf` field against the browser's cookie.
    static func read(_ request: Request, context: AppContext) async throws -> Form {
        let values = try await Body.form(request, context: context)
        guard let token = values["_csrf"], !token.isEmpty, token == request.cookies[SessionMiddleware.csrfCookie]?.value else {
            throw RenkouError.csrf
        }
        return Form(values: values)
    }
}

enum Redirect {
    static func to(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A redirect after a save, carrying the message the next page shows once ("已保存").
    static func to(_ location: String, notice: Text) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        response.setCookie(Cookie(name: SessionMiddleware.noticeCookie, value: Notice.encode(notice), path: "/", httpOnly: true, sameSite: .lax))
        return response
    }
}

/// The one-time message of a save, carried to the next page in a short cookie (both languages, so a
/// language switch in between does not lose it).
enum Notice {
    static func encode(_ text: Text) -> String {
        Data((text.zh + "\u{1F}" + text.en).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    static func decode(_ value: String) -> Text? {
        var b = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        guard let data = Data(base64Encoded: b), let s = String(data: data, encoding: .utf8) else { return nil }
        let parts = s.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts[0].count <= 200 else { return nil }
        return Text(parts[0], parts[1])
    }
}
