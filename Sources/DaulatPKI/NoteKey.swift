import Crypto
import DaulatCore
import Foundation

/// A key that signs notes, as a verifier is configured with it: its name, its C2SP signature type and
/// its Ed25519 public key. Its key ID is `SHA-256(name || 0x0A || type || public key)[:4]`.
public struct NoteKey: Sendable, Equatable {
    /// `0x01`: the log's own Ed25519 signature over the note text (c2sp.org/signed-note).
    public static let ed25519: UInt8 = 0x01
    /// `0x04`: a witness's timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature).
    public static let cosignature: UInt8 = 0x04

    public let name: String
    public let type: UInt8
    public let publicKey: Curve25519.Signing.PublicKey

    public init(name: String, type: UInt8, publicKey: Curve25519.Signing.PublicKey) {
        self.name = name
        self.type = type
        self.publicKey = publicKey
    }

    /// A key given as base64 of its 32 raw bytes, as the charter and `/v1/audit/public-key` give them.
    public init?(name: String, type: UInt8, base64: String) {
        guard let bytes = Data(base64Encoded: base64),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        else { return nil }
        self.init(name: name, type: type, publicKey: key)
    }

    public static func == (lhs: NoteKey, rhs: NoteKey) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type
            && lhs.publicKey.rawRepresentation == rhs.publicKey.rawRepresentation
    }

    public var keyID: [UInt8] {
        Array(SHA256.hash(data: Data(name.utf8) + [0x0A, type] + publicKey.rawRepresentation).prefix(4))
    }

    /// This key's signature lines in `note` (same name and key ID); others are not its.
    public func lines(in note: SignedNote) -> [SignedNote.Signature] {
        note.signatures.filter { $0.name == name && $0.keyID == keyID }
    }

    /// Whether `signature` is this key's over `text`: the text itself for a log signature; for a
    /// cosignature, `cosignature/v1`, `time T` and the text, T the signature's first eight bytes.
    public func verifies(_ signature: SignedNote.Signature, over text: String) -> Bool {
        guard signature.name == name, signature.keyID == keyID else { return false }
        switch type {
        case Self.cosignature:
            guard let (time, bytes) = Self.timestamped(signature.signature) else { return false }
            return publicKey.isValidSignature(bytes, for: Self.cosignedMessage(text, time: time))
        default:
            return publicKey.isValidSignature(signature.signature, for: Data(text.utf8))
        }
    }

    /// The time a cosignature states, if `signature` is one of this key's that verifies over `text`.
    public func cosignedAt(_ signature: SignedNote.Signature, over text: String) -> Date? {
        guard type == Self.cosignature, verifies(signature, over: text),
            let (time, _) = Self.timestamped(signature.signature)
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(time))
    }

    static func cosignedMessage(_ text: String, time: UInt64) -> Data {
        Data("cosignature/v1\ntime \(time)\n\(text)".utf8)
    }

    private static func timestamped(_ bytes: [UInt8]) -> (UInt64, [UInt8])? {
        guard bytes.count == 72 else { return nil }
        let time = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard time <= UInt64(Int64.max) else { return nil }
        return (time, Array(bytes.dropFirst(8)))
    }
}
