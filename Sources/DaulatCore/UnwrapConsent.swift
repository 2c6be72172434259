import Foundation

/// What the owner state's side signs before any custodian releases a key: the owning agency's member
/// for its own reads (owner access, disaster recovery), or the home state's authority for a
/// regulator's order or a law-enforcement request. It names the one-time key the shares are re-wrapped
/// to, so a consent stolen on the way opens nothing for anyone else.
public struct UnwrapConsent: Codable, Sendable, Equatable {
    public static let signaturePurpose = "unwrap-consent"
    /// The longest a consent may be good for.
    public static let longestLife: TimeInterval = 600

    /// Random, for the audit log.
    public var id: String
    public var request: UnwrapRequest
    /// The requester's one-time HPKE public key (P-256, X9.63, base64).
    public var requesterKey: String
    /// The member who signed; absent when the home state's authority signed an order.
    public var member: MemberID?
    public var issuedAt: Date
    public var expiresAt: Date

    public init(
        id: String, request: UnwrapRequest, requesterKey: String, member: MemberID?, issuedAt: Date, expiresAt: Date
    ) {
        self.id = id
        self.request = request
        self.requesterKey = requesterKey
        self.member = member
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// Who signed it, in words for the audit log.
    public var signer: String { member?.description ?? "authority of the dataset's home state" }
}
