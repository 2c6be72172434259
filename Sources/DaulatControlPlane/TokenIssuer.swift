import DaulatCore
import Foundation

/// Makes tokens: a fresh secret, stored only as its hash.
public enum TokenIssuer {
    /// A token as returned to its requester, the only time the secret is shown.
    public struct Issued: Codable, Sendable {
        public var token: APIToken
        public var secret: String
    }

    /// A new token, `lifetime` long (``APIToken/defaultLifetime`` when nil), and its secret. Not stored.
    static func make(
        name: String, role: Role, agency: String?, jurisdiction: JurisdictionCode?, lifetime: TimeInterval?,
        at time: Date
    ) -> (token: APIToken, secret: String) {
        let secret = TokenSecret.generate()
        let now = CanonicalJSON.rounded(time)
        let token = APIToken(
            id: Identifier.random(prefix: "tok-", length: 16), name: name, role: role, agency: agency,
            jurisdiction: jurisdiction, secretHash: TokenSecret.hash(secret), createdAt: now,
            expiresAt: now.addingTimeInterval(lifetime ?? APIToken.defaultLifetime))
        return (token, secret)
    }

    public static func issue(
        name: String,
        role: Role,
        agency: String?,
        jurisdiction: JurisdictionCode?,
        lifetime: TimeInterval? = nil,
        store: some DaulatStore,
        actor: String,
        at time: Date
    ) async throws -> Issued {
        let (token, secret) = make(
            name: name, role: role, agency: agency, jurisdiction: jurisdiction, lifetime: lifetime, at: time)
        try await store.addToken(token, actor: actor)
        return Issued(token: token.redacted, secret: secret)
    }

    /// Creates an operator token when the store has no live one (the first start, or every operator
    /// token expired or revoked), and returns its secret; nil when a live operator token exists.
    public static func bootstrapAdmin(store: some DaulatStore, at time: Date = Date()) async throws -> String? {
        guard try await !store.hasLiveToken(role: .operator, at: time) else { return nil }
        return try await issue(
            name: "admin", role: .operator, agency: nil, jurisdiction: nil, store: store, actor: "system:bootstrap",
            at: time
        ).secret
    }
}
