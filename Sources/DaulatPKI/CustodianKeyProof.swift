import DaulatCore
import Foundation

/// A custodian's word that a public key is its key for a dataset, signed with its identity key: the
/// Ed25519 key its own state pins for it in the signed record of its ground. A client wraps a new data
/// key only to a key signed so, and takes the identity key from that record, never from the control
/// plane or the custodian's certificate (both of which the operator can issue): a custodian the operator
/// enrols under a recorded custodian's name receives no key.
public enum CustodianKeyProof {
    /// Base64 of the Ed25519 signature over the dataset, the key id and the public key.
    public static func sign(datasetID: String, keyID: String, publicKey: String, with key: StateSigningKey)
        throws -> String
    {
        try key.signature(for: statement(datasetID: datasetID, keyID: keyID, publicKey: publicKey))
            .base64EncodedString()
    }

    /// Nil when `signature` is custodian `custodianID`'s over the key, checked with the identity key
    /// `record` (already verified against the charter) pins for it; otherwise why not.
    public static func refusal(
        datasetID: String, keyID: String, publicKey: String, signature: String, custodianID: String,
        record: JurisdictionRecord
    ) -> String? {
        guard record.custodians.contains(custodianID) else {
            return
                "\(record.jurisdiction)'s signed record (v\(record.version)) does not list custodian '\(custodianID)'"
        }
        guard let pinned = record.custodianKeys[custodianID] else {
            return
                "\(record.jurisdiction)'s signed record (v\(record.version)) pins no key for custodian '\(custodianID)'; its authority signs one in with daulat site sign"
        }
        guard let identity = try? StateVerifyingKey(pinned) else {
            return "\(record.jurisdiction)'s signed record pins a key for '\(custodianID)' that is not Ed25519"
        }
        guard let bytes = Data(base64Encoded: signature),
            identity.isValidSignature(bytes, for: statement(datasetID: datasetID, keyID: keyID, publicKey: publicKey))
        else {
            return
                "the key is not signed with the identity key \(record.jurisdiction)'s signed record pins for '\(custodianID)'"
        }
        return nil
    }

    private static func statement(datasetID: String, keyID: String, publicKey: String) -> Data {
        Data("daulat custodian key v2\n\(datasetID)\n\(keyID)\n\(publicKey)\n".utf8)
    }
}
