import DaulatCore
import Foundation

/// Makes tokens: a fresh secret, stored only as its hash.
public enum TokenIssuer {
    /// A token as returned to its requester, the only time the secret is shown.
    public struct Issued: Codable, Sendable {
        public var token: APIToken
        public var secret: String
    }

    public static func issue(
        name: String,
        role: Role,
        agency: String?,
        jurisdiction: JurisdictionCode?,
        store: some DaulatStore,
        actor: String,
        at time: Date
    ) async throws -> Issued {
        let secret = TokenSecret.generate()
        var token = APIToken(
            id: Identifier.random(prefix: "tok-", length: 16), name: name, role: role, agency: agency,
            jurisdiction: jurisdiction, secretHash: TokenSecret.hash(secret), createdAt: CanonicalJSON.rounded(time)
        )
        try await store.addToken(token, actor: actor)
        token.secretHash = ""
        return Issued(token: token, secret: secret)
    }

    /// Creates the first operator token when the store has none, and returns its secret; nil when an
    /// operator token already exists.
    public static func bootstrapAdmin(store: some DaulatStore, at time: Date = Date()) async throws -> String? {
        guard try await !store.hasToken(role: .operator) else { return nil }
        return try await issue(
            name: "admin", role: .operator, agency: nil, jurisdiction: nil, store: store, actor: "system:bootstrap", at: time
        ).secret
    }
}
