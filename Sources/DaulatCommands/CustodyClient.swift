import AsyncHTTPClient
import Crypto
import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatCrypto
import Foundation

/// The client's side of an unwrap: a data key comes back only re-wrapped to a one-time key made here
/// for one read (wrapping new keys is ``CustodyKeys``).
enum CustodyClient {
    /// The data key and its id, from the custodians the release names: any one of them for a whole key,
    /// `threshold` of them for a split one. Otherwise an error naming each custodian that did not give
    /// its key or share, its jurisdiction, and why.
    static func recover(
        _ release: KeyRelease, objectID: String, requesterKey: P256.KeyAgreement.PrivateKey, client: HTTPClient
    ) async throws -> (dataKey: SymmetricKey, keyID: String) {
        guard let keyID = release.keys.first?.keyID else {
            throw ClientError(message: "the control plane holds no wrapped key for object \(objectID)")
        }
        guard release.keys.allSatisfy({ UInt8(exactly: $0.shareIndex) != nil }) else {
            throw ClientError(message: "the control plane sent a share index out of range for object \(objectID)")
        }
        let holders = Dictionary(
            release.custodians.map { ($0.custodianID, $0) }, uniquingKeysWith: { first, _ in first })
        func expected(_ key: ObjectKey) -> ExpectedShare {
            ExpectedShare(
                index: UInt8(key.shareIndex), custodian: key.custodianID,
                jurisdiction: holders[key.custodianID]?.jurisdiction.rawValue ?? "?")
        }
        // A whole key is asked of one custodian at a time, until one releases it; shares of all at
        // once, the key opened as soon as enough have come back.
        let rounds: [[ObjectKey]] = release.threshold == 1 ? release.keys.map { [$0] } : [release.keys]
        var failures: [String] = []
        for keys in rounds {
            do {
                var recovery = try KeyRecovery(
                    threshold: release.threshold, expected: keys.map(expected), requesterKey: requesterKey,
                    objectID: objectID, keyID: keyID)
                try await withThrowingTaskGroup(of: (UInt8, Result<WrappedKey, any Error>).self) { group in
                    for key in keys {
                        let index = UInt8(key.shareIndex)
                        guard let holder = holders[key.custodianID] else {
                            recovery.fail(index: index, reason: "it is not reporting where it can be reached")
                            continue
                        }
                        group.addTask {
                            do {
                                return (
                                    index,
                                    .success(
                                        try await share(
                                            of: key, from: holder, release: release, objectID: objectID,
                                            client: client))
                                )
                            } catch {
                                return (index, .failure(error))
                            }
                        }
                    }
                    for try await (index, result) in group {
                        switch result {
                        case .success(let share): recovery.receive(share, index: index)
                        case .failure(let error): recovery.fail(index: index, reason: "\(error)")
                        }
                        if recovery.isComplete {
                            group.cancelAll()
                            break
                        }
                    }
                }
                return (try recovery.dataKey(), keyID)
            } catch {
                // Kept against the custodians of this round; the next round may still succeed.
                failures.append("\(error)")
            }
        }
        throw ClientError(
            message: "the data key of object \(objectID) could not be recovered: "
                + failures.joined(separator: "; "))
    }

    /// One custodian's key or share, re-wrapped to the requester's one-time key.
    private static func share(
        of key: ObjectKey, from holder: CustodyPlan.Holder, release: KeyRelease, objectID: String, client: HTTPClient
    ) async throws -> WrappedKey {
        let share = try await AgentHTTP.post(
            try holder.peer().url("/v1/unwrap"),
            CustodianMessages.ShareRequest(decision: release.decision, objectID: objectID, key: key),
            as: CustodianMessages.Share.self, client: client)
        guard let encapsulated = Data(base64Encoded: share.encapsulatedKey),
            let ciphertext = Data(base64Encoded: share.ciphertext)
        else {
            throw ClientError(message: "custodian '\(key.custodianID)' answered with something not a wrapped key")
        }
        return WrappedKey(recipientKeyID: share.recipientKeyID, encapsulatedKey: encapsulated, ciphertext: ciphertext)
    }
}
