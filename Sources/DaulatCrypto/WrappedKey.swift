import Foundation

/// A data key (or one share of it) encrypted to one custodian's public key with HPKE (RFC 9180). Only
/// the holder of the matching private key can open it, and only for the context it was wrapped for.
public struct WrappedKey: Hashable, Sendable, Codable {
    /// The HPKE suite, named as RFC 9180 names its parts.
    public static let suite = "DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM"

    public let suite: String
    /// The custodian key (and version) it is wrapped to.
    public let recipientKeyID: String
    public let encapsulatedKey: Data
    public let ciphertext: Data

    public init(suite: String = Self.suite, recipientKeyID: String, encapsulatedKey: Data, ciphertext: Data) {
        self.suite = suite
        self.recipientKeyID = recipientKeyID
        self.encapsulatedKey = encapsulatedKey
        self.ciphertext = ciphertext
    }
}
