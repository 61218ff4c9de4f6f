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

    /// Puts each field error next to its field (the pointer names the field).
    static func attach(_ errors: [FieldError], to fields: [FormField], lang: Lang) -> [FormField] {
        fields.map { field in
            var f = field
            if let e = errors.first(where: { $0.field == field.name }) { f.error = e.message(lang) }
            return f
        }
    }
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
}
