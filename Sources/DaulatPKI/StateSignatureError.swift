/// Why a statement signed by a state or an agency, or a member's certificate, is not accepted.
public enum StateSignatureError: Error, Equatable, CustomStringConvertible {
    case malformed
    case badSignature
    /// The certificate is vouched for by another jurisdiction's authority than the one asked.
    case wrongJurisdiction(expected: String, found: String)
    case notYetValid
    case expired

    public var code: String {
        switch self {
        case .malformed: "state_signature_malformed"
        case .badSignature: "state_signature_invalid"
        case .wrongJurisdiction: "member_certificate_wrong_jurisdiction"
        case .notYetValid: "member_certificate_not_yet_valid"
        case .expired: "member_certificate_expired"
        }
    }

    public var description: String {
        switch self {
        case .malformed: "not a signed statement (base64url of the statement, a dot, base64url of the signature)"
        case .badSignature: "the signature does not verify with the key it must be from"
        case .wrongJurisdiction(let expected, let found):
            "the certificate is for a member of \(found), not of \(expected)"
        case .notYetValid: "the member's certificate is not valid yet"
        case .expired: "the member's certificate has expired"
        }
    }
}
