/// 权限: what a role may do in a module. One table for the whole system, filled by the modules
/// (each declares its grants in `CoreModule.grants`); pages, API routes and exports ask it.
public enum Action: String, Sendable, CaseIterable, Codable {
    /// See the module's records of the scope.
    case read
    /// Register and record (create, record events, close tasks).
    case write
    /// Correct records of the scope, others' entries included (the old values stay in the audit log).
    case correct
    /// Approve what others prepared (a batch, a report).
    case approve
    /// Set the yearly quotas and targets of the units below (a pre-pregnancy check quota).
    case plan
    /// Download lists of people with names, ID numbers and phones masked.
    case export
    /// 完整导出: download lists with names, ID numbers and phones in clear, stating a reason that the
    /// audit log keeps.
    case exportUnmasked = "export-unmasked"
    /// Manage units and accounts; delete or merge records.
    case administer
    /// Read the audit log.
    case audit
    /// 生殖健康信息: see reproductive-health details (methods, procedures, pregnancies, check results).
    case seeReproductiveHealth = "see-rh"
}

/// One permission: an action on a module, such as `.registry(.write)`.
public struct Permission: Hashable, Sendable, CustomStringConvertible {
    public let module: String
    public let action: Action
    public init(_ module: String, _ action: Action) { self.module = module; self.action = action }
    public var description: String { "\(module).\(action.rawValue)" }
}

/// The roles holding a permission.
public struct Grant: Sendable {
    public let permission: Permission
    public let roles: Set<Role>
    public init(_ permission: Permission, _ roles: Set<Role>) { self.permission = permission; self.roles = roles }
}

/// Role × module × action, from every module's grants. A permission nobody declared is granted to no one.
public struct Permissions: Sendable {
    let table: [Permission: Set<Role>]

    public init(_ grants: [Grant]) {
        var table: [Permission: Set<Role>] = [:]
        for g in grants {
            precondition(table[g.permission] == nil, "permission \(g.permission) granted twice")
            table[g.permission] = g.roles
        }
        self.table = table
    }

    /// The table of the modules in `coreModules`.
    public static let all = Permissions(coreModules.flatMap(\.grants))

    public func allows(_ role: Role, _ permission: Permission) -> Bool { table[permission]?.contains(role) ?? false }

    /// Every declared permission, sorted by module then action.
    public var permissions: [Permission] {
        table.keys.sorted { ($0.module, Action.allCases.firstIndex(of: $0.action)!) < ($1.module, Action.allCases.firstIndex(of: $1.action)!) }
    }

    /// The whole matrix as text: one line per permission, one column per role (`x` allowed, `.` not).
    public func matrix() -> String {
        let header = "permission".padding(toLength: 26, withPad: " ", startingAt: 0) + Role.allCases.map { $0.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()
        let lines = permissions.map { p in
            p.description.padding(toLength: 26, withPad: " ", startingAt: 0)
                + Role.allCases.map { (allows($0, p) ? "x" : ".").padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()
        }
        return ([header] + lines).map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
    }
}

extension Role {
    /// Whether this role holds `permission` in the system's table.
    public func can(_ permission: Permission) -> Bool { Permissions.all.allows(self, permission) }
}
