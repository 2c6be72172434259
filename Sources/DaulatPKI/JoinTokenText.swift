/// A join token as an operator hands it to a new host or custodian: the one-time secret, a dot, and
/// the fingerprint of the authority the daemon is to trust (`djt_….` and 64 hex digits). The secret is
/// sent to the control plane only over a connection that authority vouches for, and an enrolment reply
/// naming any other authority is refused.
public struct JoinTokenText: Sendable, CustomStringConvertible {
    public let secret: String
    public let authority: AuthorityFingerprint

    public init(secret: String, authority: AuthorityFingerprint) {
        self.secret = secret
        self.authority = authority
    }

    /// Nil when `text` lacks the fingerprint (a token from before join tokens carried one) or is not a token.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].hasPrefix("djt_"), let authority = AuthorityFingerprint(String(parts[1]))
        else {
            return nil
        }
        self.init(secret: String(parts[0]), authority: authority)
    }

    public var description: String { secret + "." + authority.hex }
}
