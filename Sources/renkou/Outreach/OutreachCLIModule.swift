import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou outreach …` and `renkou association …`: the year's progress and activities, recording an
/// activity, the boards, the reminders, a survey's results; the volunteers' reports.
struct OutreachCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [OutreachCommand.self, AssociationCommand.self] }
}

struct OutreachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outreach", abstract: "Publicity, trainings and the population school (宣传培训): progress, activities, boards, surveys.",
                                                    subcommands: [Progress.self, Activities.self, Record.self, Boards.self, Remind.self, SurveyResults.self])

    struct Progress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each community's year against its targets, one JSON line each, those behind first; exits 1 when one is behind.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        @Option(help: "The year (default: this year).") var year: Int?
        func run() async throws {
            var behind = false
            try await withStores(db) { stores in
                let today = Day(stores.env.now())
                let rows = try await stores.outreach.progress(year: year ?? today.year, on: today, in: try await stores.scope(org: org))
                for r in rows { try printJSON(r) }
                behind = rows.contains { $0.behind > 0 }
            }
            if behind { throw ExitCode(1) }
        }
    }

    struct Activities: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The activities of a year, one JSON line each, oldest first.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        @Option(help: "The year (default: this year).") var year: Int?
        @Option(help: "Only this kind (publicity, training, school, meeting, service).") var kind: String?
        func run() async throws {
            let k = try kind.map { k -> OutreachKind in guard let v = OutreachKind(rawValue: k) else { throw ValidationError("no kind \(k)") }; return v }
            try await withStores(db) { stores in
                for a in try await stores.outreach.list(year: year ?? Day(stores.env.now()).year, kind: k, in: try await stores.scope(org: org)) { try printJSON(a) }
            }
        }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an activity (a training's attendance by ID numbers); prints it as JSON.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "publicity, training, school, meeting or service.") var kind: String
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The topic.") var topic: String
        @Option(help: "The day (YYYY-MM-DD, default today).") var day: String?
        @Option(help: "A training's audience: propagandist or resident.") var audience: String?
        @Option(help: "The key date's code (association-day, population-day, open-letter-day, mens-health-day).") var keyDate: String?
        @Option(help: "The ID number of one who came (repeat).") var attendee: [String] = []
        @Option(help: "How many came.") var headcount: Int?
        @Option(help: "Where.") var place: String?
        func run() async throws {
            try await withStores(db) { stores in
                try printJSON(try await stores.outreach.record(ActivityInput(kind: kind, unit: unit, day: day, topic: topic, place: place, audience: audience, keyDate: keyDate,
                                                                             attendees: attendee, headcount: headcount), in: .everything, by: .cli()))
            }
        }
    }

    struct Boards: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The publicity boards with their next renewal, overdue first, one JSON line each.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        func run() async throws {
            try await withStores(db) { stores in
                for b in try await stores.outreach.boards(on: Day(stores.env.now()), in: try await stores.scope(org: org)) { try printJSON(b) }
            }
        }
    }

    struct Remind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put the coming key dates and board renewals on the task lists (the daily job does this too); prints how many.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in print(try await stores.outreach.remind(on: Day(stores.env.now()))) }
        }
    }

    struct SurveyResults: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "survey-results", abstract: "A survey's results, all of it and per community, as JSON.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The survey's id.") var id: String
        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("not a survey id: \(id)") }
            struct Out: Encodable { let survey: Survey; let overall: SurveyResult; let units: [SurveyResult] }
            try await withStores(db) { stores in
                let r = try await stores.surveys.results(uuid, in: .everything)
                try printJSON(Out(survey: try await stores.surveys.survey(uuid, in: .everything), overall: r.overall, units: r.units))
            }
        }
    }
}

struct AssociationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "association", abstract: "The family-planning association (计生协会): associations, volunteers' reports.",
                                                    subcommands: [List.self, Reports.self, Report.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The associations, one JSON line each.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        func run() async throws {
            try await withStores(db) { stores in for a in try await stores.associations.list(in: try await stores.scope(org: org)) { try printJSON(a) } }
        }
    }

    struct Reports: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The volunteers' reports with their check's state, newest first, one JSON line each.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        func run() async throws {
            try await withStores(db) { stores in for r in try await stores.associations.reports(in: try await stores.scope(org: org), role: nil, by: .cli()) { try printJSON(r) } }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record what a volunteer reports; it goes on the unit's task list. Prints it as JSON.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The reporting member's id.") var reporter: String
        @Option(help: "new-arrival, pregnancy, birth, departure or need-help.") var kind: String
        @Option(help: "The address.") var address: String
        @Option(help: "The unit to check it (default: the association's).") var unit: String?
        @Option(help: "The ID number of the person, if in the registry.") var person: String?
        @Option(help: "A note.") var note: String?
        func run() async throws {
            try await withStores(db) { stores in
                try printJSON(try await stores.associations.report(VolunteerReportInput(reporter: reporter, kind: kind, unit: unit, address: address, person: person, note: note),
                                                                   in: .everything, by: .cli()))
            }
        }
    }
}
