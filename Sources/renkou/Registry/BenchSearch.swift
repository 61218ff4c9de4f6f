import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore
import SQLKit

extension Bench {
    /// Times registry searches as a district user makes them (count, page, audit row included).
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time searches by exact ID number, by name substring, by a surname and by the given-name part a worker types; prints p50, p99 and their ratio.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Searches of each kind.") var queries: Int = 300

        func run() async throws {
            try await withStores(db) { stores in
                let total = try await stores.persons.count(in: .everything)
                guard total > 0 else { throw RenkouError.notFound(Text("人员（请先运行 renkou demo）", "people (run renkou demo first)")) }
                // Sample people spread over the table: their ID numbers and two-character name fragments.
                let sample = try await stores.db.read { db in
                    try await db.raw("SELECT id_number, name FROM persons ORDER BY id LIMIT \(unsafeRaw: String(queries)) OFFSET \(unsafeRaw: String(max(0, total / 2 - queries / 2)))").all().map {
                        (try $0.decode(column: "id_number", as: String.self), try $0.decode(column: "name", as: String.self))
                    }
                }
                // The district the people live in (not the first unit of the code table, which may hold nobody).
                let personPath = try await stores.db.read { db in
                    try await db.raw("SELECT path FROM persons ORDER BY id LIMIT 1").first()?.decode(column: "path", as: String.self)
                } ?? "/"
                let scope = Scope(path: "/" + personPath.split(separator: "/").prefix(2).joined(separator: "/") + "/")
                let actor = Actor.cli("bench")
                func time(countCap: Int = ListCount.cap, _ make: (String, String) -> PersonQuery) async throws -> [Double] {
                    var ms: [Double] = []
                    for (id, name) in sample {
                        let q = make(id, name)
                        let start = DispatchTime.now().uptimeNanoseconds
                        _ = try await stores.persons.search(q, in: scope, by: actor, countCap: countCap)
                        ms.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    }
                    return ms.sorted()
                }
                func pct(_ xs: [Double], _ p: Double) -> Double { xs[min(xs.count - 1, Int(Double(xs.count) * p))] }
                let exact = try await time { id, _ in var q = PersonQuery(); q.idNumber = id; return q }
                let substring = try await time { _, name in var q = PersonQuery(); q.name = String(name.suffix(2)); return q }
                // One character (a surname): the largest answers a worker gets from the name box.
                let single = try await time { _, name in var q = PersonQuery(); q.name = String(name.prefix(1)); return q }
                // As a worker types part of a name: the given name's first character, or the whole given name
                // of two (the name without its one-character surname), alternately.
                func given(_ name: String, _ turn: Int) -> PersonQuery {
                    let given = name.count > 1 ? String(name.dropFirst()) : name
                    var q = PersonQuery(); q.name = turn % 2 == 0 && given.count >= 2 ? String(given.prefix(2)) : String(given.prefix(1)); return q
                }
                var turn = 0
                let worker = try await time { _, name in turn += 1; return given(name, turn) }
                // The baseline, in the same run: the same queries counting every match exactly.
                turn = 0
                let exactCount = try await time(countCap: Int.max - 1) { _, name in turn += 1; return given(name, turn) }
                // The list of women of reproductive age of the whole area, first page (the filtered list a
                // worker opens most), ten times.
                var wraList: [Double] = [], wraShown = ""
                for _ in 0..<10 {
                    var q = PersonQuery(); q.womenOfReproductiveAge = true; q.status = "active"
                    let start = DispatchTime.now().uptimeNanoseconds
                    wraShown = try await stores.persons.search(q, in: scope, by: actor).totalShown
                    wraList.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                }
                wraList.sort()
                print("engine: \(stores.db.engine.rawValue)   persons: \(total)   area: \(scope.path)   searches of each kind: \(sample.count)")
                print(String(format: "exact ID number    p50 %8.2f ms   p99 %8.2f ms   (goal p99 < 5 ms)", pct(exact, 0.5), pct(exact, 0.99)))
                print(String(format: "name substring     p50 %8.2f ms   p99 %8.2f ms   (goal p99 < 100 ms)", pct(substring, 0.5), pct(substring, 0.99)))
                print(String(format: "one character      p50 %8.2f ms   p99 %8.2f ms   (a surname: the largest answers)", pct(single, 0.5), pct(single, 0.99)))
                print(String(format: "given-name part    p50 %8.2f ms   p99 %8.2f ms   (1 or 2 characters as a worker types; goal p99 < 100 ms; counts stop at %ld)",
                             pct(worker, 0.5), pct(worker, 0.99), ListCount.cap))
                print(String(format: "  same, exact count p50 %8.2f ms   p99 %8.2f ms   (baseline; capped/exact p50 %.2f×, p99 %.2f×)",
                             pct(exactCount, 0.5), pct(exactCount, 0.99), pct(worker, 0.5) / pct(exactCount, 0.5), pct(worker, 0.99) / pct(exactCount, 0.99)))
                print(String(format: "WRA list, 1st page p50 %8.2f ms   max %8.2f ms   (10 runs; %@ women)", pct(wraList, 0.5), wraList.last ?? 0, wraShown))
                print(String(format: "ratio substring/exact: p50 %.1f×, p99 %.1f×", pct(substring, 0.5) / pct(exact, 0.5), pct(substring, 0.99) / pct(exact, 0.99)))
            }
        }
    }
}
