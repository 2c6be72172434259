import DaulatCore
import DaulatCrypto
import DaulatPKI
import Foundation
import Logging
import Metrics
import Synchronization

/// The audit log as an RFC 6962 Merkle tree: its leaves are the entries (``AuditEntry/leafData``) in
/// sequence order. Heads are signed with the alliance's audit log key, and only once the log is seen
/// to extend the last head signed: a log changed underneath is refused a new head, not blessed by one.
/// The tree is kept in memory as entries are read, so each entry is read and hashed once per process.
public final class AuditTree<Store: DaulatStore>: Sendable {
    let store: Store
    let logger: Logger
    private let key = Mutex<AuditLogKey?>(nil)
    private let kept = Mutex<(tree: MerkleTree, lastSequence: Int64)>((MerkleTree(), Int64.min))
    /// Its rate is the rate of audit appends, whichever control plane made them.
    private let entriesGauge = Gauge(label: "daulat_audit_log_entries")
    /// The last head this process signed or saw extended: no need to recompute its root again.
    private let verified = Mutex<SignedTreeHead?>(nil)

    public init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Loads the audit log key, or makes and keeps one on first start, sealed with `sealingKey`.
    public func activate(sealingKey: CertificateAuthorityKey, now: Date = Date()) async throws {
        let kept: StoredAuditLogKey
        if let stored = try await store.auditLogKey() {
            kept = stored
        } else {
            let made = AuditLogKey.generate()
            kept = try await store.establishAuditLogKey(
                StoredAuditLogKey(
                    publicKey: made.publicKey, sealedKey: try made.sealed(with: sealingKey),
                    createdAt: CanonicalJSON.rounded(now)))
        }
        let loaded = try AuditLogKey(sealed: kept.sealedKey, sealingKey: sealingKey)
        key.withLock { $0 = loaded }
    }

    /// Base64 of the public key that checks every tree head.
    func publicKey() throws -> String { try signingKey().publicKey }

    /// The log's signature of `checkpoint` (a head it signed, as a C2SP checkpoint).
    func sign(_ checkpoint: Checkpoint) throws -> SignedNote.Signature { try signingKey().sign(checkpoint) }

    /// The tree of the log's first `size` entries (all of them when nil). Entries are read from the
    /// store only past the last one this process has read; the tree kept grows by them.
    func tree(size: Int64? = nil) async throws -> MerkleTree {
        let wanted: Int64
        if let size { wanted = size } else { wanted = try await store.auditLogSize() }
        var (tree, last) = kept.withLock { $0 }
        // Grown outside the lock (the copy shares all but the chunks it adds to), then kept if no one
        // kept a longer one meanwhile: both come from the same log in the same order.
        while Int64(tree.size) < wanted {
            let page = try await store.auditEntries(after: last, limit: 10_000)
            guard let newest = page.last else { break }
            for entry in page { tree.append(leafHash: MerkleHash.leaf(entry.leafData)) }
            last = newest.sequence
        }
        let grown = (tree, last)
        tree = kept.withLock { kept in
            if grown.0.size > kept.tree.size { kept = grown }
            return kept.tree
        }
        guard Int64(tree.size) >= wanted else {
            throw altered("the audit log counts \(wanted) entries but only \(tree.size) can be read in order")
        }
        entriesGauge.record(tree.size)
        return tree.prefix(Int(wanted))
    }

