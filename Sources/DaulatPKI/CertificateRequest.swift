import Crypto
import X509

/// Certificate signing requests as agents make them: signed by the agent's own key and naming nothing;
/// the control plane decides the identity from the join token (or, on renewal, the current certificate).
public enum CertificateRequest {
    public static func pem(signedBy key: P256.Signing.PrivateKey) throws -> String {
        try CertificateSigningRequest(
            version: .v1,
            subject: DistinguishedName(),
            privateKey: Certificate.PrivateKey(key),
            attributes: CertificateSigningRequest.Attributes(),
            signatureAlgorithm: .ecdsaWithSHA256
        ).serializeAsPEM().pemString
    }
}
