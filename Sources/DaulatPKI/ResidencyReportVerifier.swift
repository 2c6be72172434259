import DaulatCore
import Foundation

/// Checks a residency report offline with nothing but the alliance's audit log public key: the file is
/// exactly the canonical JSON that was signed, the report's signature and its tree head's are the key's,
/// every cited audit entry is in the log that head signs, and the key uses and releases counted (and the
/// releases flagged for a decision the log does not hold) are those entries'.
public enum ResidencyReportVerifier {
    public static func verify(_ file: Data, publicKey: String) throws(ReportVerificationError)
        -> SignedResidencyReport
    {
        let signed = try SignedEvidence.decode(SignedResidencyReport.self, from: file, what: "a residency report")
        let report = signed.report
        guard let signedBytes = try? SignedResidencyReport.signedBytes(report),
            AuditLogKey.isValid(signed.signature, for: signedBytes, publicKey: publicKey)
        else {
            throw ReportVerificationError("the report's signature is not the audit log key's (\(publicKey))")
        }
        try SignedEvidence.check(report.citedEntries, head: report.treeHead, publicKey: publicKey)
        var tally = KeyReleaseTally()
        var lastIndex: UInt64?
        for cited in report.citedEntries {
            let entry = cited.entry
            guard entry.subjectKind == "object", let after = entry.after else {
                throw ReportVerificationError("cited entry \(entry.sequence) is not a key use or release")
            }
            // Each entry once, in log order: none counted twice.
            guard lastIndex.map({ $0 < cited.proof.leafIdx }) ?? true else {
                throw ReportVerificationError("cited entry \(entry.sequence) is out of order or cited twice")
            }
            lastIndex = cited.proof.leafIdx
            // A report as at an instant counts the uses made by then, none after.
            if let asAt = report.asAt, entry.at > asAt {
                throw ReportVerificationError(
                    "cited entry \(entry.sequence) was written after the instant the report describes")
            }
            if entry.action == "key.released" {
                guard let release = try? CanonicalJSON.decode(SignedKeyRelease.self, from: after),
                    release.record.request.objectID == entry.subjectID
                else { throw ReportVerificationError("cited entry \(entry.sequence) is not a key release") }
                guard release.record.concerns(report.jurisdiction) else {
                    throw ReportVerificationError(
                        "cited entry \(entry.sequence) does not concern \(report.jurisdiction.rawValue)")
                }
                tally.add(release.record)
                continue
            }
            guard entry.action == "key.unwrap_allowed" || entry.action == "key.unwrap_refused",
                let use = try? CanonicalJSON.decode(KeyUse.self, from: after), use.request.objectID == entry.subjectID,
                use.allowed == (entry.action == "key.unwrap_allowed")
            else {
                throw ReportVerificationError("cited entry \(entry.sequence) is not a key use or release")
            }
            // A use whose home is not recorded (entries written before it was) is judged by where it was asked.
            guard use.concerns(report.jurisdiction) || use.datasetHome == nil else {
                throw ReportVerificationError(
                    "cited entry \(entry.sequence) does not concern \(report.jurisdiction.rawValue)")
            }
            tally.add(use)
        }
        guard KeyUseCount.counting(tally.uses) == report.keyUses else {
            throw ReportVerificationError("the key uses counted are not those of the cited entries")
        }
        guard tally.releases == report.keyReleases, tally.unlogged == report.unloggedReleases else {
            throw ReportVerificationError(
                "the key releases counted, or those flagged for a decision the log does not hold, are not those of the cited entries"
            )
        }
        return signed
    }
}
