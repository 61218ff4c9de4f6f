import ArgumentParser
import Foundation
import RenkouCore
import RenkouFiles
import RenkouStore
import SQLKit

extension Bench {
    /// Imports a generated file through Renkou and loads the same file raw (sqlite3 `.import`, or
    /// PostgreSQL `COPY` through psql) into a table with the same indexes on the columns it has (ID
    /// number unique, birth date, name + birth date), in the same run. Also prints the engine's floor
    /// for Renkou's own schema: the rows the import wrote (persons, name grams, quality verdicts)
    /// copied by the engine alone, in one statement per table, into empty tables with every index
    /// Renkou's schema gives them; what a client can do at best without changing the schema.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Time `renkou import persons` against sqlite3 .import (and PostgreSQL COPY); prints rows/s, the ratio and peak memory.")
        @Option(help: "Rows to generate; repeat for several sizes (each runs in its own process, so peak memory is per size).") var rows: [Int] = [100_000]
        @Option(help: "Rounds per size (the median is printed).") var rounds: Int = 1
        @Option(help: "Also run against this PostgreSQL database (a scratch schema bench_import is created and dropped).") var postgres: String?
        @Option(help: "Working directory for the files (default: a temporary one).") var dir: String?

        func run() async throws {
            let work = URL(fileURLWithPath: dir ?? NSTemporaryDirectory()).appendingPathComponent("renkou-bench-import-\(getpid())")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
            print("rows        engine     renkou rows/s   raw rows/s   ratio   floor rows/s   of floor   renkou peak RSS")
            for n in rows {
                let csv = work.appendingPathComponent("persons-\(n).csv")
                try BenchData.write(rows: n, to: csv)
                var engines: [(String, String?)] = [("sqlite", nil)]
                if let postgres { engines.append(("postgres", postgres)) }
                for (engine, url) in engines {
                    var renkou: [Double] = [], raw: [Double] = [], floor: [Double] = [], rss: [Int] = []
                    for round in 0..<rounds {
                        let database: String
                        if let url {
                            database = url
                            try psql(url, "DROP SCHEMA IF EXISTS bench_import CASCADE; CREATE SCHEMA bench_import;")
                        } else {
                            database = "sqlite:" + work.appendingPathComponent("r\(round)-\(n).sqlite").path
                        }
                        // Renkou, in a child process (its own peak memory).
                        let child = try run(me, ["bench", "import-one", "--file", csv.path, "--database", database] + (url != nil ? ["--schema", "bench_import"] : []))
                        let fields = child.split(separator: " ").compactMap { Double($0) }
                        guard fields.count == 2 else { throw ValidationError("import-one printed: \(child)") }
                        renkou.append(Double(n) / fields[0]); rss.append(Int(fields[1]))
                        floor.append(Double(n) / (url != nil ? try postgresFloor(url!) : try sqliteFloor(String(database.dropFirst(7)), work.appendingPathComponent("floor\(round)-\(n).sqlite").path)))
                        // The raw load of the same file into a table with the indexes persons has on these columns.
                        if let url {
                            try psql(url, "CREATE TABLE bench_import.raw (name text, id_number text UNIQUE, sex text, birth_date text, ethnic text, hukou text, marital text, address text, phone text); CREATE INDEX raw_birth ON bench_import.raw (birth_date); CREATE INDEX raw_name_birth ON bench_import.raw (name, birth_date);")
                            let start = Date()
                            try psql(url, "\\copy bench_import.raw FROM '\(csv.path)' WITH (FORMAT csv, HEADER true)")
                            raw.append(Double(n) / Date().timeIntervalSince(start))
                            try psql(url, "DROP SCHEMA IF EXISTS bench_import CASCADE;")
                        } else {
                            let rawDB = work.appendingPathComponent("raw\(round)-\(n).sqlite").path
                            _ = try run("/usr/bin/env", ["sqlite3", rawDB, """
                                PRAGMA journal_mode=WAL;
                                CREATE TABLE raw (name TEXT, id_number TEXT UNIQUE, sex TEXT, birth_date TEXT, ethnic TEXT, hukou TEXT, marital TEXT, address TEXT, phone TEXT);
                                CREATE INDEX raw_birth ON raw (birth_date);
                                CREATE INDEX raw_name_birth ON raw (name, birth_date);
                                """])
                            let loadStart = Date()
                            _ = try run("/usr/bin/env", ["sqlite3", rawDB, ".import --csv --skip 1 \(csv.path) raw"])
                            raw.append(Double(n) / Date().timeIntervalSince(loadStart))
                            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: rawDB + suffix) }
                            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: String(database.dropFirst(7)) + suffix) }
                        }
                    }
                    let r = median(renkou), b = median(raw), f = median(floor)
                    let rssMB = Int(median(rss.map(Double.init))) / 1024
                    print(String(format: "%-11d ", n) + engine.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: " %13.0f %12.0f %7.2f %14.0f %10.2f   %d MB", r, b, r / b, f, r / f, rssMB))
                }
                try? FileManager.default.removeItem(at: csv)
            }
            print("goal: ratio ≥ 0.5 at 1,000,000 rows; peak memory at 1,000,000 no higher than at 100,000")
            print("floor: the same rows copied by the engine alone into Renkou's tables with all their indexes (\(Self.floorTables.joined(separator: ", ")))")
        }

        /// The tables whose rows an import writes, in the order the floor copies them.
        static let floorTables = ["persons", "person_name_grams", "person_checks"]
        /// What the database itself writes beside them: the population counts (migration 056). On SQLite
        /// the floor's `persons` carries the triggers that write them, as Renkou's does; on PostgreSQL
        /// (`LIKE` copies no trigger) the import's counts are copied with the rest.
        static let countTables = ["population_counts"]

        /// Seconds sqlite3 takes to copy the import's rows from `source` into an empty database with the
        /// same tables and indexes (WAL, the page cache Renkou's writer has), in one transaction.
        func sqliteFloor(_ source: String, _ target: String) throws -> Double {
            var schema = "PRAGMA journal_mode=WAL;\n"
            for table in Self.countTables + Self.floorTables { schema += try run("/usr/bin/env", ["sqlite3", source, ".schema \(table)"]) + "\n" }
            _ = try run("/usr/bin/env", ["sqlite3", target, schema])
            let start = Date()
            _ = try run("/usr/bin/env", ["sqlite3", target, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; ATTACH '\(source)' AS src; BEGIN;"
                + Self.floorTables.map { " INSERT INTO main.\($0) SELECT * FROM src.\($0);" }.joined() + " COMMIT;"])
            let seconds = Date().timeIntervalSince(start)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
            return seconds
        }

        /// Seconds PostgreSQL takes to copy the import's rows from schema `bench_import` into empty
        /// tables with the same columns, constraints and indexes (`LIKE … INCLUDING ALL`), in one transaction.
        func postgresFloor(_ url: String) throws -> Double {
            let tables = Self.floorTables + Self.countTables
            try psql(url, "DROP SCHEMA IF EXISTS bench_floor CASCADE; CREATE SCHEMA bench_floor;"
                + tables.map { " CREATE TABLE bench_floor.\($0) (LIKE bench_import.\($0) INCLUDING ALL);" }.joined())
            let start = Date()
            try psql(url, "BEGIN;" + tables.map { " INSERT INTO bench_floor.\($0) SELECT * FROM bench_import.\($0);" }.joined() + " COMMIT;")
            let seconds = Date().timeIntervalSince(start)
            try psql(url, "DROP SCHEMA bench_floor CASCADE;")
            return seconds
        }

        func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }

        func psql(_ url: String, _ script: String) throws {
            _ = try run("/usr/bin/env", ["psql", "-q", "-v", "ON_ERROR_STOP=1", url.replacingOccurrences(of: "postgres://", with: "postgresql://"), "-c", script])
        }

        @discardableResult
        func run(_ tool: String, _ args: [String]) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = args
            let out = Pipe()
            p.standardOutput = out
            // psql's notices (every table a dropped scratch schema takes with it) stay out of the figures.
            p.environment = ProcessInfo.processInfo.environment.merging(["PGOPTIONS": "-c client_min_messages=warning"]) { $1 }
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw ValidationError("\(tool) \(args.prefix(2).joined(separator: " ")) failed with \(p.terminationStatus)") }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// One import in this process: prints the seconds it took and the peak resident set (KiB).
    struct ImportOne: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import-one", abstract: "One timed import (used by bench import).", shouldDisplay: false)
        @Option var file: String
        @Option var database: String
        @Option var schema: String?

        func run() async throws {
            let db = try await Database.open(url: database, searchPath: schema)
            try await db.migrate()
            let stores = Stores(db: db, bcryptCost: 4)
            try await stores.orgs.add(code: "310000", name: "上海市", level: .province, parentCode: nil, in: .everything, by: .cli())
            try await stores.orgs.add(code: "310114", name: "嘉定区", level: .district, parentCode: "310000", in: .everything, by: .cli())
            try await stores.orgs.add(code: "310114001", name: "新成路街道", level: .street, parentCode: "310114", in: .everything, by: .cli())
            try await stores.orgs.add(code: "310114001001", name: "白银路社区", level: .community, parentCode: "310114001", in: .everything, by: .cli())
            let start = Date()
            let result = try await stores.importer.run(file: URL(fileURLWithPath: file), fileName: "bench.csv", unitCode: "310114001001", mode: .validOnly, in: .everything, by: .cli("bench"))
            let seconds = Date().timeIntervalSince(start)
            await db.close()
            guard result.imported == result.read else { throw ValidationError("imported \(result.imported) of \(result.read): \(result.problems.prefix(3))") }
            var usage = rusage()
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
            print("\(seconds) \(usage.ru_maxrss)")
        }
    }
}

