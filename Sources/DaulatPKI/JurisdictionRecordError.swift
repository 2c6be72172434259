/// Why a state's signed record of its ground is not accepted.
public enum JurisdictionRecordError: Error, Equatable, CustomStringConvertible {
    case malformed
    case notChartered(String)
    case badSignature(String)
    case invalid(String)

    public var code: String {
        switch self {
        case .malformed: "jurisdiction_record_malformed"
        case .notChartered: "unknown_signer"
        case .badSignature: "jurisdiction_record_signature_invalid"
        case .invalid: "invalid_jurisdiction_record"
        }
    }

    public var description: String {
        switch self {
        case .malformed:
            "not a signed jurisdiction record (base64url of the record, a dot, base64url of the signature)"
        case .notChartered(let code): "the alliance charter pins no authority key for \(code)"
        case .badSignature(let code): "the signature does not verify with \(code)'s authority key in the charter"
        case .invalid(let message): message
        }
    }
}
