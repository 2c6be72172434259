import Crypto
import Foundation

/// A 256-bit key from configuration that seals secrets kept on disk or in the database (the
/// certificate authority's private key, custodians' key-encryption keys): 32 random bytes, written
/// as base64. Each sealed secret names its purpose as associated data, so it cannot be passed off as
/// another.
public struct AtRestKey: Sendable {
    private let key: SymmetricKey

    /// Nil unless `base64` is 32 bytes.
    public init?(base64: String) {
        guard let bytes = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        else { return nil }
        key = SymmetricKey(data: bytes)
    }

    public static func generate() -> (key: AtRestKey, base64: String) {
        let key = SymmetricKey(size: .bits256)
        return (AtRestKey(key: key), key.withUnsafeBytes { Data($0).base64EncodedString() })
    }

    private init(key: SymmetricKey) { self.key = key }

    /// AES-256-GCM, nonce and tag included.
    public func seal(_ plaintext: some DataProtocol, context: some DataProtocol) throws -> Data {
        try AES.GCM.seal(plaintext, using: key, authenticating: context).combined!
    }

    /// Nil when the key or the context is not the one it was sealed with, or the bytes were changed.
    public func open(_ sealed: some DataProtocol, context: some DataProtocol) -> Data? {
        try? AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: context)
    }
}
