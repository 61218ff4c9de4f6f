/// What a module contributes to the domain layer: its permissions and its dated rules.
/// Listed once in `coreModules` (`Sources/RenkouCore/Modules.swift`).
public protocol CoreModule: Sendable {
    /// The module's name, the same in every layer (`registry`, `migrants`, ...).
    var name: String { get }
    /// Its rows of the permission table.
    var grants: [Grant] { get }
    /// Its rules with the shipped dated entries.
    var policy: [PolicyDeclaration] { get }
}

extension CoreModule {
    public var grants: [Grant] { [] }
    public var policy: [PolicyDeclaration] { [] }
}

extension Policy {
    /// The rules every module ships: the law in force today and the older entries for older records.
    public static let shipped = Policy(declarations: coreModules.flatMap(\.policy))
}
