import Crypto
import DaulatControlPlane
import DaulatCore
import DaulatCrypto
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

extension AttackScene {
    /// An object of `dataset` registered by its `owner`, its data key wrapped (as `daulat dataset put`
    /// wraps it) to the key Indonesia's custodian gives for the dataset, which that custodian alone can
    /// open; with what an attack needs to ask that custodian for it.
    struct CustodiedObject {
        let objectID: String
        let dataKey: [UInt8]
        let authority: CertificateAuthority
        let custodianURL: String
    }

    func custodiedObject(dataset: String, owner: String) async throws -> CustodiedObject {
        let authority = try await CertificateAuthority.loadOrCreate(
            from: api.store, sealingKey: api.sealingKey, trustDomain: "alliance.test")
        let plan = try await api.send(.get, "/v1/datasets/\(dataset)/custody", token: owner)
        let custodianURL = try #require(
            try await api.store.custodianHeartbeats().first { $0.custodianID == "id-custodian-1" }?.url)
        let published = try await TrustingClient.post(
            try JSONEncoder().encode(CustodianMessages.KeyRequest(grant: try #require(plan.json["grant"] as? String))),
            to: custodianURL + "/v1/keys", trusting: try authority.certificatePEM)
        #expect(published.status == 200, "\(published.body)")
        let recipient = try JSONDecoder().decode(CustodianMessages.PublicKey.self, from: Data(published.body.utf8))
        let objectID = "obj-" + Hex.encode(Data((0..<10).map { _ in UInt8.random(in: 0...255) }))
        let dataKey = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let wrapped = try KeyWrapping.wrap(
            dataKey,
            to: try P256.KeyAgreement.PublicKey(
                x963Representation: try #require(Data(base64Encoded: recipient.publicKey))),
            recipientKeyID: recipient.keyID, context: try WrapContext(objectID: objectID, keyID: "dk-census"))
        let objectKey = ObjectKey(
            custodianID: "id-custodian-1", keyID: "dk-census", shareIndex: 0, threshold: 1,
            recipientKeyID: recipient.keyID, encapsulatedKey: wrapped.encapsulatedKey.base64EncodedString(),
            ciphertext: wrapped.ciphertext.base64EncodedString())
        let registered = try await api.send(
            .post, "/v1/datasets/\(dataset)/objects", token: owner,
            json: try CanonicalJSON.encode(
                RegisteredObjectBody(
                    id: objectID, sha256: String(repeating: "ab", count: 32), sizeBytes: 10, keys: [objectKey])))
        #expect(registered.status == 201, "\(registered.errorMessage ?? "")")
        return CustodiedObject(objectID: objectID, dataKey: dataKey, authority: authority, custodianURL: custodianURL)
    }

    /// `POST /v1/datasets/{id}/objects` as a client sends it.
    struct RegisteredObjectBody: Encodable {
        let id: String
        let sha256: String
        let sizeBytes: Int
        let keys: [ObjectKey]
    }
}
