import Crypto
import Foundation

/// An Ed25519 key that belongs to a state or an agency, never to the operator: a jurisdiction's
/// authority key (held by its regulator) or an agency's member key. Kept as PKCS#8 PEM, the form
/// `openssl pkey` reads, in a file only its owner may read.
public struct StateSigningKey: Sendable {
    let privateKey: Curve25519.Signing.PrivateKey

    public static func generate() -> StateSigningKey { StateSigningKey(privateKey: .init()) }

    init(privateKey: Curve25519.Signing.PrivateKey) { self.privateKey = privateKey }

    /// Reads a PKCS#8 PEM Ed25519 private key (`-----BEGIN PRIVATE KEY-----`), as `openssl genpkey
    /// -algorithm ed25519` writes one.
    public init(pem: String) throws {
        guard let der = Self.der(of: pem, label: "PRIVATE KEY"), der.count == Self.pkcs8Prefix.count + 32,
            der.prefix(Self.pkcs8Prefix.count).elementsEqual(Self.pkcs8Prefix),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: Data(der.suffix(32)))
        else { throw StateSigningKeyError.notAnEd25519PrivateKey }
        privateKey = key
    }

    public var pemRepresentation: String {
        Self.pem(Self.pkcs8Prefix + [UInt8](privateKey.rawRepresentation), label: "PRIVATE KEY")
    }

    public var publicKey: StateVerifyingKey { StateVerifyingKey(key: privateKey.publicKey) }

    public func signature(for data: Data) throws -> Data { try privateKey.signature(for: data) }

    /// PKCS#8 `PrivateKeyInfo` for Ed25519 (RFC 8410), up to the 32 bytes of the key.
    static let pkcs8Prefix: [UInt8] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]

    static func pem(_ der: [UInt8], label: String) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }

    /// The DER inside the first PEM block with `label`, if there is one.
    static func der(of pem: String, label: String) -> [UInt8]? {
        guard let start = pem.range(of: "-----BEGIN \(label)-----"),
            let end = pem.range(of: "-----END \(label)-----", range: start.upperBound..<pem.endIndex)
        else { return nil }
        let body = pem[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(body)).map { [UInt8]($0) }
    }
}
