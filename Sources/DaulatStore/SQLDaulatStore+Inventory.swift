import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func reconcileInventory(hostID: String, blobs: Set<String>, corrupt: Set<String>, at time: Date)
        async throws -> AgentMessages.InventoryReceipt
    {
        let actor = "agent:\(hostID)"
        return try await backend.transaction { executor in
            let recorded = try await executor.query(
                "SELECT c.object_id, o.sha256, o.dataset_id FROM object_copies c JOIN objects o ON o.id = c.object_id WHERE c.host_id = \(hostID) ORDER BY c.object_id"
            )
            var lost: [String] = []
            var recordedHashes = Set<String>()
            for row in recorded {
                let (objectID, sha256) = (try row.string("object_id"), try row.string("sha256"))
                recordedHashes.insert(sha256)
                guard !blobs.contains(sha256) else { continue }
                let reason = corrupt.contains(sha256) ? "corrupt" : "missing"
                // Released or recorded lost at the same moment through another path: nothing more to do.
                guard
                    try await self.forgetLostCopy(
                        executor, objectID: objectID, hostID: hostID, datasetID: try row.string("dataset_id"),
                        sha256: sha256, reason: reason, at: time, actor: actor)
                else { continue }
                lost.append(objectID)
            }
            // Blobs not recorded here: copies of known objects, or nothing anyone registered.
            let unrecorded = blobs.subtracting(recordedHashes).sorted()
            var found: [String] = []
            var matched = Set<String>()
            for start in stride(from: 0, to: unrecorded.count, by: SQLStatement.listLimit) {
                let batch = unrecorded[start..<min(start + SQLStatement.listLimit, unrecorded.count)]
                for row in try await executor.query(
                    "SELECT id, sha256, dataset_id FROM objects WHERE sha256 IN \(SQLStatement.list(batch)) ORDER BY id"
                ) {
                    let (objectID, sha256) = (try row.string("id"), try row.string("sha256"))
                    matched.insert(sha256)
                    // Reported by an upload or a transfer at the same moment: recorded once, by it.
                    guard
                        try await self.addCopy(
                            executor, objectID: objectID, hostID: hostID, datasetID: try row.string("dataset_id"),
                            sha256: sha256, action: "object.copy_found", at: time, actor: actor)
                    else { continue }
                    found.append(objectID)
                }
            }
            let unknown = Set(unrecorded).subtracting(matched)
            let flagged = Set(
                try await executor.query("SELECT sha256 FROM flagged_blobs WHERE host_id = \(hostID)").map {
                    try $0.string("sha256")
                })
            for sha256 in flagged.subtracting(unknown).sorted() {
                try await executor.query(
                    "DELETE FROM flagged_blobs WHERE host_id = \(hostID) AND sha256 = \(sha256)")
            }
            for sha256 in unknown.subtracting(flagged).sorted() {
                try await executor.query(
                    "INSERT INTO flagged_blobs (host_id, sha256, first_seen_ms) VALUES (\(hostID), \(sha256), \(time.millisecondsSince1970))"
                )
                try await self.audit(
                    executor, at: time, actor: actor, action: "blob.flagged", kind: "host", id: hostID, before: nil,
                    after: try CanonicalJSON.encode(["sha256": sha256, "reason": "no object has this hash"])
                )
            }
            return AgentMessages.InventoryReceipt(lost: lost, found: found, unknown: unknown.sorted())
        }
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
            "SELECT host_id, sha256, first_seen_ms FROM flagged_blobs ORDER BY host_id, first_seen_ms, sha256"
        ).map {
            FlaggedBlob(
                hostID: try $0.string("host_id"), sha256: try $0.string("sha256"),
                firstSeen: Date(millisecondsSince1970: try $0.integer("first_seen_ms")))
        }
    }
}