    /// Signs a head for the log as it is now, once it is seen to extend the last head signed; the
    /// last head itself when the log has not grown. The last head is taken only if its signature is
    /// this key's, and one of the same size kept meanwhile by another control plane must have the same
    /// root: anything else means the log, or its heads, were changed underneath.
    @discardableResult
    public func publish(at now: Date) async throws -> SignedTreeHead {
        let signer = try signingKey()
        let tree = try await tree()
        if let latest = try await store.latestTreeHead() {
            guard AuditLogKey.verify(latest, publicKey: signer.publicKey) else {
                throw altered("the last tree head kept (size \(latest.size)) is not signed by the audit log key")
            }
            if latest.size == tree.size, latest.root == Data(tree.root).base64EncodedString() { return latest }
            let extends = verified.withLock { $0 == latest }
            guard
                extends
                    || (latest.size >= 0 && latest.size <= tree.size
                        && Data(tree.prefix(Int(latest.size)).root)
                            .base64EncodedString() == latest.root)
            else {
                throw altered(
                    "the audit log's first \(latest.size) entries no longer give the root signed at \(CanonicalJSON.format(latest.timestamp))"
                )
            }
        }
        let head = try signer.sign(size: Int64(tree.size), root: tree.root, at: CanonicalJSON.rounded(now))
        let kept = try await store.addTreeHead(head)
        guard kept.root == head.root else {
            throw altered("another head of size \(head.size) was signed with another root")
        }
        verified.withLock { $0 = kept }
        return kept
    }

    /// Logs the alteration as critical and makes it the answer.
    private func altered(_ what: String) -> APIError {
        logger.critical("the audit log has been changed; no new head is signed", metadata: ["daulat.reason": "\(what)"])
        return APIError(.conflict, code: "audit_log_altered", message: "\(what): the audit log has been changed")
    }

    /// `report` signed with the audit log key.
    func sign(_ report: ResidencyReport) throws -> SignedResidencyReport {
        try signingKey().sign(report)
    }

    func sign(_ receipt: EvacuationReceipt) throws -> SignedEvacuationReceipt {
        try signingKey().sign(receipt)
    }

    /// `entry`, standing at `position` in `tree` (the tree `head` signs), with its inclusion proof.
    static func cite(_ entry: AuditEntry, at position: Int, in tree: MerkleTree, head: SignedTreeHead) -> CitedEntry {
        CitedEntry(
            entry: entry,
            proof: InclusionProof(
                leafIdx: UInt64(position), treeSize: UInt64(head.size), root: head.root,
                leafHash: Data(tree.leafHash(at: position)).base64EncodedString(),
                proof: tree.inclusionProof(index: position).map { Data($0).base64EncodedString() }))
    }

    func inclusionProof(index: Int64, size: Int64) async throws -> InclusionProof {
        guard index >= 0, index < size else {
            throw APIError.invalidParameter("'index' must be from 0 to the tree size less one (\(size - 1))")
        }
        let tree = try await tree(size: size)
        try await requireSignedRoot(tree.root, size: size)
        return InclusionProof(
            leafIdx: UInt64(index), treeSize: UInt64(size), root: Data(tree.root).base64EncodedString(),
            leafHash: Data(tree.leafHash(at: Int(index))).base64EncodedString(),
            proof: tree.inclusionProof(index: Int(index)).map { Data($0).base64EncodedString() })
    }

    func consistencyProof(from size1: Int64, to size2: Int64) async throws -> ConsistencyProof {
        guard size1 >= 1, size1 <= size2 else {
            throw APIError.invalidParameter("'from' must be from 1 to 'to'")
        }
        let tree = try await tree(size: size2)
        let root1 = tree.prefix(Int(size1)).root
        try await requireSignedRoot(root1, size: size1)
        try await requireSignedRoot(tree.root, size: size2)
        return ConsistencyProof(
            size1: UInt64(size1), size2: UInt64(size2),
            root1: Data(root1).base64EncodedString(),
            root2: Data(tree.root).base64EncodedString(),
            proof: tree.consistencyProof(from: Int(size1)).map { Data($0).base64EncodedString() })
    }

    /// A proof is served only for a tree whose root is the one signed for its size, when one was.
    private func requireSignedRoot(_ root: [UInt8], size: Int64) async throws {
        guard let head = try await store.treeHead(size: size) else { return }
        guard head.root == Data(root).base64EncodedString() else {
            throw altered("the first \(size) entries no longer give the root signed for that size")
        }
    }

    private func signingKey() throws -> AuditLogKey {
        guard let key = key.withLock({ $0 }) else {
            throw APIError(
                .serviceUnavailable, code: "audit_log_not_ready",
                message: "the control plane is still starting; try again shortly")
        }
        return key
    }
}
