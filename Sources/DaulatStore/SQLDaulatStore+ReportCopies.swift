import DaulatCore

extension SQLDaulatStore {
    /// How many ids one `IN (…)` list binds: well under SQLite's and PostgreSQL's parameter limits.
    static var idsPerStatement: Int { 500 }

    public func copies(heldBy hostID: String, after objectID: String?, limit: Int) async throws -> [HeldCopy] {
        // Every object id sorts after the empty string. The host index gives the order; no sort.
        try await backend.execute(
            """
            SELECT c.object_id, o.dataset_id, o.size_bytes FROM object_copies c JOIN objects o ON o.id = c.object_id \
            WHERE c.host_id = \(hostID) AND c.object_id > \(objectID ?? "") ORDER BY c.object_id LIMIT \(max(1, limit))
            """
        ).map { row in
            HeldCopy(
                objectID: try row.string("object_id"), datasetID: try row.string("dataset_id"),
                sizeBytes: try row.integer("size_bytes"), hostID: hostID)
        }
    }

    public func copies(
        ofDataset datasetID: String, outside jurisdiction: JurisdictionCode, after position: HeldCopy?, limit: Int
    ) async throws -> [HeldCopy] {
        let objectID = position?.objectID ?? ""
        let hostID = position?.hostID ?? ""
        // The dataset's objects in id order come from its index; only each object's few copies are sorted.
        return try await backend.execute(
            """
            SELECT o.id, o.size_bytes, c.host_id FROM objects o JOIN object_copies c ON c.object_id = o.id \
            JOIN hosts h ON h.id = c.host_id JOIN sites s ON s.id = h.site_id \
            WHERE o.dataset_id = \(datasetID) AND s.jurisdiction <> \(jurisdiction.rawValue) \
            AND (o.id > \(objectID) OR (o.id = \(objectID) AND c.host_id > \(hostID))) \
            ORDER BY o.id, c.host_id LIMIT \(max(1, limit))
            """
        ).map { row in
            HeldCopy(
                objectID: try row.string("id"), datasetID: datasetID, sizeBytes: try row.integer("size_bytes"),
                hostID: try row.string("host_id"))
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
