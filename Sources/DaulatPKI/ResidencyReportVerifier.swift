import DaulatCore
import Foundation

/// Checks a residency report offline with nothing but the alliance's audit log public key: the file is
/// exactly the canonical JSON that was signed, the report's signature and its tree head's are the key's,
/// every cited audit entry is in the log that head signs, and the key uses counted are those entries.
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
        var uses: [KeyUse] = []
        for cited in report.citedEntries {
            guard let after = cited.entry.after, let use = try? CanonicalJSON.decode(KeyUse.self, from: after) else {
                throw ReportVerificationError("cited entry \(cited.entry.sequence) is not a key use")
            }
            uses.append(use)
        }
        guard KeyUseCount.counting(uses) == report.keyUses else {
            throw ReportVerificationError("the key uses counted are not those of the cited entries")
        }
        return signed
    }
}
