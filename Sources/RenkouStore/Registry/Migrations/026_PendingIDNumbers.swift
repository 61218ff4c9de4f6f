enum Migration026PendingIDNumbers {
    /// A child may be in the registry before its hukou registration gives it a citizen ID number:
    /// `persons.id_number` may be NULL (still unique where present; both engines allow many NULLs).
    static let migration = Migration.dropNotNull(id: 26, name: "persons without an ID number yet", table: "persons", column: "id_number",
                                                 definition: "id_number TEXT NOT NULL UNIQUE", relaxed: "id_number TEXT UNIQUE")
}
