import Crypto
import Foundation

/// The public half of a ``StateSigningKey``: as it is pinned (in the alliance's definition, in a
/// member's certificate) — base64 of the 32 raw bytes — or as PEM (`-----BEGIN PUBLIC KEY-----`).
public struct StateVerifyingKey: Sendable, Equatable, CustomStringConvertible {
    let key: Curve25519.Signing.PublicKey

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// Base64 of the 32 raw bytes, or an SPKI PEM block.
    public init(_ text: String) throws {
        let raw: Data?
        if let der = StateSigningKey.der(of: text, label: "PUBLIC KEY") {
            raw =
                der.count == Self.spkiPrefix.count + 32
                    && der.prefix(Self.spkiPrefix.count).elementsEqual(Self.spkiPrefix)
                ? Data(der.suffix(32)) : nil
        } else {
            raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let raw, raw.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw StateSigningKeyError.notAnEd25519PublicKey
        }
        self.key = key
    }

    /// Base64 of the 32 raw bytes.
    public var description: String { key.rawRepresentation.base64EncodedString() }

    public var pemRepresentation: String {
        StateSigningKey.pem(Self.spkiPrefix + [UInt8](key.rawRepresentation), label: "PUBLIC KEY")
    }

    public func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        key.isValidSignature(signature, for: data)
    }

    public static func == (lhs: StateVerifyingKey, rhs: StateVerifyingKey) -> Bool {
        lhs.key.rawRepresentation == rhs.key.rawRepresentation
    }

    /// `SubjectPublicKeyInfo` for Ed25519 (RFC 8410), up to the 32 bytes of the key.
    static let spkiPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]
}
