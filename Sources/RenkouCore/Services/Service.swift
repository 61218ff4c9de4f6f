import Foundation

/// 避孕方法: the contraceptive methods a woman (or her husband) uses, in kebab-case codes.
public enum ContraceptiveMethod: String, Sendable, Codable, CaseIterable {
    case iud, implant, injectable, oralPill = "oral-pill", condom, femaleSterilisation = "female-sterilisation"
    case maleSterilisation = "male-sterilisation", emergencyPill = "emergency-pill", topical, lam, natural, none

    public var label: Text {
        switch self {
        case .iud: Text("宫内节育器", "IUD")
        case .implant: Text("皮下埋植", "Implant")
        case .injectable: Text("避孕针", "Injectable")
        case .oralPill: Text("口服避孕药", "Oral pill")
        case .condom: Text("避孕套", "Condom")
        case .femaleSterilisation: Text("女性绝育", "Female sterilisation")
        case .maleSterilisation: Text("男性绝育", "Male sterilisation")
        case .emergencyPill: Text("紧急避孕药", "Emergency pill")
        case .topical: Text("外用避孕药具", "Topical")
        case .lam: Text("哺乳闭经避孕法", "Lactational amenorrhoea")
        case .natural: Text("自然避孕法", "Natural method")
        case .none: Text("未避孕", "None")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// 服务类别: what a provider records. Procedures (四术) imply a method start or stop.
public enum ServiceKind: String, Sendable, Codable, CaseIterable {
    case iudInsertion = "iud-insertion", iudRemoval = "iud-removal", implantInsertion = "implant-insertion"
    case implantRemoval = "implant-removal", sterilisation, abortion, methodStart = "method-start", methodStop = "method-stop"

    public var label: Text {
        switch self {
        case .iudInsertion: Text("放置宫内节育器", "IUD insertion")
        case .iudRemoval: Text("取出宫内节育器", "IUD removal")
        case .implantInsertion: Text("皮下埋植", "Implant insertion")
        case .implantRemoval: Text("取出皮下埋植", "Implant removal")
        case .sterilisation: Text("绝育术", "Sterilisation")
        case .abortion: Text("人工流产", "Induced abortion")
        case .methodStart: Text("开始使用避孕方法", "Method start")
        case .methodStop: Text("停用避孕方法", "Method stop")
        }
    }

    /// The method the service starts, when it implies one (`chosen` for a plain start).
    public func startedMethod(chosen: ContraceptiveMethod?, sex: String) -> ContraceptiveMethod? {
        switch self {
        case .iudInsertion: .iud
        case .implantInsertion: .implant
        case .sterilisation: sex == "1" ? .maleSterilisation : .femaleSterilisation
        case .methodStart: chosen
        case .abortion: chosen   // the post-abortion method she chose (PAC), if any
        case .iudRemoval, .implantRemoval, .methodStop: nil
        }
    }

    /// Whether the service ends the method in use (a removal or a stop).
    public var stopsMethod: Bool { [.iudRemoval, .implantRemoval, .methodStop].contains(self) }

    /// Whether the service starts a method, so that it must record her informed choice.
    public func needsInformedChoice(chosen: ContraceptiveMethod?) -> Bool {
        switch self {
        case .iudInsertion, .implantInsertion, .sterilisation, .methodStart: true
        case .abortion: chosen != nil   // post-abortion contraception counselling (2018 spec)
        default: false
        }
    }

    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// 知情选择: the counselling before a method starts: when and by whom, the methods explained, the one
/// chosen, the WHO medical-eligibility category (1–4; 3 and 4 need a reason to go ahead), whether the
/// spouse took part.
public struct InformedChoice: Sendable, Codable, Equatable {
    public var counselledOn: String?
    public var counsellor: String?
    public var methodsExplained: [String]?
    public var chosen: String?
    /// WHO MEC category 1–4 (5th edition, 2015).
    public var mec: Int?
    public var mecReason: String?
    public var spouseTookPart: Bool?
    public init(counselledOn: String? = nil, counsellor: String? = nil, methodsExplained: [String]? = nil, chosen: String? = nil,
                mec: Int? = nil, mecReason: String? = nil, spouseTookPart: Bool? = nil) {
        self.counselledOn = counselledOn; self.counsellor = counsellor; self.methodsExplained = methodsExplained; self.chosen = chosen
        self.mec = mec; self.mecReason = mecReason; self.spouseTookPart = spouseTookPart
    }
}

/// What a provider sends to record a service (`POST /api/v1/services`).
public struct ServiceInput: Sendable, Codable {
    public var person: String?
    public var kind: String?
    public var date: String?
    public var facility: String?
    public var provider: String?
    /// 手术结果: the outcome in words (成功 unless said otherwise).
    public var outcome: String?
    /// 并发症 and its grade (1 mild … 3 severe), when there was one.
    public var complication: String?
    public var complicationGrade: Int?
    /// For a method start or a stop: the method; for a stop, why.
    public var method: String?
    public var stopReason: String?
    public var informedChoice: InformedChoice?
    public var note: String?
    /// The signed consent form, scanned (PDF, PNG or JPEG, base64, at most 4 MB), and its file name.
    public var consentScan: String?
    public var consentScanName: String?
    public init() {}

    /// A service checked against the rules: every problem at once, under the API's pointers.
    public struct CheckedService: Sendable {
        public let person: UUID
        public let kind: ServiceKind
        public let day: Day
        public let method: ContraceptiveMethod?
        public let choice: InformedChoice?
    }

    /// Checks the service. Errors: `required`, `code-unknown`, `date-format`, `future-date`,
    /// `informed-choice-required` (a start without counselling), `methods-explained` (fewer than the
    /// policy's minimum, or no emergency contraception), `chosen-not-explained`, `mec-range`,
    /// `mec-reason-required` (category 3 or 4 without a reason), `counselled-after`.
    public func checked(today: Day, policy: Policy) throws -> CheckedService {
        var errors = FieldErrors()
        let person = self.person.flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
        if person == nil { errors.add("/person", "required", "请指定服务对象。", "Choose the person served.") }
        let kind = self.kind.flatMap { ServiceKind(rawValue: $0) }
        if kind == nil { errors.add("/kind", "code-unknown", "服务类别无效。", "Unknown kind of service.") }
        var day: Day?
        if let d = date?.trimmingCharacters(in: .whitespaces), !d.isEmpty {
            day = Day(d)
            if day == nil { errors.add("/date", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
            else if today < day! { errors.add("/date", "future-date", "日期不能晚于今天。", "The date cannot be in the future.") }
        } else { errors.add("/date", "required", "请填写服务日期。", "Give the date of the service.") }
        var method: ContraceptiveMethod?
        if let m = self.method?.trimmingCharacters(in: .whitespaces), !m.isEmpty {
            method = ContraceptiveMethod(rawValue: m)
            if method == nil { errors.add("/method", "code-unknown", "避孕方法代码无效。", "Unknown method.") }
        }
        if let g = complicationGrade, !(1...3).contains(g) { errors.add("/complicationGrade", "range", "并发症分级为 1–3。", "The complication grade is 1 to 3.") }
        var choice = informedChoice
        let chosen = (choice?.chosen).flatMap { $0.isEmpty ? nil : ContraceptiveMethod(rawValue: $0) }
        if let c = choice?.chosen, !c.isEmpty, chosen == nil { errors.add("/informedChoice/chosen", "code-unknown", "所选方法代码无效。", "Unknown method chosen.") }
        if kind == .methodStart, method == nil, chosen == nil { errors.add("/method", "required", "请选择开始使用的方法。", "Choose the method started.") }
        if let method, let chosen, method != chosen, kind?.stopsMethod == false {
            errors.add("/informedChoice/chosen", "chosen-differs", "所选方法与开始使用的方法不一致。", "The method chosen differs from the method started.")
        }
        if kind == .methodStop, method == nil { errors.add("/method", "required", "请选择停用的方法。", "Choose the method stopped.") }
        if let kind, kind.needsInformedChoice(chosen: chosen ?? method) {
            if let c = choice, c.counselledOn?.isEmpty == false {
                let minimum = policy(.methodsExplainedMinimum, on: day ?? today)
                let explained = (c.methodsExplained ?? []).compactMap(ContraceptiveMethod.init(rawValue:))
                if explained.count != (c.methodsExplained ?? []).count {
                    errors.add("/informedChoice/methodsExplained", "code-unknown", "介绍的方法中有无效代码。", "A method explained has an unknown code.")
                } else if explained.filter({ $0 != .emergencyPill && $0 != .none }).count < minimum || !explained.contains(.emergencyPill) {
                    errors.add("/informedChoice/methodsExplained", "methods-explained", "知情选择应介绍至少 \(minimum) 种避孕方法和紧急避孕。",
                               "Counselling explains at least \(minimum) methods and emergency contraception.")
                }
                let started = kind.startedMethod(chosen: chosen ?? method, sex: "2")
                if let started, started != .maleSterilisation, !explained.contains(started), !(started == .femaleSterilisation && explained.contains(.maleSterilisation)) {
                    errors.add("/informedChoice/chosen", "chosen-not-explained", "所选方法不在介绍过的方法之中。", "The method chosen was not among those explained.")
                }
                if let counselled = Day(c.counselledOn!) {
                    if let day, day < counselled { errors.add("/informedChoice/counselledOn", "counselled-after", "咨询应在服务之前或当天。", "Counselling comes before the service or on its day.") }
                } else { errors.add("/informedChoice/counselledOn", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
                if let mec = c.mec {
                    if !(1...4).contains(mec) { errors.add("/informedChoice/mec", "mec-range", "医学适用标准分级为 1–4。", "The medical-eligibility category is 1 to 4.") }
                    else if mec >= 3, (c.mecReason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                        errors.add("/informedChoice/mecReason", "mec-reason-required", "适用分级为 3 或 4 时，继续须写明理由。", "Category 3 or 4: give the reason to go ahead.")
                    }
                } else { errors.add("/informedChoice/mec", "required", "请填写医学适用标准分级（1–4）。", "Give the medical-eligibility category (1–4).") }
                choice?.chosen = (started ?? chosen)?.rawValue
            } else {
                errors.add("/informedChoice", "informed-choice-required", "开始使用避孕方法须记录知情选择（咨询日期、介绍的方法、所选方法）。",
                           "A method starts only with the informed choice recorded (counselling date, methods explained, method chosen).")
            }
        } else if kind?.stopsMethod == false, kind != .abortion {
            choice = nil
        }
        try errors.throwIfAny()
        return CheckedService(person: person!, kind: kind!, day: day!, method: method ?? chosen, choice: choice)
    }
}

/// One recorded service.
public struct ServiceRecord: Sendable, Codable, Equatable {
    public var id: UUID
    public var personID: UUID
    public var personName: String
    public var kind: ServiceKind
    public var day: String
    public var facility: String?
    public var provider: String?
    public var outcome: String?
    public var complication: String?
    public var complicationGrade: Int?
    /// The method started or stopped.
    public var method: ContraceptiveMethod?
    public var informedChoice: InformedChoice?
    public var note: String?
    /// The file name of the signed consent's scan, when one was kept.
    public var consentScanName: String?
    public var unitCode: String
    public var enteredBy: String
    public var enteredAt: String
    public init(id: UUID, personID: UUID, personName: String, kind: ServiceKind, day: String, facility: String?, provider: String?, outcome: String?,
                complication: String?, complicationGrade: Int?, method: ContraceptiveMethod?, informedChoice: InformedChoice?, note: String?,
                unitCode: String, enteredBy: String, enteredAt: String, consentScanName: String? = nil) {
        self.consentScanName = consentScanName
        self.id = id; self.personID = personID; self.personName = personName; self.kind = kind; self.day = day; self.facility = facility
        self.provider = provider; self.outcome = outcome; self.complication = complication; self.complicationGrade = complicationGrade
        self.method = method; self.informedChoice = informedChoice; self.note = note; self.unitCode = unitCode; self.enteredBy = enteredBy; self.enteredAt = enteredAt
    }
}

/// A method in use from a day (until it stops).
public struct MethodUse: Sendable, Codable, Equatable {
    public var id: UUID
    public var personID: UUID
    public var method: ContraceptiveMethod
    public var startedOn: String
    public var stoppedOn: String?
    public var stopReason: String?
    public init(id: UUID, personID: UUID, method: ContraceptiveMethod, startedOn: String, stoppedOn: String?, stopReason: String?) {
        self.id = id; self.personID = personID; self.method = method; self.startedOn = startedOn; self.stoppedOn = stoppedOn; self.stopReason = stopReason
    }
}
