/// What an enrolled certificate names: an agent (``AgentIdentity``) or a custodian
/// (``CustodianIdentity``), as one SPIFFE-style URI in its subject alternative names.
public protocol EnrolledIdentity: Hashable, Sendable {
    var uri: String { get }
    /// The certificate subject's common name: the host's or custodian's id.
    var commonName: String { get }
    /// The certificate subject's organisational unit: the site or jurisdiction.
    var organizationalUnit: String { get }
    /// The DNS name clients dial it by, for the enrolment (join token id) it belongs to (``PeerName``).
    func peerName(enrolment: String?) -> String
}

extension AgentIdentity: EnrolledIdentity {
    public var commonName: String { hostID }
    public var organizationalUnit: String { siteID }
    public func peerName(enrolment: String?) -> String { PeerName.host(hostID, enrolment: enrolment) }
}
