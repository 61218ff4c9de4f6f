import Foundation

extension String {
    /// The text without surrounding spaces, or nil when nothing is left: how optional fields are stored.
    var nilIfBlank: String? { trimmingCharacters(in: .whitespaces).isEmpty ? nil : trimmingCharacters(in: .whitespaces) }

    /// A stored id: the database only holds ids the application wrote.
    var uuid: UUID { UUID(uuidString: self)! }
}
