extension DaulatStore {
    /// Hands `body` every dataset `query` selects, reading them a page at a time however many there are.
    /// The query's cursor and limit are this function's to set.
    public func forEachDataset(_ query: DatasetQuery, _ body: (Dataset) async throws -> Void) async throws {
        var query = query
        query.limit = 500
        repeat {
            let page = try await datasets(query)
            for dataset in page.datasets { try await body(dataset) }
            query.cursor = page.nextCursor
        } while query.cursor != nil
    }
}
