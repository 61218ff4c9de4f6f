/// A page of results with the total count.
public struct Page<Item: Sendable & Codable>: Sendable, Codable {
    public var items: [Item]
    public var total: Int
    public var limit: Int
    public var offset: Int
    public init(items: [Item], total: Int, limit: Int, offset: Int) {
        self.items = items; self.total = total; self.limit = limit; self.offset = offset
    }
}
