/// What can go wrong with the certificate authority or a certificate request, with stable codes.
public enum CertificateAuthorityError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidSealingKey
    case wrongSealingKey
    case malformedRequest(String)
    case badRequestSignature
    case requestNamesAnotherIdentity(requested: String, allowed: String)

    public var code: String {
        switch self {
        case .invalidSealingKey: "invalid_ca_key"
        case .wrongSealingKey: "wrong_ca_key"
        case .malformedRequest: "malformed_csr"
        case .badRequestSignature: "csr_signature_invalid"
        case .requestNamesAnotherIdentity: "csr_identity_mismatch"
        }
    }

    public var description: String {
        switch self {
        case .invalidSealingKey:
            "the certificate authority key must be 32 bytes in base64 (generate one with `openssl rand -base64 32`)"
        case .wrongSealingKey:
            "the stored certificate authority cannot be opened with the configured key; is it the key it was created with?"
        case .malformedRequest(let detail): "the certificate signing request is not valid PEM/DER: \(detail)"
        case .badRequestSignature: "the certificate signing request is not signed by the key it carries"
        case .requestNamesAnotherIdentity(let requested, let allowed):
            "the certificate signing request names \(requested), but this token enrols \(allowed) only"
        }
    }
}
