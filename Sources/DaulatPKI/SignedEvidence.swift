import DaulatCore
import DaulatCrypto
import Foundation

/// The checks every signed piece of evidence shares: the file is exactly its canonical JSON, and each
/// audit entry it cites is in the log its tree head signs.
enum SignedEvidence {
    /// Decodes `file`, refusing it unless it is byte for byte the canonical JSON that was signed.
    static func decode<Envelope: Codable>(_ type: Envelope.Type, from file: Data, what: String)
        throws(ReportVerificationError) -> Envelope
    {
        let envelope: Envelope
        do {
            envelope = try CanonicalJSON.decoder().decode(Envelope.self, from: file)
        } catch {
            throw ReportVerificationError("the file is not \(what): \(error)")
        }
        // Byte for byte as signed: any change, even one the JSON reader would forgive, is refused.
        var bytes = file
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        guard let canonical = try? CanonicalJSON.encode(envelope), Data(canonical.utf8) == bytes else {
            throw ReportVerificationError("the file is not \(what) as signed: its bytes differ from its canonical form")
        }
        return envelope
    }

    /// Checks the head's signature and that every cited entry is in the log it signs.
    static func check(_ cited: [CitedEntry], head: SignedTreeHead, publicKey: String)
        throws(ReportVerificationError)
    {
        guard AuditLogKey.verify(head, publicKey: publicKey) else {
            throw ReportVerificationError("the tree head is not signed by the audit log key")
        }
        guard let root = Data(base64Encoded: head.root) else {
            throw ReportVerificationError("the tree head's root is not base64")
        }
        for entry in cited {
            let sequence = entry.entry.sequence
            let leaf = MerkleHash.leaf(entry.entry.leafData)
            guard Data(leaf).base64EncodedString() == entry.proof.leafHash else {
                throw ReportVerificationError("cited entry \(sequence) does not hash to its proof's leaf")
            }
            guard entry.proof.treeSize == UInt64(head.size), entry.proof.root == head.root else {
                throw ReportVerificationError("cited entry \(sequence) is proven against another tree than the head's")
            }
            do {
                try MerkleProof.verifyInclusion(
                    index: entry.proof.leafIdx, size: entry.proof.treeSize, leafHash: leaf,
                    proof: entry.proof.proof.map { [UInt8](Data(base64Encoded: $0) ?? Data()) }, root: [UInt8](root))
            } catch {
                throw ReportVerificationError("cited entry \(sequence) is not in the signed log: \(error)")
            }
        }
    }
}
