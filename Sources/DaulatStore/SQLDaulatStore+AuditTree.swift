import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func auditLogSize() async throws -> Int64 {
        try await backend.execute("SELECT count(*) AS size FROM audit_log").first?.integer("size") ?? 0
    }

    public func auditLogKey() async throws -> StoredAuditLogKey? {
        try await backend.execute("SELECT public_key, sealed_key, created_at_ms FROM audit_log_key WHERE id = 1")
            .first.map(Self.auditLogKey)
    }

    public func establishAuditLogKey(_ key: StoredAuditLogKey) async throws -> StoredAuditLogKey {
        try await backend.transaction { executor in
            let inserted = try await executor.query(
                """
                INSERT INTO audit_log_key (id, public_key, sealed_key, created_at_ms)
                VALUES (1, \(key.publicKey), \(key.sealedKey), \(key.createdAt.millisecondsSince1970))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """
            )
            // The key that will sign every head is itself the first thing a regulator can look up.
            if !inserted.isEmpty {
                try await self.audit(
                    executor, at: key.createdAt, actor: "system:bootstrap", action: "audit_log.key_created",
                    kind: "audit_log", id: "key", before: nil,
                    after: try CanonicalJSON.encode(["algorithm": "Ed25519", "publicKey": key.publicKey]))
            }
            guard
                let row = try await executor.query(
                    "SELECT public_key, sealed_key, created_at_ms FROM audit_log_key WHERE id = 1"
                ).first
            else { throw StoreError.unavailable("the audit log key was not kept") }
            return try Self.auditLogKey(row)
        }
    }

    public func addTreeHead(_ head: SignedTreeHead) async throws -> SignedTreeHead {
        try await backend.transaction { executor in
            try await executor.query(
                """
                INSERT INTO tree_heads (size, root, at_ms, signature)
                VALUES (\(head.size), \(head.root), \(head.timestamp.millisecondsSince1970), \(head.signature))
                ON CONFLICT (size) DO NOTHING
                """
            )
            guard
                let row = try await executor.query(
                    "SELECT size, root, at_ms, signature FROM tree_heads WHERE size = \(head.size)"
                ).first
            else { throw StoreError.unavailable("the tree head was not kept") }
            return try Self.treeHead(row)
        }
    }

    public func latestTreeHead() async throws -> SignedTreeHead? {
        try await backend.execute("SELECT size, root, at_ms, signature FROM tree_heads ORDER BY size DESC LIMIT 1")
            .first.map(Self.treeHead)
    }

    public func treeHead(size: Int64) async throws -> SignedTreeHead? {
        try await backend.execute("SELECT size, root, at_ms, signature FROM tree_heads WHERE size = \(size)")
            .first.map(Self.treeHead)
    }

    private static func auditLogKey(_ row: SQLRow) throws -> StoredAuditLogKey {
        StoredAuditLogKey(
            publicKey: try row.string("public_key"), sealedKey: try row.string("sealed_key"),
            createdAt: Date(millisecondsSince1970: try row.integer("created_at_ms")))
    }

    private static func treeHead(_ row: SQLRow) throws -> SignedTreeHead {
        SignedTreeHead(
            size: try row.integer("size"), root: try row.string("root"),
            timestamp: Date(millisecondsSince1970: try row.integer("at_ms")), signature: try row.string("signature"))
    }
}
