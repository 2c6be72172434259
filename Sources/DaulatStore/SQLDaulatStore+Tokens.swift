import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func hasLiveToken(role: Role, at time: Date) async throws -> Bool {
        try await readDocuments(APIToken.self, "SELECT document FROM api_tokens WHERE role = \(role.rawValue)")
            .contains { $0.isLive(at: time) }
    }

    public func tokens() async throws -> [APIToken] {
        try await readDocuments(APIToken.self, "SELECT document FROM api_tokens ORDER BY id")
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func token(id: String) async throws -> APIToken? {
        try await readDocuments(APIToken.self, "SELECT document FROM api_tokens WHERE id = \(id)").first
    }

    public func revokeToken(id: String, at time: Date, actor: String) async throws -> APIToken {
        try await changeToken(id: id, action: "token.revoked", at: time, actor: actor) { token, _ in
            if token.revokedAt == nil { token.revokedAt = time }
        }
    }

    public func rotateToken(id: String, successor: APIToken, graceUntil: Date, actor: String) async throws
        -> APIToken
    {
        try await changeToken(id: id, action: "token.rotated", at: successor.createdAt, actor: actor) {
            token, executor in
            guard token.isLive(at: successor.createdAt) else {
                throw StoreError.refused(
                    code: "token_not_live", message: "token '\(id)' is revoked or expired; issue a new one instead")
            }
            token.expiresAt = min(token.expiresAt, graceUntil)
            token.successorID = successor.id
            try await self.insertToken(successor, at: successor.createdAt, actor: actor, executor)
        }
    }

    public func noteTokenUse(id: String, at time: Date) async throws {
        try await backend.transaction { executor in
            guard
                var token = try await Self.documents(
                    APIToken.self, "SELECT document FROM api_tokens WHERE id = \(id)\(unsafeSQL: self.rowLock)",
                    executor
                ).first
            else { return }
            token.lastUsedAt = time
            try await executor.query(
                "UPDATE api_tokens SET document = \(try CanonicalJSON.encode(token)) WHERE id = \(id)")
        }
    }

    public func claimDashboardLink(nonce: String, expiresAt: Date, at time: Date) async throws -> Bool {
        try await backend.transaction { executor in
            try await executor.query(
                "DELETE FROM dashboard_links_used WHERE expires_at_ms < \(time.millisecondsSince1970)")
            return try await !executor.query(
                """
                INSERT INTO dashboard_links_used (nonce, expires_at_ms) VALUES (\(nonce), \(expiresAt.millisecondsSince1970))
                ON CONFLICT (nonce) DO NOTHING RETURNING nonce
                """
            ).isEmpty
        }
    }

    /// Inserts a new token, audited without its hash: the log is for people to read.
    func insertToken(_ token: APIToken, at time: Date, actor: String, _ executor: Backend.Executor) async throws {
        try await executor.query(
            "INSERT INTO api_tokens (id, secret_hash, role, document) VALUES (\(token.id), \(token.secretHash), \(token.role.rawValue), \(try CanonicalJSON.encode(token)))"
        )
        try await audit(
            executor, at: time, actor: actor, action: "token.created", kind: "token", id: token.id, before: nil,
            after: try CanonicalJSON.encode(token.redacted))
    }

    /// Changes a token under a lock on its row and audits the change with `action`; the token as changed.
    private func changeToken(
        id: String, action: String, at time: Date, actor: String,
        _ change: @Sendable (inout APIToken, Backend.Executor) async throws -> Void
    ) async throws -> APIToken {
        try await backend.transaction { executor in
            guard
                let before = try await Self.documents(
                    APIToken.self, "SELECT document FROM api_tokens WHERE id = \(id)\(unsafeSQL: self.rowLock)",
                    executor
                ).first
            else { throw StoreError.notFound(kind: "token", id: id) }
            var after = before
            try await change(&after, executor)
            guard after != before else { return after }
            try await executor.query(
                "UPDATE api_tokens SET document = \(try CanonicalJSON.encode(after)) WHERE id = \(id)")
            try await self.audit(
                executor, at: time, actor: actor, action: action, kind: "token", id: id,
                before: try CanonicalJSON.encode(before.redacted), after: try CanonicalJSON.encode(after.redacted))
            return after
        }
    }
}
