/// Why a charter file is not accepted.
public enum CharterError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    /// An authority it lists has not signed it (yet).
    case unsigned([String])
    case badSignature(String)
    /// A signature from a jurisdiction the charter does not list.
    case unknownSigner(String)
    /// Signing with a key other than the one the charter lists for that jurisdiction.
    case wrongKey(String)

    public var code: String {
        switch self {
        case .malformed: "charter_malformed"
        case .unsigned: "charter_unsigned"
        case .badSignature: "charter_signature_invalid"
        case .unknownSigner: "charter_unknown_signer"
        case .wrongKey: "charter_wrong_key"
        }
    }

    public var description: String {
        switch self {
        case .malformed(let reason): "not an alliance charter: \(reason)"
        case .unsigned(let missing): "not signed yet by the authority of \(missing.joined(separator: ", "))"
        case .badSignature(let jurisdiction): "the signature of \(jurisdiction)'s authority does not verify"
        case .unknownSigner(let jurisdiction): "signed for \(jurisdiction), which the charter does not list"
        case .wrongKey(let jurisdiction):
            "that key is not the one the charter lists for \(jurisdiction)'s authority"
        }
    }
}
