import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func addObject(_ object: StoredObject, keys: [ObjectKey], actor: String) async throws {
        // The log names the keys' custodians and versions; the wrapped bytes stay in `object_keys`.
        let document = try CanonicalJSON.encode(
            RegisteredObject(
                object: object,
                keys: keys.map {
                    RegisteredObject.Key(
                        custodianID: $0.custodianID, shareIndex: $0.shareIndex, threshold: $0.threshold,
                        recipientKeyID: $0.recipientKeyID)
                }))
        try await backend.transaction { executor in
            guard
                try await !executor.query(
                    "SELECT id FROM datasets WHERE id = \(object.datasetID)\(unsafeSQL: self.sharedRowLock)"
                ).isEmpty
            else {
                throw StoreError.notFound(kind: "dataset", id: object.datasetID)
            }
            try await Self.refuseWhileShredding(object.datasetID, executor)
            try await executor.query(
                """
                INSERT INTO objects (id, dataset_id, sha256, size_bytes, created_at_ms)
                VALUES (\(object.id), \(object.datasetID), \(object.sha256), \(object.sizeBytes), \(object.createdAt.millisecondsSince1970))
                """
            )
            try await self.insertKeys(keys, of: object, executor)
            try await self.audit(
                executor, at: object.createdAt, actor: actor, action: "object.registered", kind: "dataset",
                id: object.datasetID,
                before: nil, after: document
            )
        }
    }

    public func object(id: String) async throws -> StoredObject? {
        try await objects(where: "o.id = \(id)").first
    }

    public func objects(datasetID: String) async throws -> [StoredObject] {
        try await objects(where: "o.dataset_id = \(datasetID)")
    }

    public func copiesStored(since: Date) async throws -> [(at: Date, sizeBytes: Int64)] {
        try await backend.execute(
            """
            SELECT c.stored_at_ms, o.size_bytes FROM object_copies c JOIN objects o ON o.id = c.object_id
            WHERE c.stored_at_ms >= \(since.millisecondsSince1970) ORDER BY c.stored_at_ms
            """
        ).map { (Date(millisecondsSince1970: try $0.integer("stored_at_ms")), try $0.integer("size_bytes")) }
    }

    public func recordCopy(
        objectID: String, sha256: String, sizeBytes: Int64, hostID: String, evidence: CopyEvidence, at time: Date,
        actor: String
    ) async throws {
        try await backend.transaction { executor in
            guard
                let row = try await executor.query(
                    "SELECT sha256, size_bytes, dataset_id FROM objects WHERE id = \(objectID)"
                ).first
            else {
                throw StoreError.notFound(kind: "object", id: objectID)
            }
            guard try row.string("sha256") == sha256, try row.integer("size_bytes") == sizeBytes else {
                throw StoreError.conflict("object '\(objectID)' has another hash or size than the copy reported")
            }
            if let used = try await executor.query(
                "SELECT object_id, host_id FROM used_tickets WHERE nonce = \(evidence.ticket)"
            ).first {
                // The same report again (a retry whose answer was lost) changes nothing; any other use of a
                // ticket that evidenced a copy once is a replay.
                let sameCopy = try used.string("object_id") == objectID && used.string("host_id") == hostID
                let stillRecorded = try await !executor.query(
                    "SELECT host_id FROM object_copies WHERE object_id = \(objectID) AND host_id = \(hostID)"
                ).isEmpty
                let again = sameCopy && stillRecorded
                guard again else {
                    throw StoreError.refused(
                        code: "ticket_replayed",
                        message: "this ticket has already evidenced a copy; it evidences no other")
                }
                return
            }
            var details = ["via": evidence.via]
            if case .transfer(let nonce, let source) = evidence {
                // The sender's word that it sent this object to this host under this ticket, used once.
                guard
                    try await !executor.query(
                        """
                        DELETE FROM object_transfers WHERE nonce = \(nonce) AND object_id = \(objectID) \
                        AND sender_host_id = \(source) AND recipient_host_id = \(hostID) RETURNING nonce
                        """
                    ).isEmpty
                else {
                    throw StoreError.refused(
                        code: "transfer_unconfirmed",
                        message:
                            "host '\(source)' has not said it sent object '\(objectID)' to this host under this ticket")
                }
                details["from"] = source
            }
            try await executor.query(
                "INSERT INTO used_tickets (nonce, object_id, host_id, used_at_ms) VALUES (\(evidence.ticket), \(objectID), \(hostID), \(time.millisecondsSince1970))"
            )
            _ = try await self.addCopy(
                executor, objectID: objectID, hostID: hostID, datasetID: try row.string("dataset_id"), sha256: sha256,
                action: "object.copy_stored", details: details, at: time, actor: actor)
        }
    }

    public func recordTransfer(
        ticket nonce: String, objectID: String, sender: String, recipient: String, at time: Date
    ) async throws {
        try await backend.transientTransaction { executor in
            guard try await !executor.query("SELECT id FROM objects WHERE id = \(objectID)").isEmpty else {
                throw StoreError.notFound(kind: "object", id: objectID)
            }
            // Not waited onto the disk: lost in a crash, the receiver's report is refused and the copy is
            // made again. A transfer whose copy was never reported (the receiver failed to store it) is
            // forgotten a day on: by then its ticket has long expired and no report can use it.
            try await executor.query(
                "DELETE FROM object_transfers WHERE sent_at_ms < \(time.addingTimeInterval(-86_400).millisecondsSince1970)"
            )
            try await executor.query(
                """
                INSERT INTO object_transfers (nonce, object_id, sender_host_id, recipient_host_id, sent_at_ms)
                VALUES (\(nonce), \(objectID), \(sender), \(recipient), \(time.millisecondsSince1970))
                ON CONFLICT (nonce) DO NOTHING
                """
            )
        }
    }

    /// Records a copy unless it is recorded already, audited with `action` and `details` (how it came);
    /// whether it was added. One statement, so that two reports of one copy at once record it once and
    /// neither fails.
    func addCopy(
        _ executor: Backend.Executor, objectID: String, hostID: String, datasetID: String, sha256: String,
        action: String, details: [String: String], at time: Date, actor: String
    ) async throws -> Bool {
        guard
            try await !executor.query(
                "INSERT INTO object_copies (object_id, host_id, stored_at_ms) VALUES (\(objectID), \(hostID), \(time.millisecondsSince1970)) ON CONFLICT (object_id, host_id) DO NOTHING RETURNING host_id"
            ).isEmpty
        else { return false }
        try await audit(
            executor, at: time, actor: actor, action: action, kind: "dataset", id: datasetID, before: nil,
            after: try CanonicalJSON.encode(
                details.merging(["object": objectID, "host": hostID, "sha256": sha256]) { $1 }))
        return true
    }

    public func objects(heldBy hostID: String) async throws -> [StoredObject] {
        try await objects(where: "o.id IN (SELECT object_id FROM object_copies WHERE host_id = \(hostID))")
    }

    public func releaseCopy(objectID: String, hostID: String, at time: Date, actor: String) async throws {
        try await backend.transaction { executor in
            guard let row = try await executor.query("SELECT dataset_id FROM objects WHERE id = \(objectID)").first
            else {
                throw StoreError.notFound(kind: "object", id: objectID)
            }
            guard
                try await !executor.query(
                    "DELETE FROM object_copies WHERE object_id = \(objectID) AND host_id = \(hostID) RETURNING host_id"
                ).isEmpty
            else { return }
            try await self.audit(
                executor, at: time, actor: actor, action: "object.copy_released", kind: "dataset",
                id: try row.string("dataset_id"),
                before: try CanonicalJSON.encode(["object": objectID, "host": hostID]), after: nil
            )
            let open = try await Self.documents(
                Evacuation.self,
                "SELECT document FROM evacuations WHERE object_id = \(objectID) AND host_id = \(hostID) AND ended_at_ms IS NULL",
                executor)
            for evacuation in open {
                try await self.write(
                    evacuation.ended(at: time), previous: evacuation, event: .ended, at: time, actor: actor, executor)
            }
        }
    }

    public func datasets(placedOn hostID: String) async throws -> [Dataset] {
        try await backend.transaction { executor in
            try await Self.documents(
                Dataset.self,
                "SELECT d.document FROM datasets d JOIN placement_hosts p ON p.dataset_id = d.id WHERE p.host_id = \(hostID) ORDER BY d.id",
                executor)
        }
    }

    public func objects(placedOn hostID: String) async throws -> [StoredObject] {
        try await objects(where: "o.dataset_id IN (SELECT dataset_id FROM placement_hosts WHERE host_id = \(hostID))")
    }

    public func placedHosts(ofDatasetsHeldBy hostID: String) async throws -> [String: [String]] {
        let rows = try await backend.execute(
            """
            SELECT dataset_id, host_id FROM placement_hosts WHERE dataset_id IN \
            (SELECT o.dataset_id FROM object_copies c JOIN objects o ON o.id = c.object_id WHERE c.host_id = \(hostID)) \
            ORDER BY dataset_id, host_id
            """
        )
        var placed: [String: [String]] = [:]
        for row in rows { placed[try row.string("dataset_id"), default: []].append(try row.string("host_id")) }
        return placed
    }

    public func recordRefusal(hostID: String, objectID: String, reason: String, at time: Date) async throws {
        try await backend.transaction { executor in
            try await self.audit(
                executor, at: time, actor: "agent:\(hostID)", action: "agent.assignment_refused", kind: "host",
                id: hostID, before: nil,
                after: try CanonicalJSON.encode(["object": objectID, "reason": reason])
            )
        }
    }

    /// Objects matching `condition` (on `objects o`), each with its holders, oldest first.
    private func objects(where condition: SQLStatement) async throws -> [StoredObject] {
        let rows = try await backend.execute(
            """
            SELECT o.id, o.dataset_id, o.sha256, o.size_bytes, o.created_at_ms, c.host_id FROM objects o \
            LEFT JOIN object_copies c ON c.object_id = o.id WHERE \(condition) ORDER BY o.created_at_ms, o.id, c.host_id
            """
        )
        var objects: [StoredObject] = []
        for row in rows {
            let id = try row.string("id")
            if objects.last?.id != id {
                objects.append(
                    StoredObject(
                        id: id, datasetID: try row.string("dataset_id"), sha256: try row.string("sha256"),
                        sizeBytes: try row.integer("size_bytes"),
                        createdAt: Date(millisecondsSince1970: try row.integer("created_at_ms"))
                    )
                )
            }
            if let host = try row.optionalString("host_id") { objects[objects.count - 1].holders.append(host) }
        }
        return objects
    }
}
