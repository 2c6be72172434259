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
        guard let endedAt = evacuation.endedAt else { throw ReportVerificationError("the evacuation has not ended") }
        var lastIndex: UInt64?
        var copyLeft = false
        for cited in receipt.citedEntries {
            let entry = cited.entry
            guard entry.subjectKind == "dataset", entry.subjectID == evacuation.datasetID,
                entry.at >= evacuation.startedAt, entry.at <= endedAt
            else {
                throw ReportVerificationError(
                    "cited entry \(entry.sequence) is not of this evacuation's dataset and time")
            }
            guard lastIndex.map({ $0 < cited.proof.leafIdx }) ?? true else {
                throw ReportVerificationError("cited entry \(entry.sequence) is out of order or cited twice")
            }
            lastIndex = cited.proof.leafIdx
            if entry.action.hasPrefix("evacuation.") {
                guard let document = entry.after,
                    (try? CanonicalJSON.decode(Evacuation.self, from: document))?.id == evacuation.id
                else {
                    throw ReportVerificationError("cited entry \(entry.sequence) is about another evacuation")
                }
            } else if let event = CopyEvent.of(entry),
                entry.action == "object.copy_released" || entry.action == "object.copy_lost"
            {
                guard event.object == evacuation.objectID, event.host == evacuation.hostID else {
                    throw ReportVerificationError("cited entry \(entry.sequence) is about another copy")
                }
                copyLeft = true
            } else {
                throw ReportVerificationError(
                    "cited entry \(entry.sequence) is neither the evacuation's nor its copy's")
            }
        }
        let own = receipt.citedEntries.map(\.entry).filter { $0.action.hasPrefix("evacuation.") }
        guard let last = own.last, let document = last.after,
            (try? CanonicalJSON.decode(Evacuation.self, from: document)) == evacuation
        else {
            throw ReportVerificationError("the receipt is not what the evacuation's last audit entry records")
        }
        // Met or missed means the copy left: its release or loss must be among the evidence.
        if evacuation.state == .met || evacuation.state == .missed, !copyLeft {
            throw ReportVerificationError("the receipt says the copy left, but cites no release of it")
        }
        return signed
    }
}
