/// A page of results with the count of all of them. A search that matches very many counts no further
/// than a cap (`total` is then the cap and `totalExact` false, shown as "10,000+"): the page must not
/// wait for an exact count of every match.
public struct Page<Item: Sendable & Codable>: Sendable, Codable {
    public var items: [Item]
    public var total: Int
    public var limit: Int
    public var offset: Int
    /// False when `total` is a cap the matches reach (there are at least that many).
    public var totalExact: Bool
    public init(items: [Item], total: Int, limit: Int, offset: Int, totalExact: Bool = true) {
        self.items = items; self.total = total; self.limit = limit; self.offset = offset; self.totalExact = totalExact
    }

    /// The count as a page shows it: `1,234`, or `10,000+` for a capped one.
    public var totalShown: String {
        var digits = String(total), grouped = ""
        while digits.count > 3 { grouped = "," + digits.suffix(3) + grouped; digits.removeLast(3) }
        return digits + grouped + (totalExact ? "" : "+")
    }

    /// True when a later page may hold more (in the JSON too, so that a client pages without reading `total`).
    public var hasMore: Bool { totalExact ? offset + items.count < total : limit > 0 && items.count == limit }

    enum CodingKeys: String, CodingKey { case items, total, limit, offset, totalExact, hasMore }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        items = try c.decode([Item].self, forKey: .items); total = try c.decode(Int.self, forKey: .total)
        limit = try c.decode(Int.self, forKey: .limit); offset = try c.decode(Int.self, forKey: .offset)
        totalExact = try c.decodeIfPresent(Bool.self, forKey: .totalExact) ?? true
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items); try c.encode(total, forKey: .total); try c.encode(limit, forKey: .limit)
        try c.encode(offset, forKey: .offset); try c.encode(totalExact, forKey: .totalExact); try c.encode(hasMore, forKey: .hasMore)
    }
}
