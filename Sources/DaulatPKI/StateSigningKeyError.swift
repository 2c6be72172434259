/// A key file or a pinned key that is not what it should be.
public enum StateSigningKeyError: Error, Equatable, CustomStringConvertible {
    case notAnEd25519PrivateKey
    case notAnEd25519PublicKey

    public var description: String {
        switch self {
        case .notAnEd25519PrivateKey:
            "not an Ed25519 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----, as daulat authority keygen or openssl genpkey -algorithm ed25519 writes)"
        case .notAnEd25519PublicKey:
            "not an Ed25519 public key (base64 of 32 bytes, or -----BEGIN PUBLIC KEY----- PEM)"
        }
    }
}
