extension Optional {
    /// `map` with an async transform: the transformed value, or nil when there is none.
    public func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self { case .some(let v): try await transform(v); case .none: nil }
    }
}
