/// Why a consent to unwrap is not accepted. Codes are stable, for error bodies and the audit log.
public enum ConsentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The charter pins no authority for the dataset's home jurisdiction.
    case noAuthority(String)
    case unreadable
    /// Not signed by the key it must be from.
    case badSignature
    case certificate(StateSignatureError)
    /// Signed by a member of another agency, or of another state, than the dataset's owner.
    case notOwner(String)
    /// An order signed by a member, or an owner's read signed by the authority.
    case wrongSigner(String)
    case expired
    /// For another dataset, object or requester key than the one it is shown with.
    case mismatch(String)

    public var code: String {
        switch self {
        case .noAuthority: "charter_lacks_authority"
        case .unreadable: "consent_malformed"
        case .badSignature: "consent_signature_invalid"
        case .certificate(let error): error.code
        case .notOwner: "consent_not_owner"
        case .wrongSigner: "consent_wrong_signer"
        case .expired: "consent_expired"
        case .mismatch: "consent_mismatch"
        }
    }

    public var description: String {
        switch self {
        case .noAuthority(let jurisdiction):
            "the alliance charter pins no authority key for \(jurisdiction), so no consent for its data can be checked"
        case .unreadable: "the consent is not a signed statement (base64url of the consent, a dot, the signature)"
        case .badSignature: "the consent's signature does not verify with the key it must be from"
        case .certificate(let error): "the member's certificate does not hold: \(error)"
        case .notOwner(let reason): "the consent is not the owner's: \(reason)"
        case .wrongSigner(let reason): reason
        case .expired: "the consent has expired, is not valid yet, or is good for more than 10 minutes; sign a new one"
        case .mismatch(let reason): "the consent does not cover this request: \(reason)"
        }
    }
}
