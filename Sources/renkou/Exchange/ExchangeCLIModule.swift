import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou exchange identity|peer`: this node and the nodes it talks to.
struct ExchangeCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [ExchangeCommand.self] }
    var benchCommands: [any ParsableCommand.Type] { [Bench.Exchange.self] }
}

struct ExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exchange", abstract: "The exchange between deployments (信息交换): this node and its peers.",
                                                    subcommands: [Identity.self, Peer.self, Request.self, Send.self, Status.self, Retry.self, Close.self])

    /// 协查: verification requests about people of the registry, by ID number (one, several, or a file
    /// of them, one per line: the month's batch), each to the node of her hukou region.
    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask the hukou regions to verify people (协查): one message per ID number; prints one JSON line each.")
        @OptionGroup var db: DatabaseOptions
        @Option(name: .customLong("id-number"), help: "An ID number (repeatable).") var idNumbers: [String] = []
        @Option(help: "A file of ID numbers, one per line.") var file: String?
        @Option(help: "pregnancy, contraception, marital-status, residence or childcare-claim (about a child: answered at once from the lists there).") var question: String = "pregnancy"
        @Flag(help: "Urgent (15 days instead of 30).") var urgent = false
        func run() async throws {
            var numbers = idNumbers
            if let file { numbers += try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            guard !numbers.isEmpty else { throw ValidationError("give --id-number or --file") }
            try await withStores(db) { stores in
                for number in numbers {
                    var q = PersonQuery(); q.idNumber = number
                    guard let person = try await stores.persons.search(q, in: .everything, by: .cli("exchange")).items.first else {
                        print(#"{"idNumber":"\#(number)","error":"unknown-person"}"#); continue
                    }
                    do {
                        let m = try await stores.exchange.request(person: person.id, question: question, urgent: urgent, in: .everything, by: .cli("exchange"))
                        print(#"{"idNumber":"\#(number)","message":"\#(m.id.text)","receiver":"\#(m.receiver)","deadline":"\#(m.deadline ?? "")"}"#)
                    } catch let error as RenkouError {
                        print(#"{"idNumber":"\#(number)","error":"\#(error.fields.first?.code ?? error.code)"}"#)
                    }
                }
            }
        }
    }

    /// An operator sends a refused or failed message again now.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a refused or failed message again now (audited).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The message id.") var id: String
        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("not a message id: \(id)") }
            try await withStores(db) { try await $0.exchange.retryNow(uuid, by: .cli("exchange")) }
        }
    }

    /// An operator gives up on a refused or failed message.
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a refused or failed message by hand, with the reason (audited).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The message id.") var id: String
        @Option(help: "Why it is closed.") var reason: String
        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("not a message id: \(id)") }
            try await withStores(db) { try await $0.exchange.close(uuid, reason: reason, by: .cli("exchange")) }
        }
    }

    /// One pass of the sender (what `renkou serve` does every two seconds).
    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send the outbox's due messages now; prints what happened (JSON).")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in print(String(decoding: try JSONEncoder.sorted.encode(try await stores.exchange.deliverDue()), as: UTF8.self)) }
        }
    }

    /// The outbox by state, and the inbox's size.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count the outbox by state and the messages received.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in
                let counts = try await stores.exchange.counts()
                for state in ["pending", "delivered", "refused", "failed", "closed"] { print("out.\(state)\t\(counts.outbox[state] ?? 0)") }
                for (state, n) in counts.inbox.sorted(by: { $0.key < $1.key }) { print("in.\(state)\t\(n)") }
                print("in\t\(counts.inbox.values.reduce(0, +))")
                for (reason, n) in counts.rejected.sorted(by: { $0.key < $1.key }) { print("rejected.\(reason)\t\(n)") }
                print("visits.open\t\(counts.visits)\nvisits.messages\t\(counts.visitedMessages)")
            }
        }
    }

    /// Prints this node's code, URL and public key (JSON); sets the code or URL when given. The key
    /// pair is made on first use.
    struct Identity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print (or set) this node's code, URL and public key.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "This node's code (its area code).") var code: String?
        @Option(help: "The URL peers reach this node at.") var url: String?
        @Flag(inversion: .prefixedNo, help: "Forward messages for other nodes this node has a route for (a hub).") var hub: Bool?
        @Flag(help: "Make a new key pair (give peers the new public key).") var rotateKey = false
        func run() async throws {
            try await withStores(db) { stores in
                let node = try await stores.exchange.identity(code: code, url: url, hub: hub, rotateKey: rotateKey, by: .cli("exchange"))
                print(String(decoding: try JSONEncoder.sorted.encode(node), as: UTF8.self))
            }
        }
    }

    struct Peer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The peers: add (or replace, rotating the key), list, disable, enable.",
                                                        subcommands: [Add.self, List.self, Disable.self, Enable.self])
        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a peer, or replace one with the same code (a new key is a rotation).")
            @OptionGroup var db: DatabaseOptions
            @Option(help: "The peer's node code.") var code: String
            @Option(help: "Where it is reached.") var url: String
            @Option(help: "Its public key (base64).") var key: String
            @Option(help: "Area-code prefixes it serves, comma-separated.") var areas: String = ""
            @Flag(name: .customLong("default"), help: "The default route: the hub for every area no other peer serves.") var isDefault = false
            func run() async throws {
                try await withStores(db) { stores in
                    let p = try await stores.exchange.addPeer(code: code, url: url, key: key, areas: areas.split(separator: ",").map(String.init), isDefault: isDefault, by: .cli("exchange"))
                    print(String(decoding: try JSONEncoder.sorted.encode(p), as: UTF8.self))
                }
            }
        }
        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the peers (JSON lines).")
            @OptionGroup var db: DatabaseOptions
            func run() async throws {
                try await withStores(db) { stores in
                    for p in try await stores.exchange.peers() { print(String(decoding: try JSONEncoder.sorted.encode(p), as: UTF8.self)) }
                }
            }
        }
        struct Disable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Stop talking to a peer (its messages are refused).")
            @OptionGroup var db: DatabaseOptions
            @Argument(help: "The peer's code.") var code: String
            func run() async throws { try await withStores(db) { try await $0.exchange.setPeer(code, enabled: false, by: .cli("exchange")) } }
        }
        struct Enable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Talk to a disabled peer again.")
            @OptionGroup var db: DatabaseOptions
            @Argument(help: "The peer's code.") var code: String
            func run() async throws { try await withStores(db) { try await $0.exchange.setPeer(code, enabled: true, by: .cli("exchange")) } }
        }
    }
}
