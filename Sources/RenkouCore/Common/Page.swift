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

    /// True when a later page may hold more.
    public var hasMore: Bool { totalExact ? offset + items.count < total : items.count == limit }
}
