import DaulatCore
import DaulatCrypto
import Foundation

extension ObjectKey {
    /// The HPKE parts as the keystore takes them; nil when they are not base64.
    var wrappedKey: WrappedKey? {
        guard let encapsulated = Data(base64Encoded: encapsulatedKey), let sealed = Data(base64Encoded: ciphertext)
        else { return nil }
        return WrappedKey(recipientKeyID: recipientKeyID, encapsulatedKey: encapsulated, ciphertext: sealed)
    }

    /// What it was wrapped for: the object, the data key, and its place in a split (none for a whole key,
    /// whose threshold of 1 is written 0 in the wrapping).
    func wrapContext(objectID: String) throws -> WrapContext {
        guard let index = UInt8(exactly: shareIndex), let threshold = UInt8(exactly: threshold == 1 ? 0 : threshold)
        else {
            throw KeyWrappingError.invalidContext("share index and threshold are 0 to 255")
        }
        return try WrapContext(objectID: objectID, keyID: keyID, shareIndex: index, threshold: threshold)
    }

    /// The same key wrapped anew, to `wrapped`'s recipient.
    func replacingWrapping(with wrapped: WrappedKey) -> ObjectKey {
        var key = self
        key.recipientKeyID = wrapped.recipientKeyID
        key.encapsulatedKey = wrapped.encapsulatedKey.base64EncodedString()
        key.ciphertext = wrapped.ciphertext.base64EncodedString()
        return key
    }
}
