import DaulatCore

/// Datasets read once each while a report is built; a dataset since deleted is nil.
struct DatasetCache<Store: DaulatStore> {
    let store: Store
    private var known: [String: Dataset?] = [:]

    init(store: Store) { self.store = store }

    mutating func dataset(_ id: String) async throws -> Dataset? {
        if let known = known[id] { return known }
        let dataset = try await store.dataset(id: id)
        known[id] = dataset
        return dataset
    }
}
