import Foundation

extension AuditEntry {
    /// What the entry is as a leaf of the audit log's Merkle tree: its canonical JSON without the
    /// sequence number (its place is its position in the tree), so that anyone holding the entry can
    /// hash it (SHA-256(0x00 ‖ these bytes)) and check it against a signed tree head.
    public var leafData: Data {
        let leaf = Leaf(
            at: at, actor: actor, action: action, subjectKind: subjectKind, subjectID: subjectID, before: before,
            after: after)
        // Plain strings and a rounded instant: encoding cannot fail.
        return Data(((try? CanonicalJSON.encode(leaf)) ?? "").utf8)
    }

    private struct Leaf: Encodable {
        var at: Date
        var actor: String
        var action: String
        var subjectKind: String
        var subjectID: String
        var before: String?
        var after: String?
    }
}
