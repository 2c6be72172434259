import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func allianceCharter() async throws -> String? {
        try await backend.execute("SELECT signed_text FROM alliance_charter WHERE id = 1").first?.string("signed_text")
    }

    public func establishAllianceCharter(_ signedText: String, at time: Date, actor: String) async throws -> String {
        do {
            try await backend.transaction { executor in
                try await executor.query(
                    """
                    INSERT INTO alliance_charter (id, signed_text, created_at_ms)
                    VALUES (1, \(signedText), \(time.millisecondsSince1970))
                    """
                )
                try await self.audit(
                    executor, at: time, actor: actor, action: "alliance.charter_established", kind: "alliance",
                    id: "charter", before: nil, after: signedText)
            }
        } catch StoreError.conflict {
            // Established already (by another control plane, or earlier): that one stands.
        }
        guard let stored = try await allianceCharter() else {
            throw StoreError.unavailable("the alliance charter could not be read back")
        }
        return stored
    }
}
