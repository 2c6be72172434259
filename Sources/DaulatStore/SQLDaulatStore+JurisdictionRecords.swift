import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func jurisdictionRecords() async throws -> [JurisdictionCode: String] {
        var records: [JurisdictionCode: String] = [:]
        for row in try await backend.execute("SELECT jurisdiction, signed_text FROM jurisdiction_records") {
            guard let code = try? JurisdictionCode(try row.string("jurisdiction")) else { continue }
            records[code] = try row.string("signed_text")
        }
        return records
    }

    public func saveJurisdictionRecord(
        _ signedText: String, jurisdiction: JurisdictionCode, version: Int, at time: Date, actor: String
    ) async throws {
        try await backend.transaction { executor in
            // Replaces only an earlier version, in one statement, so two saves racing cannot go backwards.
            let saved = try await executor.query(
                """
                INSERT INTO jurisdiction_records (jurisdiction, version, signed_text, signed_at_ms)
                VALUES (\(jurisdiction.rawValue), \(Int64(version)), \(signedText), \(time.millisecondsSince1970))
                ON CONFLICT (jurisdiction) DO UPDATE SET version = excluded.version,
                    signed_text = excluded.signed_text, signed_at_ms = excluded.signed_at_ms
                WHERE jurisdiction_records.version < excluded.version
                RETURNING jurisdiction
                """
            )
            guard !saved.isEmpty else {
                throw StoreError.conflict(
                    "\(jurisdiction) has signed version \(version) of its record or a later one already")
            }
            try await self.audit(
                executor, at: time, actor: actor, action: "jurisdiction.record_signed", kind: "jurisdiction",
                id: jurisdiction.rawValue, before: nil, after: signedText)
        }
    }
}
