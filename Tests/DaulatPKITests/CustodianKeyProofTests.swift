import Crypto
import DaulatPKI
import Foundation
import Testing
import X509

@Suite("Custodian key proof")
struct CustodianKeyProofTests {
    struct Signer {
        let key: P256.Signing.PrivateKey
        let certificatePEM: String
    }

    static func signer(_ identity: some EnrolledIdentity, authority: CertificateAuthority) throws -> Signer {
        let key = P256.Signing.PrivateKey()
        let request = try CertificateSigningRequest(
            version: .v1, subject: DistinguishedName(), privateKey: Certificate.PrivateKey(key),
            attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256)
        let certificate = try authority.issueCertificate(for: request, identity: identity, lifetime: 3_600)
        return Signer(key: key, certificatePEM: try certificate.serializeAsPEM().pemString)
    }

    @Test("a key signed by the named custodian's certificate is accepted; any other signer, key or authority is not")
    func proof() throws {
        let authority = try CertificateAuthority.create(trustDomain: "alliance.test")
        let custodian = try Self.signer(
            CustodianIdentity(trustDomain: "alliance.test", jurisdiction: "ID", custodianID: "id-custodian-1"),
            authority: authority)
        let publicKey = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64EncodedString()
        let keyID = "id-custodian-1/ds-1/v1"
        let signature = try CustodianKeyProof.sign(
            datasetID: "ds-1", keyID: keyID, publicKey: publicKey, with: custodian.key)
        func refusal(
            publicKey: String = publicKey, signature: String = signature,
            certificate: String = custodian.certificatePEM,
            custodianID: String = "id-custodian-1", jurisdiction: String = "ID",
            authority: Certificate = authority.certificate
        ) -> String? {
            CustodianKeyProof.refusal(
                datasetID: "ds-1", keyID: keyID, publicKey: publicKey, signature: signature, certificate: certificate,
                custodianID: custodianID, jurisdiction: jurisdiction, authority: authority)
        }
        #expect(refusal() == nil)
        // Another custodian, or the right one said to be elsewhere.
        #expect(refusal(custodianID: "sg-custodian-1") != nil)
        #expect(refusal(jurisdiction: "SG") != nil)
        // A swapped key under the same signature.
        let other = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64EncodedString()
        #expect(refusal(publicKey: other) != nil)
        // An agent of the same alliance signing its own key for the custodian.
        let agent = try Self.signer(
            AgentIdentity(trustDomain: "alliance.test", siteID: "id-jkt-1", hostID: "id-jkt-1-a"), authority: authority)
        let agentSignature = try CustodianKeyProof.sign(
            datasetID: "ds-1", keyID: keyID, publicKey: other, with: agent.key)
        #expect(refusal(publicKey: other, signature: agentSignature, certificate: agent.certificatePEM) != nil)
        // The right name, from an authority that is not the alliance's.
        let stranger = try CertificateAuthority.create(trustDomain: "alliance.test")
        let impostor = try Self.signer(
            CustodianIdentity(trustDomain: "alliance.test", jurisdiction: "ID", custodianID: "id-custodian-1"),
            authority: stranger)
        let impostorSignature = try CustodianKeyProof.sign(
            datasetID: "ds-1", keyID: keyID, publicKey: other, with: impostor.key)
        #expect(refusal(publicKey: other, signature: impostorSignature, certificate: impostor.certificatePEM) != nil)
        #expect(refusal(certificate: "not a certificate") != nil)
    }
}
