import AsyncHTTPClient
import Crypto
import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatCrypto
import DaulatPKI
import Foundation

/// The public keys a dataset's new data keys are wrapped to: one from each custodian of the dataset's
/// custody plan, asked once with the plan's grant, then used for as many objects as need them. A whole
/// key goes to each of them; a split one, one share to each.
struct CustodyKeys: Sendable {
    struct Recipient: Sendable {
        let custodianID: String
        /// `<custodian>/<dataset>/v<N>`.
        let keyID: String
        let publicKey: P256.KeyAgreement.PublicKey
    }

    let recipients: [Recipient]
    /// 1 for a whole key; otherwise how many of the recipients' shares open it.
    let threshold: Int

    /// `charter`: the alliance charter the caller's own state gave it, which pins the keys of the states
    /// whose records pin the custodians' identity keys.
    static func fetch(dataset: String, api: APIClient, charter: AllianceCharter) async throws -> CustodyKeys {
        let (plan, _) = try await api.get(APIClient.path("v1", "datasets", dataset, "custody"), as: CustodyPlan.self)
        guard (1...max(1, plan.custodians.count)).contains(plan.threshold), !plan.custodians.isEmpty else {
            throw ClientError(
                message:
                    "the control plane asked for a \(plan.threshold)-of-\(plan.custodians.count) split, which cannot be made"
            )
        }
        var records: [JurisdictionCode: JurisdictionRecord] = [:]
        for jurisdiction in Set(plan.custodians.map(\.jurisdiction)) {
            records[jurisdiction] = try await signedRecord(of: jurisdiction, api: api, charter: charter)
        }
        let pinned = try await api.authority(matching: plan.caCertificate)
        let peers = try plan.custodians.map { try $0.peer() }
        let recipients = try await ObjectClient.withClient(trusting: pinned, peers: peers) { client in
            var recipients: [Recipient] = []
            for holder in plan.custodians {
                guard let record = records[holder.jurisdiction] else { continue }
                recipients.append(try await recipient(holder, plan: plan, record: record, client: client))
            }
            return recipients
        }
        return CustodyKeys(recipients: recipients, threshold: plan.threshold)
    }

    /// `jurisdiction`'s record of its ground, checked against the key `charter` pins for its authority:
    /// the control plane hands it on but cannot write it.
    private static func signedRecord(of jurisdiction: JurisdictionCode, api: APIClient, charter: AllianceCharter)
        async throws -> JurisdictionRecord
    {
        let (view, _) = try await api.get(
            APIClient.path("v1", "jurisdictions", jurisdiction.rawValue, "record"), as: JurisdictionRecordView.self)
        guard let text = view.signed else {
            throw ClientError(
                message:
                    "\(jurisdiction) has signed no record of its ground, so none of its custodians can be given a key; its authority signs one with daulat site sign"
            )
        }
        do {
            return try JurisdictionRecordSignatures.verify(text, under: charter)
        } catch {
            throw ClientError(
                message:
                    "the record of \(jurisdiction) the control plane gave does not hold under your charter: \(error)")
        }
    }

    /// `dataKey` wrapped to every recipient, whole or one share each, bound to the object, the key's id
    /// and the share's place in the split.
    func wrap(_ dataKey: SymmetricKey, objectID: String, keyID: String) throws -> [ObjectKey] {
        let bytes = dataKey.withUnsafeBytes { [UInt8]($0) }
        let parts: [(index: UInt8, bytes: [UInt8])] =
            threshold == 1
            ? recipients.map { _ in (0, bytes) }
            : try SecretSharing.split(bytes, threshold: threshold, shares: recipients.count).map {
                ($0.index, $0.bytes)
            }
        return try zip(recipients, parts).map { recipient, part in
            let context = try WrapContext(
                objectID: objectID, keyID: keyID, shareIndex: part.index,
                threshold: part.index == 0 ? 0 : UInt8(threshold))
            let wrapped = try KeyWrapping.wrap(
                part.bytes, to: recipient.publicKey, recipientKeyID: recipient.keyID, context: context)
            return ObjectKey(
                custodianID: recipient.custodianID, keyID: keyID, shareIndex: Int(part.index), threshold: threshold,
                recipientKeyID: recipient.keyID, encapsulatedKey: wrapped.encapsulatedKey.base64EncodedString(),
                ciphertext: wrapped.ciphertext.base64EncodedString())
        }
    }

    /// The custodian's key, checked to be signed with the identity key its state's signed record pins
    /// for it (the TLS handshake has already checked that the other end holds a certificate for it).
    private static func recipient(
        _ holder: CustodyPlan.Holder, plan: CustodyPlan, record: JurisdictionRecord, client: HTTPClient
    ) async throws -> Recipient {
        let published: CustodianMessages.PublicKey
        do {
            published = try await AgentHTTP.post(
                try holder.peer().url("/v1/keys"), CustodianMessages.KeyRequest(grant: plan.grant),
                as: CustodianMessages.PublicKey.self, client: client)
        } catch {
            throw ClientError(
                message:
                    "custodian '\(holder.custodianID)' (\(holder.jurisdiction.rawValue), \(holder.url)) did not give its key: \(error)"
            )
        }
        if let refusal = CustodianKeyProof.refusal(
            datasetID: plan.datasetID, keyID: published.keyID, publicKey: published.publicKey,
            signature: published.signature, custodianID: holder.custodianID, record: record)
        {
            throw ClientError(
                message:
                    "custodian '\(holder.custodianID)' is not given this object's key: \(refusal)")
        }
        guard let keyBytes = Data(base64Encoded: published.publicKey),
            let publicKey = try? P256.KeyAgreement.PublicKey(x963Representation: keyBytes),
            let version = KeyVersionID(published.keyID), version.custodianID == holder.custodianID,
            version.scope == plan.datasetID
        else {
            throw ClientError(
                message: "custodian '\(holder.custodianID)' answered with a key that is not its key for this dataset")
        }
        return Recipient(custodianID: holder.custodianID, keyID: published.keyID, publicKey: publicKey)
    }
}
