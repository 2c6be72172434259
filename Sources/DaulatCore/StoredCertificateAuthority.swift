import Foundation

/// The built-in certificate authority as the store keeps it: the certificate, and the private key
/// sealed with a key from the control plane's configuration, which the database never holds.
public struct StoredCertificateAuthority: Hashable, Sendable {
    /// Names the alliance in every agent identity (`spiffe://<trustDomain>/site/…/host/…`).
    public var trustDomain: String
    public var certificatePEM: String
    public var sealedKey: String
    public var createdAt: Date

    public init(trustDomain: String, certificatePEM: String, sealedKey: String, createdAt: Date) {
        self.trustDomain = trustDomain
        self.certificatePEM = certificatePEM
        self.sealedKey = sealedKey
        self.createdAt = createdAt
    }
}
