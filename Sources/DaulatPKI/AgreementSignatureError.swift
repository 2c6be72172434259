/// Why a party's signature or act on an agreement is not accepted.
public enum AgreementSignatureError: Error, Equatable, CustomStringConvertible {
    case malformedAct
    case notAParty(String)
    case notChartered(String)
    case badSignature(String)
    case otherAgreement(String, Int)

    public var code: String {
        switch self {
        case .malformedAct: "agreement_act_malformed"
        case .notAParty: "not_a_party"
        case .notChartered: "unknown_signer"
        case .badSignature: "agreement_signature_invalid"
        case .otherAgreement: "agreement_act_mismatch"
        }
    }

    public var description: String {
        switch self {
        case .malformedAct:
            "not a signed agreement act (base64url of the act, a dot, base64url of the signature)"
        case .notAParty(let code): "\(code) is not a party to this agreement"
        case .notChartered(let code): "the alliance charter pins no authority key for \(code)"
        case .badSignature(let code): "the signature does not verify with \(code)'s authority key in the charter"
        case .otherAgreement(let id, let version):
            "the act is for agreement '\(id)' version \(version), not this one"
        }
    }
}
