import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func allianceRulesInForce() async throws -> SignedAllianceRules? {
        try await readDocuments(
            SignedAllianceRules.self,
            "SELECT document FROM alliance_rules WHERE in_force = 1 ORDER BY version DESC LIMIT 1"
        ).first
    }

    public func latestAllianceRules() async throws -> SignedAllianceRules? {
        try await readDocuments(
            SignedAllianceRules.self, "SELECT document FROM alliance_rules ORDER BY version DESC LIMIT 1"
        ).first
    }

    public func updateAllianceRules(
        version: Int, at time: Date, actor: String,
        _ change: @Sendable (SignedAllianceRules?) throws -> (rules: SignedAllianceRules, inForce: Bool, action: String)
    ) async throws -> SignedAllianceRules {
        let lock = rowLock
        return try await backend.transaction { executor in
            // Two states signing at once: the second waits for the first's row (PostgreSQL), or for its
            // transaction (SQLite writes one at a time), and adds its signature to it.
            let before = try await executor.query(
                "SELECT document FROM alliance_rules WHERE version = \(Int64(version))\(unsafeSQL: lock)"
            ).first.map { try $0.string("document") }
            let (signed, inForce, action) = try change(
                try before.map { try CanonicalJSON.decode(SignedAllianceRules.self, from: $0) })
            let document = try CanonicalJSON.encode(signed)
            try await executor.query(
                """
                INSERT INTO alliance_rules (version, document, in_force, updated_at_ms)
                VALUES (\(Int64(version)), \(document), \(inForce ? 1 : 0), \(time.millisecondsSince1970))
                ON CONFLICT (version) DO UPDATE SET document = excluded.document, in_force = excluded.in_force,
                    updated_at_ms = excluded.updated_at_ms
                """
            )
            try await self.audit(
                executor, at: time, actor: actor, action: action, kind: "alliance_rules", id: "v\(version)",
                before: before, after: document)
            return signed
        }
    }
}
