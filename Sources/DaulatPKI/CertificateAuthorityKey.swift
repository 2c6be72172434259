import Crypto
import Foundation

/// The key, from the control plane's configuration, that seals the certificate authority's private
/// key at rest: 32 random bytes, written as base64. Without it the stored authority cannot sign.
public struct CertificateAuthorityKey: Sendable {
    let key: SymmetricKey

    public init(base64: String) throws {
        guard let bytes = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        else {
            throw CertificateAuthorityError.invalidSealingKey
        }
        key = SymmetricKey(data: bytes)
    }

    public static func generate() -> (key: CertificateAuthorityKey, base64: String) {
        let key = SymmetricKey(size: .bits256)
        let base64 = key.withUnsafeBytes { Data($0).base64EncodedString() }
        return (CertificateAuthorityKey(key: key), base64)
    }

    private init(key: SymmetricKey) { self.key = key }

    /// Binds the sealed bytes to their purpose, so they cannot be passed off as some other secret.
    private static let context = Data("daulat certificate authority key v1".utf8)

    func seal(_ plaintext: Data) throws -> String {
        try AES.GCM.seal(plaintext, using: key, authenticating: Self.context).combined!.base64EncodedString()
    }

    func open(_ sealed: String) throws -> Data {
        guard let combined = Data(base64Encoded: sealed) else { throw CertificateAuthorityError.wrongSealingKey }
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: key, authenticating: Self.context)
        } catch {
            throw CertificateAuthorityError.wrongSealingKey
        }
    }
}
