import Foundation

/// 调查类别.
public enum SurveyKind: String, Sendable, Codable, CaseIterable {
    /// 知识知晓调查: questions with a right answer; the knowledge rate.
    case knowledge
    /// 满意度测评: how satisfied residents are with the services.
    case satisfaction
    /// 双评 (群众评议计生工作、评议计生干部): residents rate each unit's work.
    case dualEvaluation = "dual-evaluation"
    public var label: Text {
        switch self {
        case .knowledge: Text("知识知晓调查", "Knowledge survey")
        case .satisfaction: Text("满意度测评", "Satisfaction survey")
        case .dualEvaluation: Text("双评（群众评议）", "Residents' evaluation")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// One question: its options, and which answer is right (a knowledge question) or which answers
/// count as satisfied (a satisfaction question: by default the first two of 满意 / 基本满意 / 不满意,
/// the first of two).
public struct SurveyQuestion: Sendable, Codable, Equatable {
    public var text: String
    public var options: [String]
    /// The right option (0-based) of a knowledge question.
    public var correct: Int?
    /// The options (0-based) that count as satisfied.
    public var satisfied: [Int]?
    public init(text: String, options: [String], correct: Int? = nil, satisfied: [Int]? = nil) {
        self.text = text; self.options = options; self.correct = correct; self.satisfied = satisfied
    }
    /// Whether option `answer` counts for the rate (right, or satisfied: unmarked, the first two of
    /// three or more options, the first of two).
    public func positive(_ answer: Int, kind: SurveyKind) -> Bool {
        kind == .knowledge ? answer == correct : (satisfied ?? (options.count >= 3 ? [0, 1] : [0])).contains(answer)
    }
}

/// What the office writes to open a survey.
public struct SurveyInput: Sendable, Codable, Equatable {
    public var kind: String?
    public var unit: String?
    public var title: String?
    public var day: String?
    public var questions: [SurveyQuestion]?
    public init(kind: String? = nil, unit: String? = nil, title: String? = nil, day: String? = nil, questions: [SurveyQuestion]? = nil) {
        self.kind = kind; self.unit = unit; self.title = title; self.day = day; self.questions = questions
    }
}

/// A survey with its questions.
public struct Survey: Sendable, Codable, Equatable {
    public var id: UUID
    public var kind: SurveyKind
    public var unitCode: String
    public var unitName: String
    public var title: String
    public var openedOn: String
    public var questions: [SurveyQuestion]
    /// The seed of the last sample drawn (the same seed draws the same people).
    public var seed: Int?
    public var responses: Int
    public init(id: UUID, kind: SurveyKind, unitCode: String, unitName: String, title: String, openedOn: String, questions: [SurveyQuestion], seed: Int?, responses: Int) {
        self.id = id; self.kind = kind; self.unitCode = unitCode; self.unitName = unitName; self.title = title; self.openedOn = openedOn; self.questions = questions
        self.seed = seed; self.responses = responses
    }
}

/// A survey's figures for one unit (the respondents' community, or the unit an anonymous answer was
/// collected in): answers given, answers right or satisfied, the rate.
public struct SurveyResult: Sendable, Codable, Equatable {
    public var unitCode: String
    public var unitName: String
    public var respondents: Int
    public var answers: Int
    public var positive: Int
    /// Per question: the answers right or satisfied.
    public var perQuestion: [Int]
    /// Per question: the answers given (a skipped question is not one).
    public var perQuestionAnswers: [Int]
    public var rate: Double? { answers == 0 ? nil : Double(positive) / Double(answers) }
    public init(unitCode: String, unitName: String, respondents: Int, answers: Int, positive: Int, perQuestion: [Int], perQuestionAnswers: [Int]) {
        self.unitCode = unitCode; self.unitName = unitName; self.respondents = respondents; self.answers = answers; self.positive = positive; self.perQuestion = perQuestion
        self.perQuestionAnswers = perQuestionAnswers
    }
}
