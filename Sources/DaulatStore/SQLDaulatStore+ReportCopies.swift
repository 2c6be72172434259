import DaulatCore

extension SQLDaulatStore {
    public func copies(
        onHosts hostIDs: [String], orOfDatasetsAt home: JurisdictionCode, batchSize: Int,
        _ body: ([CopyHolding]) async throws -> Void
    ) async throws {
        let onHosts: SQLStatement = hostIDs.isEmpty ? "FALSE" : "c.host_id IN \(SQLStatement.list(hostIDs))"
        // One query, as the database would copy the rows out itself: joined by hash rather than looked
        // up row by row.
        try await backend.forEachBatch(
            of: """
                SELECT c.object_id, o.dataset_id, o.size_bytes, c.host_id FROM object_copies c \
                JOIN objects o ON o.id = c.object_id JOIN datasets d ON d.id = o.dataset_id \
                WHERE \(onHosts) OR d.home = \(home.rawValue)
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
        for start in stride(from: 0, to: ids.count, by: SQLStatement.listLimit) {
            let batch = ids[start..<min(start + SQLStatement.listLimit, ids.count)]
            datasets += try await readDocuments(
                Dataset.self, "SELECT document FROM datasets WHERE id IN \(SQLStatement.list(batch))")
        }
        return datasets
    }
}
