import Foundation

/// The control plane's signed answer to an unwrap request that the custody rule allowed: custodians
/// release a key share only against one, once, before it expires, re-wrapped to the requester's
/// one-time public key. Custodians check it with the alliance's certificate authority, and the owner
/// state's consent it carries with the charter they pinned; they need neither the policy nor the
/// control plane to be reachable, and the control plane's signature alone releases nothing.
public struct UnwrapDecision: Hashable, Sendable, Codable {
    public static let signaturePurpose = "unwrap decision"

    /// Random; a custodian accepts each decision once.
    public var id: String
    public var request: UnwrapRequest
    /// Who asked (a token's audit name), for the custodians' audit.
    public var requester: String
    /// The data key the shares are of.
    public var keyID: String
    /// The jurisdictions whose custodians may release a share for it now: where keys may be held.
    public var keyJurisdictions: [JurisdictionCode]
    /// The requester's one-time HPKE public key (P-256, X9.63, base64) the share is re-wrapped to.
    public var requesterKey: String
    public var issuedAt: Date
    public var expiresAt: Date
    /// The owner state's signed ``UnwrapConsent`` for this very request and requester key.
    public var consent: String
    /// The signing member's certificate; absent when the home state's authority signed an order.
    public var memberCertificate: String?
    /// Whose data it is, as the control plane records it: the consent must come from them.
    public var ownerAgency: String
    public var home: JurisdictionCode
    /// The dataset's classification: a custodian checks the processing jurisdiction against its rule
    /// and the agreements in force by their parties' signatures, not against the control plane's say-so.
    public var classification: String

    public init(
        id: String, request: UnwrapRequest, requester: String, keyID: String, keyJurisdictions: [JurisdictionCode],
        requesterKey: String, issuedAt: Date, expiresAt: Date, consent: String, memberCertificate: String?,
        ownerAgency: String, home: JurisdictionCode, classification: String
    ) {
        self.classification = classification
        self.consent = consent
        self.memberCertificate = memberCertificate
        self.ownerAgency = ownerAgency
        self.home = home
        self.id = id
        self.request = request
        self.requester = requester
        self.keyID = keyID
        self.keyJurisdictions = keyJurisdictions
        self.requesterKey = requesterKey
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}
