import Foundation

/// The audit log's signing key as the store keeps it: the public half, and the private half sealed with
/// the certificate authority's sealing key, which the database never holds.
public struct StoredAuditLogKey: Hashable, Sendable {
    /// Base64 of the Ed25519 public key.
    public var publicKey: String
    public var sealedKey: String
    public var createdAt: Date

    public init(publicKey: String, sealedKey: String, createdAt: Date) {
        self.publicKey = publicKey
        self.sealedKey = sealedKey
        self.createdAt = createdAt
    }
}
