import DaulatCore
import DaulatCrypto
import Foundation

/// Checks a residency report offline with nothing but the alliance's audit log public key: the file is
/// exactly the canonical JSON that was signed, the report's signature and its tree head's are the key's,
/// every cited audit entry is in the log that head signs, and the key uses counted are those entries.
public enum ResidencyReportVerifier {
    public static func verify(_ file: Data, publicKey: String) throws(ReportVerificationError) -> SignedResidencyReport
    {
        let signed: SignedResidencyReport
        do {
            signed = try CanonicalJSON.decoder().decode(SignedResidencyReport.self, from: file)
        } catch {
            throw ReportVerificationError("the file is not a residency report: \(error)")
        }
        // Byte for byte as signed: any change, even one the JSON reader would forgive, is refused.
        var bytes = file
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        guard let canonical = try? CanonicalJSON.encode(signed), Data(canonical.utf8) == bytes else {
            throw ReportVerificationError(
                "the file is not the report as signed: its bytes differ from its canonical form")
        }
        let report = signed.report
        guard let signedBytes = try? SignedResidencyReport.signedBytes(report),
            AuditLogKey.isValid(signed.signature, for: signedBytes, publicKey: publicKey)
        else {
            throw ReportVerificationError("the report's signature is not the audit log key's (\(publicKey))")
        }
        guard AuditLogKey.verify(report.treeHead, publicKey: publicKey) else {
            throw ReportVerificationError("the report's tree head is not signed by the audit log key")
        }
        let head = report.treeHead
        var uses: [KeyUse] = []
        for cited in report.citedEntries {
            let sequence = cited.entry.sequence
            let leaf = MerkleHash.leaf(cited.entry.leafData)
            guard Data(leaf).base64EncodedString() == cited.proof.leafHash else {
                throw ReportVerificationError("cited entry \(sequence) does not hash to its proof's leaf")
            }
            guard cited.proof.treeSize == UInt64(head.size), cited.proof.root == head.root else {
                throw ReportVerificationError("cited entry \(sequence) is proven against another tree than the head's")
            }
            guard let root = Data(base64Encoded: head.root) else {
                throw ReportVerificationError("the tree head's root is not base64")
            }
            do {
                try MerkleProof.verifyInclusion(
                    index: cited.proof.leafIdx, size: cited.proof.treeSize, leafHash: leaf,
                    proof: cited.proof.proof.map { [UInt8](Data(base64Encoded: $0) ?? Data()) }, root: [UInt8](root))
            } catch {
                throw ReportVerificationError("cited entry \(sequence) is not in the signed log: \(error)")
            }
            guard let after = cited.entry.after, let use = try? CanonicalJSON.decode(KeyUse.self, from: after) else {
                throw ReportVerificationError("cited entry \(sequence) is not a key use")
            }
            uses.append(use)
        }
        guard KeyUseCount.counting(uses) == report.keyUses else {
            throw ReportVerificationError("the key uses counted are not those of the cited entries")
        }
        return signed
    }
}
