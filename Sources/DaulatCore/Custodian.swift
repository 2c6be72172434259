/// A key custodian: a service in one jurisdiction holding the key-encryption keys of the datasets whose
/// keys may be held there. Data keys are wrapped to its public keys; it releases a share only against
/// the control plane's signed decision, re-wrapped to the requester.
public struct Custodian: Hashable, Sendable, Codable {
    public var id: String
    public var jurisdiction: JurisdictionCode

    public init(id: String, jurisdiction: JurisdictionCode) {
        self.id = id
        self.jurisdiction = jurisdiction
    }

    public func validate(in alliance: Alliance) throws(DomainError) {
        try Identifier.validate(id, what: "custodian id")
        guard alliance.jurisdictions.contains(where: { $0.code == jurisdiction }) else {
            throw DomainError(
                .unknownJurisdiction, "custodian '\(id)' names unknown jurisdiction '\(jurisdiction.rawValue)'")
        }
    }
}
