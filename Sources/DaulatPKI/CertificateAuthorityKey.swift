import DaulatCrypto
import Foundation

/// The key, from the control plane's configuration, that seals the certificate authority's private
/// key at rest. Without it the stored authority cannot sign.
public struct CertificateAuthorityKey: Sendable {
    let key: AtRestKey

    public init(base64: String) throws {
        guard let key = AtRestKey(base64: base64) else { throw CertificateAuthorityError.invalidSealingKey }
        self.key = key
    }

    public static func generate() -> (key: CertificateAuthorityKey, base64: String) {
        let (key, base64) = AtRestKey.generate()
        return (CertificateAuthorityKey(key: key), base64)
    }

    private init(key: AtRestKey) { self.key = key }

    /// Binds the sealed bytes to their purpose, so they cannot be passed off as some other secret; the
    /// audit log's key is sealed under its own.
    static let context = Data("daulat certificate authority key v1".utf8)

    func seal(_ plaintext: Data, context: Data = context) throws -> String {
        try key.seal(plaintext, context: context).base64EncodedString()
    }

    func open(_ sealed: String, context: Data = context) throws -> Data {
        guard let combined = Data(base64Encoded: sealed), let opened = key.open(combined, context: context) else {
            throw CertificateAuthorityError.wrongSealingKey
        }
        return opened
    }
}
