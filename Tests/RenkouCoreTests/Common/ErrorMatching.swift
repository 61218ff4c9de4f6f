import RenkouCore

/// For `#expect { ... } throws: { isRenkouError($0, field: "/code", code: "code-format") }`. The same
/// rule as RenkouTestSupport's helper (this target does not depend on it): without `field`, the
/// RenkouError's top-level code; with it, a validation failure holding that field error.
func isRenkouError(_ error: any Error, field: String? = nil, code: String) -> Bool {
    guard let e = error as? RenkouError else { return false }
    guard let field else { return e.code == code }
    return e.code == "validation" && e.fields.contains { $0.pointer == field && $0.code == code }
}
