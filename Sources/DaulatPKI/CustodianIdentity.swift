import X509

/// Who a custodian is, as its certificate names it:
/// `spiffe://<trustDomain>/jurisdiction/<code>/custodian/<id>`.
public struct CustodianIdentity: EnrolledIdentity, CustomStringConvertible {
    public let trustDomain: String
    public let jurisdiction: String
    public let custodianID: String

    public init(trustDomain: String, jurisdiction: String, custodianID: String) {
        self.trustDomain = trustDomain
        self.jurisdiction = jurisdiction
        self.custodianID = custodianID
    }

    public var uri: String { "spiffe://\(trustDomain)/jurisdiction/\(jurisdiction)/custodian/\(custodianID)" }
    public var description: String { uri }
    public var commonName: String { custodianID }
    public var organizationalUnit: String { jurisdiction }
    public func peerName(enrolment: String?) -> String { PeerName.custodian(custodianID, enrolment: enrolment) }

    /// Parses an identity URI; nil for anything of another shape.
    public init?(uri: String) {
        guard uri.hasPrefix("spiffe://") else { return nil }
        let parts = uri.dropFirst("spiffe://".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[1] == "jurisdiction", parts[3] == "custodian", !parts[0].isEmpty,
            !parts[2].isEmpty, !parts[4].isEmpty
        else { return nil }
        self.init(trustDomain: String(parts[0]), jurisdiction: String(parts[2]), custodianID: String(parts[4]))
    }

    /// The identity a certificate names in its subject alternative names, if exactly one.
    public init?(certificate: Certificate) {
        let identities = CertificateAuthority.identityURIs(of: certificate).compactMap(CustodianIdentity.init(uri:))
        guard identities.count == 1 else { return nil }
        self = identities[0]
    }
}
