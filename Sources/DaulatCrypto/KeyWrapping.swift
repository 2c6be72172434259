import Crypto
import Foundation

/// HPKE base mode to a custodian's P-256 key. The context (which object, which data key, which share)
/// is the associated data: a wrapped key moved to another object's record does not open.
public enum KeyWrapping {
    static let info = Data("daulat key wrap v1".utf8)
    static let ciphersuite = HPKE.Ciphersuite.P256_SHA256_AES_GCM_256

    public static func wrap(
        _ secret: [UInt8], to publicKey: P256.KeyAgreement.PublicKey, recipientKeyID: String,
        context: WrapContext
    ) throws -> WrappedKey {
        var sender = try HPKE.Sender(recipientKey: publicKey, ciphersuite: ciphersuite, info: info)
        let ciphertext = try sender.seal(secret, authenticating: context.associatedData)
        return WrappedKey(
            recipientKeyID: recipientKeyID, encapsulatedKey: sender.encapsulatedKey, ciphertext: ciphertext)
    }

    public static func unwrap(
        _ wrapped: WrappedKey, with privateKey: P256.KeyAgreement.PrivateKey, context: WrapContext
    ) throws -> [UInt8] {
        guard wrapped.suite == WrappedKey.suite else { throw KeyWrappingError.unsupportedSuite(wrapped.suite) }
        do {
            var recipient = try HPKE.Recipient(
                privateKey: privateKey, ciphersuite: ciphersuite, info: info,
                encapsulatedKey: wrapped.encapsulatedKey)
            return Array(try recipient.open(wrapped.ciphertext, authenticating: context.associatedData))
        } catch {
            throw KeyWrappingError.cannotUnwrap(recipientKeyID: wrapped.recipientKeyID)
        }
    }
}
