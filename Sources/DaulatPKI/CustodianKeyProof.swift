import Crypto
import Foundation
import X509

/// A custodian's word that a public key is its key for a dataset: signed with the key of its enrolled
/// certificate, which goes with it. A client checks the certificate against the alliance's authority
/// and that it names the custodian it meant to ask, so nobody else in the alliance — an agent, another
/// custodian, anyone on the network path — can have a data key wrapped to them instead.
public enum CustodianKeyProof {
    /// Base64 of an ECDSA P-256 signature (DER) over the dataset, key id and public key.
    public static func sign(datasetID: String, keyID: String, publicKey: String, with key: P256.Signing.PrivateKey)
        throws -> String
    {
        try key.signature(for: statement(datasetID: datasetID, keyID: keyID, publicKey: publicKey))
            .derRepresentation.base64EncodedString()
    }

    /// Nil when `certificate` (PEM) was issued by `authority`, is valid now, names custodian
    /// `custodianID` in `jurisdiction`, and signed `signature`; otherwise why not.
    public static func refusal(
        datasetID: String, keyID: String, publicKey: String, signature: String, certificate: String,
        custodianID: String, jurisdiction: String, authority: Certificate, now: Date = Date()
    ) -> String? {
        guard let certificate = try? Certificate(pemEncoded: certificate) else { return "its certificate is not PEM" }
        guard authority.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            return "its certificate is not from the alliance's authority"
        }
        guard certificate.notValidBefore <= now, now < certificate.notValidAfter else {
            return "its certificate is not valid now"
        }
        guard let identity = CustodianIdentity(certificate: certificate), identity.custodianID == custodianID,
            identity.jurisdiction == jurisdiction
        else {
            return "its certificate does not name custodian '\(custodianID)' of \(jurisdiction)"
        }
        guard let signingKey = P256.Signing.PublicKey(certificate.publicKey),
            let bytes = Data(base64Encoded: signature),
            let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: bytes),
            signingKey.isValidSignature(ecdsa, for: statement(datasetID: datasetID, keyID: keyID, publicKey: publicKey))
        else {
            return "the key is not signed by that certificate"
        }
        return nil
    }

    private static func statement(datasetID: String, keyID: String, publicKey: String) -> Data {
        Data("daulat custodian key v1\n\(datasetID)\n\(keyID)\n\(publicKey)\n".utf8)
    }
}
