import Crypto
import DaulatCore
import DaulatPKI
import Foundation
import Testing

@Suite("Custodian key proof")
struct CustodianKeyProofTests {
    static func record(custodians: [String], keys: [String: String]) throws -> JurisdictionRecord {
        JurisdictionRecord(
            jurisdiction: try JurisdictionCode("ID"), version: 3, sites: ["id-jkt-1"], hosts: [:],
            custodians: custodians,
            custodianKeys: keys, embassiesHosted: [:], embassiesAbroad: [], issuedAt: Date(timeIntervalSince1970: 0))
    }

    @Test("a key signed with the identity key its state's record pins is accepted; any other signer or record is not")
    func proof() throws {
        let identity = StateSigningKey.generate()
        let pinned = try Self.record(
            custodians: ["id-custodian-1", "id-custodian-2"],
            keys: ["id-custodian-1": identity.publicKey.description])
        let publicKey = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64EncodedString()
        let keyID = "id-custodian-1/ds-1/v1"
        let signature = try CustodianKeyProof.sign(
            datasetID: "ds-1", keyID: keyID, publicKey: publicKey, with: identity)
        func refusal(
            datasetID: String = "ds-1", publicKey: String = publicKey, signature: String = signature,
            custodianID: String = "id-custodian-1", record: JurisdictionRecord = pinned
        ) -> String? {
            CustodianKeyProof.refusal(
                datasetID: datasetID, keyID: keyID, publicKey: publicKey, signature: signature,
                custodianID: custodianID, record: record)
        }
        #expect(refusal() == nil)
        // A swapped key, or the same key offered for another dataset, under the same signature.
        let other = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64EncodedString()
        #expect(refusal(publicKey: other)?.contains("not signed with the identity key") == true)
        #expect(refusal(datasetID: "ds-2") != nil)
        // A custodian enrolled in id-custodian-1's name signs with a key of its own.
        let impostor = StateSigningKey.generate()
        let impostorSignature = try CustodianKeyProof.sign(
            datasetID: "ds-1", keyID: keyID, publicKey: other, with: impostor)
        #expect(refusal(publicKey: other, signature: impostorSignature) != nil)
        // A recorded custodian whose key its state has not pinned, and one the record does not list.
        #expect(refusal(custodianID: "id-custodian-2")?.contains("pins no key") == true)
        #expect(refusal(custodianID: "id-custodian-9")?.contains("does not list") == true)
        // A record pinning something that is not a key, and a signature that is not base64.
        let unpinnable = try Self.record(custodians: ["id-custodian-1"], keys: ["id-custodian-1": "nope"])
        #expect(refusal(record: unpinnable)?.contains("not Ed25519") == true)
        #expect(refusal(signature: "%%%") != nil)
    }
}
