/// A ``KeyReleaseRecord`` with the custodian's signature (ECDSA P-256 over its `signedBytes`, base64 of
/// the DER) and the enrolled certificate (PEM) whose key made it, as the audit log keeps it.
public struct SignedKeyRelease: Hashable, Sendable, Codable {
    public var record: KeyReleaseRecord
    public var signature: String
    public var certificate: String

    public init(record: KeyReleaseRecord, signature: String, certificate: String) {
        self.record = record
        self.signature = signature
        self.certificate = certificate
    }
}
