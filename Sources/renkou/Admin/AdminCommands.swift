import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

struct Org: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage the administrative tree.", subcommands: [Add.self, Import.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a unit.")
        @OptionGroup var db: DatabaseOptions
        @Option var code: String
        @Option var name: String
        @Option(help: "province, city, district, street, community or grid") var level: String
        @Option(help: "The parent unit's code.") var parent: String?
        func run() async throws {
            guard let lvl = OrgLevel(rawValue: level) ?? OrgLevel(label: level) else { throw fail(RenkouError.invalid([FieldError("/level", "level", Text("无法识别的级别 \(level)。", "Unknown level \(level)."))])) }
            try await withStores(db) { stores in
                let unit = try await stores.orgs.add(code: code, name: name, level: lvl, parentCode: parent, in: .everything, by: .cli())
                print("\(unit.code)\t\(unit.name)\t\(unit.level.rawValue)\t\(unit.path)")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import units from areacodes.csv (GB/T 2260) or a code,name,level,parent CSV.")
        @OptionGroup var db: DatabaseOptions
        @Argument var file: String
        func run() async throws {
            try await withStores(db) { stores in
                let report = try await stores.orgs.importFile(at: file, in: .everything, by: .cli())
                for r in report.rejections.prefix(50) { FileHandle.standardError.write(Data("row \(r.row) \(r.column)=\(r.value): \(r.reason.zh) / \(r.reason.en)\n".utf8)) }
                print(report.summaryJSON)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the units under a unit (or the top units).")
        @OptionGroup var db: DatabaseOptions
        @Option var parent: String?
        func run() async throws {
            try await withStores(db) { stores in
                let parentUnit = try await parent.asyncMap { try await stores.orgs.unit(code: $0, in: .everything) }
                let units = try await stores.orgs.children(of: parentUnit??.id, in: .everything)
                for s in units { print("\(s.unit.code)\t\(s.unit.name)\t\(s.unit.level.rawValue)\t\(s.unit.status)\t\(s.childCount)\t\(s.personCount)") }
            }
        }
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await f(self)
    }
}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage accounts.", subcommands: [Add.self, List.self, Disable.self, Enable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account bound to a unit.")
        @OptionGroup var db: DatabaseOptions
        @Option var name: String
        @Option(help: "admin, district, street, community, grid, provider or viewer") var role: String
        @Option(help: "The unit's code.") var org: String
        @Option(help: "Display name.") var display: String?
        @Flag(help: "Read the password from standard input.") var passwordStdin = false
        func run() async throws {
            guard let r = Role(rawValue: role) else { throw fail(RenkouError.invalid([FieldError("/role", "role", Text("无法识别的角色 \(role)。", "Unknown role \(role)."))])) }
            guard passwordStdin, let line = readLine(strippingNewline: true) else {
                throw fail(RenkouError.invalid([FieldError("/password", "required", Text("请用 --password-stdin 从标准输入提供密码。", "Give the password on standard input with --password-stdin."))]))
            }
            try await withStores(db) { stores in
                let account = try await stores.accounts.create(username: name, displayName: display, role: r, unitCode: org, password: line, in: .everything, by: .cli())
                print("\(account.username)\t\(account.role.rawValue)\t\(account.unitCode)\t\(account.id.text)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in
                for a in try await stores.accounts.list(in: .everything) {
                    print("\(a.username)\t\(a.role.rawValue)\t\(a.unitCode)\t\(a.disabled ? "disabled" : "active")")
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account.")
        @OptionGroup var db: DatabaseOptions
        @Option var name: String
        func run() async throws { try await setDisabled(db, name, true) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable an account (also clears a login lock).")
        @OptionGroup var db: DatabaseOptions
        @Option var name: String
        func run() async throws { try await setDisabled(db, name, false) }
    }

    static func setDisabled(_ db: DatabaseOptions, _ name: String, _ disabled: Bool) async throws {
        try await withStores(db) { stores in
            guard let account = try await stores.accounts.account(username: name, in: .everything) else { throw RenkouError.notFound(Text("账号", "account")) }
            try await stores.accounts.setDisabled(account.id, disabled, in: .everything, by: .cli())
            print("\(name) \(disabled ? "disabled" : "enabled")")
        }
    }
}

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage API tokens.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a bearer token; prints the token and nothing else.")
        @OptionGroup var db: DatabaseOptions
        @Option var user: String
        @Option var label: String = "cli"
        func run() async throws {
            try await withStores(db) { stores in
                let (_, secret) = try await stores.accounts.createToken(username: user, label: label, in: .everything, by: .cli())
                print(secret)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (prefixes only).")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in
                for t in try await stores.accounts.tokens(in: .everything) {
                    print("\(t.id.text)\t\(t.username)\t\(t.label)\t\(t.prefix)…\t\(t.revokedAt == nil ? "active" : "revoked")")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id.")
        @OptionGroup var db: DatabaseOptions
        @Argument var id: String
        func run() async throws {
            try await withStores(db) { stores in
                guard let uuid = UUID(uuidString: id) else { throw RenkouError.notFound(Text("令牌", "token")) }
                try await stores.accounts.revokeToken(uuid, in: .everything, by: .cli())
                print("revoked \(id)")
            }
        }
    }
}