/// Generated rows for the import benchmark: valid, distinct ID numbers, plausible values.
enum BenchData {
    static func write(rows: Int, to url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var text = "姓名,公民身份号码,性别,出生日期,民族,户口性质,婚姻状况,现居住地址,联系电话\n"
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"), given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
        let base = Day(year: 1940, month: 1, day: 1)!
        for i in 0..<rows {
            let day = base.adding(days: i % 30_000)
            let sequence = i / 30_000
            let female = i % 2 == 1
            let first17 = "310114" + day.description.replacingOccurrences(of: "-", with: "") + String(format: "%02d%d", sequence % 100, (sequence / 100) * 2 + (female ? 0 : 1))
            let id = first17 + String(CitizenID.checkCharacter(first17)!)
            let name = String(surnames[i % surnames.count]) + String(given[(i / 7) % given.count]) + (i % 3 == 0 ? String(given[(i / 3) % given.count]) : "")
            text += "\(name),\(id),\(female ? "女" : "男"),\(day.description),汉族,\(i % 4 == 0 ? "农业" : "非农业"),\(day.year < 1995 ? "已婚" : "未婚"),白银路 \(i % 500) 号,139\(String(format: "%08d", i))\n"
            if text.utf8.count > 1 << 20 { try handle.write(contentsOf: Data(text.utf8)); text = "" }
        }
        try handle.write(contentsOf: Data(text.utf8))
    }
}
