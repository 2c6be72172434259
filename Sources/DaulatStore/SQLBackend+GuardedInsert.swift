extension SQLBackend {
    /// Writes `inserts` atomically if the catalog is still at `version`; returns false, writing nothing,
    /// if it has moved on (what was planned from it must be planned again).
    func insertAll(_ inserts: [SQLInsert], ifCatalogAt version: Int64) async throws -> Bool {
        switch dialect {
        case .postgresql:
            // One statement, so one round trip and its own transaction. The catalog row is share-locked
            // at the expected version, so a catalog change either waits for this write or makes it write
            // nothing; then the audit ordering lock is taken, after the row lock as every catalog change
            // does, and before any audit entry is numbered.
            var statement: SQLStatement = """
                WITH catalog AS (SELECT version FROM catalog_version WHERE id = 1 AND version = \(version) FOR SHARE), \
                ordered AS (SELECT pg_advisory_xact_lock(\(AuditRecord.orderingLockKey)) AS locked FROM catalog)
                """
            for (index, insert) in inserts.enumerated() {
                statement = "\(statement), write\(unsafeSQL: String(index)) AS (\(insert.statement(onlyIf: "EXISTS (SELECT 1 FROM ordered)")))"
            }
            let rows = try await execute("\(statement) SELECT count(*) AS written FROM ordered")
            return try rows.first?.integer("written") == 1
        case .sqlite:
            return try await transaction { executor in
                let current = try await executor.query("SELECT version FROM catalog_version WHERE id = 1").first
                guard try current?.integer("version") == version else { return false }
                for insert in inserts {
                    try await executor.query(insert.statement)
                }
                return true
            }
        }
    }
}
