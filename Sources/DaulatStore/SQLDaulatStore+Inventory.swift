import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func reconcileInventory(
        hostID: String, objects held: Set<String>, corrupt: Set<String>, legacy: Set<String>, at time: Date
    ) async throws -> AgentMessages.InventoryReceipt {
        let actor = "agent:\(hostID)"
        return try await backend.transaction { executor in
            let recorded = try await executor.query(
                "SELECT c.object_id, o.sha256, o.dataset_id FROM object_copies c JOIN objects o ON o.id = c.object_id WHERE c.host_id = \(hostID) ORDER BY c.object_id"
            )
            var lost: [String] = []
            var adopt: [AgentMessages.Adoption] = []
            var recordedIDs = Set<String>()
            for row in recorded {
                let (objectID, sha256) = (try row.string("object_id"), try row.string("sha256"))
                recordedIDs.insert(objectID)
                guard !held.contains(objectID) else { continue }
                // Kept by an agent of an earlier version under its hash: the copy recorded here is that blob.
                if !corrupt.contains(objectID) && legacy.contains(sha256) {
                    adopt.append(AgentMessages.Adoption(objectID: objectID, sha256: sha256))
                    continue
                }
                let reason = corrupt.contains(objectID) ? "corrupt" : "missing"
                // Released or recorded lost at the same moment through another path: nothing more to do.
                guard
                    try await self.forgetLostCopy(
                        executor, objectID: objectID, hostID: hostID, datasetID: try row.string("dataset_id"),
                        sha256: sha256, reason: reason, at: time, actor: actor)
                else { continue }
                lost.append(objectID)
            }
            // Objects held but not recorded here. The agent's word is not evidence of a copy, not even of
            // the only one: a host placed for an object can name it before the owner's upload lands, and a
            // copy counted on that word would later let the real one be released. Such a copy is flagged
            // and left on disk; where the host is placed and a counted copy exists, it is copied again
            // through a ticket, which is the evidence.
            let unrecorded = held.subtracting(recordedIDs).sorted()
            var unverified: [String] = []
            for start in stride(from: 0, to: unrecorded.count, by: SQLStatement.listLimit) {
                let batch = unrecorded[start..<min(start + SQLStatement.listLimit, unrecorded.count)]
                unverified += try await executor.query(
                    "SELECT id FROM objects WHERE id IN \(SQLStatement.list(batch)) ORDER BY id"
                ).map { try $0.string("id") }
            }
            let known = Set(unverified)
            let unknown = unrecorded.filter { !known.contains($0) }
            let adopted = Set(adopt.map(\.sha256))
            var flags: [String: String] = [:]
            for objectID in unverified { flags[objectID] = "held without evidence: a copy counts only with its ticket" }
            for objectID in unknown { flags[objectID] = "no object has this id" }
            for sha256 in legacy.subtracting(adopted) {
                flags[sha256] = "kept by hash alone, and no copy recorded on this host has this hash"
            }
            try await self.flag(flags, hostID: hostID, at: time, actor: actor, executor)
            return AgentMessages.InventoryReceipt(
                lost: lost, unverified: unverified,
                unknown: (unknown + legacy.subtracting(adopted)).sorted(), adopt: adopt)
        }
    }

    /// The most blobs one audit entry names: an agent may report a million strays, and the permanent log
    /// records how many there were and a sample, not each.
    static var flaggedNamedInAudit: Int { 20 }

    /// Makes `flags` (blob → reason) the host's flagged blobs: those no longer reported are unflagged, new
    /// ones flagged and audited together, in one `blob.flagged` entry per inventory however many.
    private func flag(
        _ flags: [String: String], hostID: String, at time: Date, actor: String, _ executor: Backend.Executor
    ) async throws {
        let flagged = Set(
            try await executor.query("SELECT blob FROM flagged_blobs WHERE host_id = \(hostID)").map {
                try $0.string("blob")
            })
        for blob in flagged.subtracting(flags.keys).sorted() {
            try await executor.query("DELETE FROM flagged_blobs WHERE host_id = \(hostID) AND blob = \(blob)")
        }
        // Two inventories of one host at once may both find a blob new: it is flagged, and audited, once.
        var new: [String] = []
        for blob in Set(flags.keys).subtracting(flagged).sorted() {
            let inserted = try await executor.query(
                "INSERT INTO flagged_blobs (host_id, blob, reason, first_seen_ms) VALUES (\(hostID), \(blob), \(flags[blob]!), \(time.millisecondsSince1970)) ON CONFLICT (host_id, blob) DO NOTHING RETURNING blob"
            )
            if !inserted.isEmpty { new.append(blob) }
        }
        guard !new.isEmpty else { return }
        var reasons: [String: Int] = [:]
        for blob in new { reasons[flags[blob]!, default: 0] += 1 }
        try await audit(
            executor, at: time, actor: actor, action: "blob.flagged", kind: "host", id: hostID, before: nil,
            after: try CanonicalJSON.encode(
                FlaggedSummary(
                    count: new.count, blobs: Array(new.prefix(Self.flaggedNamedInAudit)), reasons: reasons)))
    }

    public func loseCopy(objectID: String, hostID: String, reason: String, at time: Date, actor: String)
        async throws
    {
        try await backend.transaction { executor in
            guard
                let row = try await executor.query("SELECT sha256, dataset_id FROM objects WHERE id = \(objectID)")
                    .first
            else { throw StoreError.notFound(kind: "object", id: objectID) }
            _ = try await self.forgetLostCopy(
                executor, objectID: objectID, hostID: hostID, datasetID: try row.string("dataset_id"),
                sha256: try row.string("sha256"), reason: reason, at: time, actor: actor)
        }
    }

    /// Deletes the record of a copy its host no longer has, audited as `object.copy_lost` with the reason;
    /// whether there was one. An open evacuation of it is left for the tracker, which ends it as lost.
    private func forgetLostCopy(
        _ executor: Backend.Executor, objectID: String, hostID: String, datasetID: String, sha256: String,
        reason: String, at time: Date, actor: String
    ) async throws -> Bool {
        guard
            try await !executor.query(
                "DELETE FROM object_copies WHERE object_id = \(objectID) AND host_id = \(hostID) RETURNING host_id"
            ).isEmpty
        else { return false }
        try await audit(
            executor, at: time, actor: actor, action: "object.copy_lost", kind: "dataset", id: datasetID,
            before: try CanonicalJSON.encode(["object": objectID, "host": hostID, "sha256": sha256]),
            after: try CanonicalJSON.encode(["reason": reason]))
        return true
    }

    public func flaggedBlobs() async throws -> [FlaggedBlob] {
        try await backend.execute(
            "SELECT host_id, blob, reason, first_seen_ms FROM flagged_blobs ORDER BY host_id, first_seen_ms, blob"
        ).map {
            FlaggedBlob(
                hostID: try $0.string("host_id"), blob: try $0.string("blob"), reason: try $0.string("reason"),
                firstSeen: Date(millisecondsSince1970: try $0.integer("first_seen_ms")))
        }
    }

    /// What a `blob.flagged` entry says: how many blobs one inventory flagged, the first few, and why.
    private struct FlaggedSummary: Encodable {
        var count: Int
        var blobs: [String]
        var reasons: [String: Int]
    }
}
