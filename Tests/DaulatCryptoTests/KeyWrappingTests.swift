import Crypto
import DaulatCrypto
import Foundation
import Testing

@Suite("Key wrapping with HPKE")
struct KeyWrappingTests {
    let custodian = P256.KeyAgreement.PrivateKey()
    let context: WrapContext
    let secret = Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })

    init() throws {
        context = try WrapContext(objectID: "obj-1", keyID: "dek-1", shareIndex: 2, threshold: 3)
    }

    @Test("a key wrapped to a custodian opens with its private key, for its context only")
    func roundTrip() throws {
        let wrapped = try KeyWrapping.wrap(
            secret, to: custodian.publicKey, recipientKeyID: "custodian-id/v1", context: context)
        #expect(wrapped.recipientKeyID == "custodian-id/v1")
        #expect(!wrapped.ciphertext.contains(Data(secret)), "the key does not appear in the clear")
        #expect(try KeyWrapping.unwrap(wrapped, with: custodian, context: context) == secret)
        let again = try KeyWrapping.wrap(
            secret, to: custodian.publicKey, recipientKeyID: "custodian-id/v1", context: context)
        #expect(again.encapsulatedKey != wrapped.encapsulatedKey && again.ciphertext != wrapped.ciphertext)
    }

    @Test("another custodian's key, another object, key or share, and any changed byte cannot unwrap it")
    func refusals() throws {
        let wrapped = try KeyWrapping.wrap(
            secret, to: custodian.publicKey, recipientKeyID: "custodian-id/v1", context: context)
        let refused = KeyWrappingError.cannotUnwrap(recipientKeyID: "custodian-id/v1")
        #expect(throws: refused) {
            try KeyWrapping.unwrap(wrapped, with: P256.KeyAgreement.PrivateKey(), context: context)
        }
        for other in [
            try WrapContext(objectID: "obj-2", keyID: "dek-1", shareIndex: 2, threshold: 3),
            try WrapContext(objectID: "obj-1", keyID: "dek-2", shareIndex: 2, threshold: 3),
            try WrapContext(objectID: "obj-1", keyID: "dek-1", shareIndex: 3, threshold: 3),
            try WrapContext(objectID: "obj-1", keyID: "dek-1", shareIndex: 2, threshold: 2),
            try WrapContext(objectID: "obj-1", keyID: "dek-1"),
            // Lengths are encoded: moving a character between fields is another context.
            try WrapContext(objectID: "obj-1d", keyID: "ek-1", shareIndex: 2, threshold: 3),
        ] {
            #expect(throws: refused) { try KeyWrapping.unwrap(wrapped, with: custodian, context: other) }
        }
        for position in wrapped.ciphertext.indices {
            var ciphertext = wrapped.ciphertext
            ciphertext[position] ^= 0x01
            let changed = WrappedKey(
                recipientKeyID: wrapped.recipientKeyID, encapsulatedKey: wrapped.encapsulatedKey,
                ciphertext: ciphertext)
            #expect(throws: refused) { try KeyWrapping.unwrap(changed, with: custodian, context: context) }
        }
        var encapsulated = wrapped.encapsulatedKey
        encapsulated[encapsulated.startIndex + 10] ^= 0x01
        #expect(throws: refused) {
            try KeyWrapping.unwrap(
                WrappedKey(
                    recipientKeyID: wrapped.recipientKeyID, encapsulatedKey: encapsulated,
                    ciphertext: wrapped.ciphertext),
                with: custodian, context: context)
        }
        #expect(throws: KeyWrappingError.unsupportedSuite("RSA-OAEP")) {
            try KeyWrapping.unwrap(
                WrappedKey(
                    suite: "RSA-OAEP", recipientKeyID: wrapped.recipientKeyID,
                    encapsulatedKey: wrapped.encapsulatedKey, ciphertext: wrapped.ciphertext),
                with: custodian, context: context)
        }
    }

    @Test("a key split 2-of-3, each share wrapped to another custodian, opens from any two of them")
    func splitCustody() throws {
        let custodians = (0..<3).map { _ in P256.KeyAgreement.PrivateKey() }
        let shares = try SecretSharing.split(secret, threshold: 2, shares: 3)
        let wrapped = try zip(shares, custodians).map { share, custodian in
            try KeyWrapping.wrap(
                share.bytes, to: custodian.publicKey, recipientKeyID: "custodian-\(share.index)",
                context: try WrapContext(objectID: "obj-1", keyID: "dek-1", shareIndex: share.index, threshold: 2))
        }
        for pair in [(0, 1), (0, 2), (1, 2)] {
            let recovered = try [pair.0, pair.1].map { index in
                KeyShare(
                    index: shares[index].index, threshold: 2,
                    bytes: try KeyWrapping.unwrap(
                        wrapped[index], with: custodians[index],
                        context: try WrapContext(
                            objectID: "obj-1", keyID: "dek-1", shareIndex: shares[index].index, threshold: 2)))
            }
            #expect(try SecretSharing.combine(recovered) == secret)
        }
    }

    @Test("contexts with empty or overlong identifiers, or half a share's numbers, are refused")
    func invalidContexts() {
        for (object, key, index, threshold) in [
            ("", "dek-1", UInt8(0), UInt8(0)), ("obj-1", String(repeating: "k", count: 256), 0, 0),
            ("obj-1", "dek-1", 1, 0), ("obj-1", "dek-1", 0, 2),
        ] {
            #expect(throws: KeyWrappingError.self) {
                try WrapContext(objectID: object, keyID: key, shareIndex: index, threshold: threshold)
            }
        }
    }
}
