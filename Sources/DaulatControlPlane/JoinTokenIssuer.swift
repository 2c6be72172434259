import DaulatCore
import DaulatPKI
import Foundation

/// Makes join tokens: a fresh secret for one host or custodian, stored only as its hash, handed out
/// with the fingerprint of the authority the daemon is to trust.
public enum JoinTokenIssuer {
    public static func issue(
        for subject: EnrolmentSubject,
        authority: AuthorityFingerprint,
        lifetime: TimeInterval,
        store: some DaulatStore,
        actor: String,
        at time: Date
    ) async throws -> IssuedJoinToken {
        let now = CanonicalJSON.rounded(time)
        let secret = TokenSecret.generate(prefix: TokenSecret.joinPrefix)
        let token = JoinToken(
            id: Identifier.random(prefix: "jt-", length: 16),
            subject: subject,
            secretHash: TokenSecret.hash(secret), createdAt: now, expiresAt: now.addingTimeInterval(lifetime)
        )
        try await store.addJoinToken(token, actor: actor)
        return IssuedJoinToken(
            id: token.id, token: JoinTokenText(secret: secret, authority: authority).description,
            authorityFingerprint: authority.description, host: subject.hostID, custodian: subject.custodianID,
            expiresAt: token.expiresAt)
    }
}
