import Crypto
import DaulatCore
import Foundation
import X509

/// A custodian's signature on its release records, with the key of its enrolled certificate.
public enum KeyReleaseSignature {
    public static func sign(_ record: KeyReleaseRecord, with key: P256.Signing.PrivateKey, certificate: String)
        throws -> SignedKeyRelease
    {
        SignedKeyRelease(
            record: record,
            signature: try key.signature(for: try KeyReleaseRecord.signedBytes(record)).derRepresentation
                .base64EncodedString(),
            certificate: certificate)
    }

    /// Nil when `signed` was signed by its certificate's key, the certificate is `authority`'s and
    /// names the record's custodian; otherwise why not.
    public static func refusal(_ signed: SignedKeyRelease, authority: Certificate) -> String? {
        guard let certificate = try? Certificate(pemEncoded: signed.certificate) else {
            return "its certificate is not PEM"
        }
        guard authority.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            return "its certificate is not from the alliance's authority"
        }
        guard CustodianIdentity(certificate: certificate)?.custodianID == signed.record.custodianID else {
            return "its certificate does not name custodian '\(signed.record.custodianID)'"
        }
        guard let key = P256.Signing.PublicKey(certificate.publicKey),
            let bytes = Data(base64Encoded: signed.signature),
            let signature = try? P256.Signing.ECDSASignature(derRepresentation: bytes),
            let message = try? KeyReleaseRecord.signedBytes(signed.record),
            key.isValidSignature(signature, for: message)
        else { return "the record is not signed by that certificate's key" }
        return nil
    }
}
