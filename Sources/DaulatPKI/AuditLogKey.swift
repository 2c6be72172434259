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
        return SignedTreeHead(
            size: size, root: rootText, timestamp: timestamp,
            signature: try signature(for: SignedTreeHead.signedBytes(size: size, root: rootText, timestamp: timestamp)))
    }

    /// The log's C2SP signature of `checkpoint`, named after its origin.
    public func sign(_ checkpoint: Checkpoint) throws -> SignedNote.Signature {
        SignedNote.Signature(
            name: checkpoint.origin,
            keyID: NoteKey(name: checkpoint.origin, type: NoteKey.ed25519, publicKey: privateKey.publicKey).keyID,
            signature: [UInt8](try privateKey.signature(for: Data(checkpoint.text.utf8))))
    }

    public func sign(_ report: ResidencyReport) throws -> SignedResidencyReport {
        SignedResidencyReport(
            report: report, signature: try signature(for: try SignedResidencyReport.signedBytes(report)))
    }

    public func sign(_ receipt: EvacuationReceipt) throws -> SignedEvacuationReceipt {
        SignedEvacuationReceipt(
            receipt: receipt, signature: try signature(for: try SignedEvacuationReceipt.signedBytes(receipt)))
    }

    /// Base64 of the signature over `data`, which says what it is for in its first line.
    private func signature(for data: Data) throws -> String {
        try privateKey.signature(for: data).base64EncodedString()
    }

    /// Whether `head` was signed by the key whose public half is `publicKey` (base64).
    public static func verify(_ head: SignedTreeHead, publicKey: String) -> Bool {
        isValid(head.signature, for: head.signedBytes, publicKey: publicKey)
    }

    /// Whether `signature` (base64) over `data` is the key's whose public half is `publicKey` (base64).
    public static func isValid(_ signature: String, for data: Data, publicKey: String) -> Bool {
        guard let keyBytes = Data(base64Encoded: publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
            let signature = Data(base64Encoded: signature)
        else { return false }
        return key.isValidSignature(signature, for: data)
    }
}
