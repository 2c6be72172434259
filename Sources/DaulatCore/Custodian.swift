/// A key custodian: a service in one jurisdiction holding the key-encryption keys of the datasets whose
/// keys may be held there. Data keys are wrapped to its public keys; it releases a share only against
/// the control plane's signed decision, re-wrapped to the requester.
public struct Custodian: Hashable, Sendable, Codable {
    public var id: String
    public var jurisdiction: JurisdictionCode
    /// The Ed25519 key (base64) it signs its dataset keys with, as it last said; nil until it has
    /// reported. Clients wrap data keys to it only once its state's signed record pins this key.
    public var identityKey: String?

    public init(id: String, jurisdiction: JurisdictionCode, identityKey: String? = nil) {
        self.id = id
        self.jurisdiction = jurisdiction
        self.identityKey = identityKey
    }

    public func validate(in alliance: Alliance) throws(DomainError) {
        try Identifier.validate(id, what: "custodian id")
        guard alliance.jurisdictions.contains(where: { $0.code == jurisdiction }) else {
            throw DomainError(
                .unknownJurisdiction, "custodian '\(id)' names unknown jurisdiction '\(jurisdiction.rawValue)'")
        }
    }
}
