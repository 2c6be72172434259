import DaulatCore

extension SQLDaulatStore {
    /// How many ids one `IN (…)` list binds: well under SQLite's and PostgreSQL's parameter limits.
    static var idsPerStatement: Int { 500 }

    public func copies(
        concerning jurisdiction: JurisdictionCode, batchSize: Int, _ body: ([CopyHolding]) async throws -> Void
    ) async throws {
        // One query, as the database would copy the rows out itself: joined by hash rather than looked
        // up row by row.
        try await backend.forEachBatch(
            of: """
                SELECT c.object_id, o.dataset_id, o.size_bytes, c.host_id FROM object_copies c \
                JOIN objects o ON o.id = c.object_id JOIN datasets d ON d.id = o.dataset_id \
                JOIN hosts h ON h.id = c.host_id JOIN sites s ON s.id = h.site_id \
                WHERE s.jurisdiction = \(jurisdiction.rawValue) OR d.home = \(jurisdiction.rawValue)
                """,
            size: batchSize
        ) { rows in
            try await body(
                try rows.map { row in
                    CopyHolding(
                        objectID: try row.string("object_id"), datasetID: try row.string("dataset_id"),
                        sizeBytes: try row.integer("size_bytes"), hostID: try row.string("host_id"))
                })
        }
    }

    public func datasets(ids: [String]) async throws -> [Dataset] {
        var datasets: [Dataset] = []
        var start = ids.startIndex
        while start < ids.endIndex {
            let end = min(start + Self.idsPerStatement, ids.endIndex)
            datasets += try await readDocuments(
                Dataset.self, "SELECT document FROM datasets WHERE id IN \(SQLStatement.list(ids[start..<end]))")
            start = end
        }
        return datasets
    }
}
