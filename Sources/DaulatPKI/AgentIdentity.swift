import Foundation
import X509

/// Who an agent is, as its certificate names it: `spiffe://<trustDomain>/site/<site>/host/<host>`.
public struct AgentIdentity: Hashable, Sendable, CustomStringConvertible {
    public let trustDomain: String
    public let siteID: String
    public let hostID: String

    public init(trustDomain: String, siteID: String, hostID: String) {
        self.trustDomain = trustDomain
        self.siteID = siteID
        self.hostID = hostID
    }

    public var uri: String { "spiffe://\(trustDomain)/site/\(siteID)/host/\(hostID)" }
    public var description: String { uri }

    /// Parses an identity URI; nil for anything of another shape.
    public init?(uri: String) {
        guard uri.hasPrefix("spiffe://") else { return nil }
        let parts = uri.dropFirst("spiffe://".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[1] == "site", parts[3] == "host", !parts[0].isEmpty, !parts[2].isEmpty,
            !parts[4].isEmpty
        else { return nil }
        self.init(trustDomain: String(parts[0]), siteID: String(parts[2]), hostID: String(parts[4]))
    }

    /// The identity a certificate names in its subject alternative names, if exactly one.
    public init?(certificate: Certificate) {
        let identities = CertificateAuthority.identityURIs(of: certificate).compactMap(AgentIdentity.init(uri:))
        guard identities.count == 1 else { return nil }
        self = identities[0]
    }
}
