import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func addCosignature(_ cosignature: StoredCosignature) async throws -> Bool {
        try await backend.transaction { executor in
            let existing = try await executor.query(
                "SELECT size FROM audit_cosignatures WHERE jurisdiction = \(cosignature.jurisdiction.rawValue) AND size = \(cosignature.size)"
            )
            guard existing.isEmpty else { return false }
            try await executor.query(
                """
                INSERT INTO audit_cosignatures (jurisdiction, size, root, cosigned_at_ms, line)
                VALUES (\(cosignature.jurisdiction.rawValue), \(cosignature.size), \(cosignature.root), \(cosignature.cosignedAt.millisecondsSince1970), \(cosignature.line))
                ON CONFLICT (jurisdiction, size) DO NOTHING
                """
            )
            return true
        }
    }

    public func cosignatures(size: Int64) async throws -> [StoredCosignature] {
        try await backend.execute(
            "SELECT jurisdiction, size, root, cosigned_at_ms, line FROM audit_cosignatures WHERE size = \(size) ORDER BY jurisdiction"
        ).map(Self.cosignature)
    }

    public func latestCosignatures() async throws -> [StoredCosignature] {
        try await backend.execute(
            """
            SELECT c.jurisdiction, c.size, c.root, c.cosigned_at_ms, c.line FROM audit_cosignatures c
            WHERE c.size = (SELECT MAX(size) FROM audit_cosignatures d WHERE d.jurisdiction = c.jurisdiction)
            ORDER BY c.jurisdiction
            """
        ).map(Self.cosignature)
    }

    private static func cosignature(_ row: SQLRow) throws -> StoredCosignature {
        StoredCosignature(
            jurisdiction: try JurisdictionCode(try row.string("jurisdiction")), size: try row.integer("size"),
            root: try row.string("root"), cosignedAt: Date(millisecondsSince1970: try row.integer("cosigned_at_ms")),
            line: try row.string("line"))
    }
}
