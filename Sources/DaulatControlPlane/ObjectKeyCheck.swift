import DaulatCore
import Foundation

/// Checks the wrapped keys a client registers with a new object, before anything is stored: one data
/// key, wrapped only to known custodians in jurisdictions where the dataset's keys may be held now, to
/// this dataset's custodian keys, to custodians reporting now (a revoked or silent one is not given new
/// keys), and split exactly as the dataset's policy asks, across distinct jurisdictions.
struct ObjectKeyCheck {
    let datasetID: String
    let keyJurisdictions: Set<JurisdictionCode>
    /// The policy's split now; nil when keys are held whole.
    let split: KeySplit?
    let custodians: [Custodian]
    /// The custodians heard from lately.
    let reporting: Set<String>

    static var mostKeys: Int { KeySplit.mostShares }

    func check(_ keys: [ObjectKey]) throws {
        guard (1...Self.mostKeys).contains(keys.count) else {
            throw APIError.invalidField("'keys' must hold 1 to \(Self.mostKeys) wrapped keys")
        }
        let keyID = keys[0].keyID
        try Identifier.validate(keyID, what: "key id")
        let threshold = keys[0].threshold
        guard keys.allSatisfy({ $0.keyID == keyID && $0.threshold == threshold }) else {
            throw APIError.invalidField("every wrapped key must be of the same 'keyID' and 'threshold'")
        }
        guard Set(keys.map(\.custodianID)).count == keys.count else {
            throw APIError.invalidField("each custodian may hold one wrapped key of an object")
        }
        let byID = Dictionary(custodians.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var jurisdictions: [JurisdictionCode] = []
        for key in keys {
            guard let custodian = byID[key.custodianID] else { throw APIError.notFound("custodian", key.custodianID) }
            guard keyJurisdictions.contains(custodian.jurisdiction) else {
                throw APIError(
                    .unprocessableContent, code: "key_holder_not_allowed",
                    message:
                        "keys of '\(datasetID)' may not be held in \(custodian.jurisdiction.rawValue), where custodian '\(custodian.id)' is"
                )
            }
            jurisdictions.append(custodian.jurisdiction)
            guard let recipient = KeyVersionID(key.recipientKeyID), recipient.custodianID == custodian.id,
                recipient.scope == datasetID
            else {
                throw APIError.invalidField(
                    "'recipientKeyID' must name a key of custodian '\(custodian.id)' for dataset '\(datasetID)' (\(custodian.id)/\(datasetID)/vN)"
                )
            }
            guard reporting.contains(custodian.id) else {
                throw APIError(
                    .unprocessableContent, code: "key_holder_not_reporting",
                    message:
                        "custodian '\(custodian.id)' is not reporting (down or revoked); wrap to the custodians of GET /v1/datasets/\(datasetID)/custody"
                )
            }
            guard let encapsulated = Data(base64Encoded: key.encapsulatedKey), encapsulated.count == 65,
                let ciphertext = Data(base64Encoded: key.ciphertext), (17...1_024).contains(ciphertext.count)
            else {
                throw APIError.invalidField(
                    "a wrapped key's 'encapsulatedKey' (65 bytes) and 'ciphertext' must be base64 of an HPKE P-256 wrapping"
                )
            }
        }
        if threshold == 1 {
            guard keys.allSatisfy({ $0.shareIndex == 0 }) else {
                throw APIError.invalidField("a whole key (threshold 1) has share index 0")
            }
        } else {
            // Checked without forming 2...count, which does not exist for one key.
            guard threshold >= 2, threshold <= keys.count else {
                throw APIError.invalidField("'threshold' must be 1, or from 2 to the number of shares")
            }
            guard Set(keys.map(\.shareIndex)) == Set(1...keys.count) else {
                throw APIError.invalidField("the shares of a split key are numbered 1 to \(keys.count)")
            }
            guard Set(jurisdictions).count == jurisdictions.count else {
                throw APIError.invalidField("the shares of a split key go to custodians in distinct jurisdictions")
            }
        }
        // A client must not hold a key whole where the policy splits it, nor split it otherwise.
        let wrapped = threshold == 1 ? "whole" : "split \(threshold)-of-\(keys.count)"
        let asked = split.map { "split \($0.threshold)-of-\($0.shares)" } ?? "whole"
        guard wrapped == asked else {
            throw APIError(
                .unprocessableContent, code: "key_split_mismatch",
                message:
                    "keys of '\(datasetID)' are to be held \(asked), these are \(wrapped); wrap as GET /v1/datasets/\(datasetID)/custody says"
            )
        }
    }
}
