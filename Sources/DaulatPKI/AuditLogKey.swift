import Crypto
import DaulatCore
import Foundation

/// The alliance's audit log key (Ed25519): it signs tree heads, and its public half is all a regulator
/// needs to check them. Kept in the store sealed with the certificate authority's sealing key, under
/// its own purpose.
public struct AuditLogKey: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey

    private static let sealingContext = Data("daulat audit log key v1".utf8)

    public static func generate() -> AuditLogKey { AuditLogKey(privateKey: Curve25519.Signing.PrivateKey()) }

    private init(privateKey: Curve25519.Signing.PrivateKey) { self.privateKey = privateKey }

    public init(sealed: String, sealingKey: CertificateAuthorityKey) throws {
        let raw = try sealingKey.open(sealed, context: Self.sealingContext)
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw CertificateAuthorityError.wrongSealingKey
        }
        privateKey = key
    }

    public func sealed(with sealingKey: CertificateAuthorityKey) throws -> String {
        try sealingKey.seal(privateKey.rawRepresentation, context: Self.sealingContext)
    }

    /// Base64 of the 32-byte public key.
    public var publicKey: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }

    public func sign(size: Int64, root: [UInt8], at timestamp: Date) throws -> SignedTreeHead {
        let rootText = Data(root).base64EncodedString()
        let signature = try privateKey.signature(
            for: SignedTreeHead.signedBytes(size: size, root: rootText, timestamp: timestamp))
        return SignedTreeHead(
            size: size, root: rootText, timestamp: timestamp, signature: signature.base64EncodedString())
    }

    /// Whether `head` was signed by the key whose public half is `publicKey` (base64).
    public static func verify(_ head: SignedTreeHead, publicKey: String) -> Bool {
        guard let keyBytes = Data(base64Encoded: publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
            let signature = Data(base64Encoded: head.signature)
        else { return false }
        return key.isValidSignature(signature, for: head.signedBytes)
    }
}
