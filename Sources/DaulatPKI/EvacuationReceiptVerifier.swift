import DaulatCore
import Foundation

/// Checks an evacuation receipt offline with the alliance's audit log public key: the file is the
/// receipt as signed, the signatures are the key's, every cited entry is in the signed log, they are
/// this evacuation's, and the last of its own says what the receipt says.
public enum EvacuationReceiptVerifier {
    public static func verify(_ file: Data, publicKey: String) throws(ReportVerificationError)
        -> SignedEvacuationReceipt
    {
        let signed = try SignedEvidence.decode(SignedEvacuationReceipt.self, from: file, what: "an evacuation receipt")
        let receipt = signed.receipt
        guard let signedBytes = try? SignedEvacuationReceipt.signedBytes(receipt),
            AuditLogKey.isValid(signed.signature, for: signedBytes, publicKey: publicKey)
        else {
            throw ReportVerificationError("the receipt's signature is not the audit log key's (\(publicKey))")
        }
        try SignedEvidence.check(receipt.citedEntries, head: receipt.treeHead, publicKey: publicKey)
        let evacuation = receipt.evacuation
        let own = receipt.citedEntries.map(\.entry).filter { $0.action.hasPrefix("evacuation.") }
        for entry in receipt.citedEntries.map(\.entry) where entry.subjectID != evacuation.datasetID {
            throw ReportVerificationError("cited entry \(entry.sequence) is about another dataset")
        }
        guard let last = own.last, let document = last.after,
            (try? CanonicalJSON.decode(Evacuation.self, from: document)) == evacuation
        else {
            throw ReportVerificationError("the receipt is not what the evacuation's last audit entry records")
        }
        guard evacuation.endedAt != nil else { throw ReportVerificationError("the evacuation has not ended") }
        return signed
    }
}
