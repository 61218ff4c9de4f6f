/// The two interface languages. zh-Hans is the default everywhere.
public enum Lang: String, Sendable, Codable, CaseIterable {
    case zh = "zh-Hans"
    case en = "en"

    /// Parses a cookie, query or Accept-Language value; anything unknown is zh-Hans.
    public init(tag: String?) {
        guard let tag = tag?.lowercased() else { self = .zh; return }
        self = tag.hasPrefix("en") ? .en : .zh
    }
}

/// A piece of user-facing text in both languages.
public struct Text: Sendable, Equatable, Codable {
    public var zh: String
    public var en: String
    public init(_ zh: String, _ en: String) { self.zh = zh; self.en = en }
    public func callAsFunction(_ lang: Lang) -> String { lang == .zh ? zh : en }
}
