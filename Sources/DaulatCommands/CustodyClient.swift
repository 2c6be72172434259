import AsyncHTTPClient
import Crypto
import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatCrypto
import Foundation

/// The client's side of key custody: data keys are made and used here and leave only wrapped to
/// custodians; they come back only re-wrapped to a one-time key made here for one read.
enum CustodyClient {
    /// The data key wrapped to every custodian the plan names, each asked for its key with the plan's grant.
    static func wrap(_ dataKey: SymmetricKey, plan: CustodyPlan, objectID: String, keyID: String, client: HTTPClient)
        async throws -> [ObjectKey]
    {
        let bytes = dataKey.withUnsafeBytes { [UInt8]($0) }
        var keys: [ObjectKey] = []
        for holder in plan.custodians {
            let published: CustodianMessages.PublicKey
            do {
                published = try await AgentHTTP.post(
                    holder.url + "/v1/keys", CustodianMessages.KeyRequest(grant: plan.grant),
                    as: CustodianMessages.PublicKey.self, client: client)
            } catch {
                throw ClientError(
                    message:
                        "custodian '\(holder.custodianID)' (\(holder.jurisdiction.rawValue), \(holder.url)) did not give its key: \(error)"
                )
            }
            guard let keyBytes = Data(base64Encoded: published.publicKey),
                let publicKey = try? P256.KeyAgreement.PublicKey(x963Representation: keyBytes),
                published.keyID.hasPrefix("\(holder.custodianID)/\(plan.datasetID)/v")
            else {
                throw ClientError(
                    message:
                        "custodian '\(holder.custodianID)' answered with a key that is not its key for this dataset")
            }
            let wrapped = try KeyWrapping.wrap(
                bytes, to: publicKey, recipientKeyID: published.keyID,
                context: try WrapContext(objectID: objectID, keyID: keyID))
            keys.append(
                ObjectKey(
                    custodianID: holder.custodianID, keyID: keyID, shareIndex: 0, threshold: 1,
                    recipientKeyID: published.keyID, encapsulatedKey: wrapped.encapsulatedKey.base64EncodedString(),
                    ciphertext: wrapped.ciphertext.base64EncodedString()))
        }
        return keys
    }

    /// The data key, from the custodians the release names: any one of them for a whole key, `threshold`
    /// of them for a split one. Otherwise an error naming each missing key or share, its custodian,
    /// jurisdiction and why.
    static func recover(
        _ release: KeyRelease, objectID: String, requesterKey: P256.KeyAgreement.PrivateKey, client: HTTPClient
    ) async throws -> SymmetricKey {
        guard let keyID = release.keys.first?.keyID else {
            throw ClientError(message: "the control plane holds no wrapped key for object \(objectID)")
        }
        let holders = Dictionary(
            release.custodians.map { ($0.custodianID, $0) }, uniquingKeysWith: { first, _ in first })
        func expected(_ key: ObjectKey) -> ExpectedShare {
            ExpectedShare(
                index: UInt8(clamping: key.shareIndex), custodian: key.custodianID,
                jurisdiction: holders[key.custodianID]?.jurisdiction.rawValue ?? "?")
        }
        // A whole key is asked of one custodian at a time, until one releases it; shares of all.
        let rounds: [[ObjectKey]] = release.threshold == 1 ? release.keys.map { [$0] } : [release.keys]
        var failures: [KeyRecoveryError] = []
        for keys in rounds {
            var recovery = try KeyRecovery(
                threshold: release.threshold, expected: keys.map(expected), requesterKey: requesterKey,
                objectID: objectID, keyID: keyID)
            for key in keys {
                let index = UInt8(clamping: key.shareIndex)
                guard let holder = holders[key.custodianID] else {
                    recovery.fail(index: index, reason: "it has never reported where it can be reached")
                    continue
                }
                do {
                    let share = try await AgentHTTP.post(
                        holder.url + "/v1/unwrap",
                        CustodianMessages.ShareRequest(decision: release.decision, objectID: objectID, key: key),
                        as: CustodianMessages.Share.self, client: client)
                    guard let encapsulated = Data(base64Encoded: share.encapsulatedKey),
                        let ciphertext = Data(base64Encoded: share.ciphertext)
                    else {
                        recovery.fail(index: index, reason: "its answer was not a wrapped key")
                        continue
                    }
                    recovery.receive(
                        WrappedKey(
                            recipientKeyID: share.recipientKeyID, encapsulatedKey: encapsulated, ciphertext: ciphertext),
                        index: index)
                } catch {
                    recovery.fail(index: index, reason: "\(error)")
                }
            }
            do {
                return try recovery.dataKey()
            } catch let error as KeyRecoveryError {
                failures.append(error)
            }
        }
        throw ClientError(
            message: "the data key of object \(objectID) could not be recovered: "
                + failures.map { "\($0)" }.joined(separator: "; "))
    }
}
