import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func requestShred(_ shred: DatasetShred, actor: String) async throws {
        try await backend.transaction { executor in
            guard
                try await !executor.query(
                    "SELECT id FROM datasets WHERE id = \(shred.datasetID)\(unsafeSQL: self.rowLock)"
                ).isEmpty
            else {
                throw StoreError.notFound(kind: "dataset", id: shred.datasetID)
            }
            if let active = try await Self.activeShred(of: shred.datasetID, executor) {
                throw StoreError.conflict(
                    active.state == .pending
                        ? "dataset '\(shred.datasetID)' is already to be shredded at \(CanonicalJSON.format(active.executeAt))"
                        : "dataset '\(shred.datasetID)' is being shredded")
            }
            try await executor.query(
                """
                INSERT INTO shreds (id, dataset_id, requested_by, requested_at_ms, execute_at_ms)
                VALUES (\(shred.id), \(shred.datasetID), \(shred.requestedBy), \(shred.requestedAt.millisecondsSince1970), \(shred.executeAt.millisecondsSince1970))
                """
            )
            try await self.audit(
                executor, at: shred.requestedAt, actor: actor, action: "dataset.shred_requested", kind: "dataset",
                id: shred.datasetID, before: nil, after: try CanonicalJSON.encode(shred))
        }
    }

    public func cancelShred(datasetID: String, at time: Date, actor: String) async throws -> DatasetShred {
        try await backend.transaction { executor in
            guard let active = try await Self.activeShred(of: datasetID, executor, locking: self.rowLock) else {
                throw StoreError.notFound(kind: "pending shred of dataset", id: datasetID)
            }
            guard active.state == .pending else {
                throw StoreError.conflict("the shred of '\(datasetID)' has executed; it cannot be cancelled")
            }
            var cancelled = active
            cancelled.cancelledAt = time
            cancelled.cancelledBy = actor
            try await executor.query(
                "UPDATE shreds SET cancelled_at_ms = \(time.millisecondsSince1970), cancelled_by = \(actor) WHERE id = \(active.id)"
            )
            try await self.audit(
                executor, at: time, actor: actor, action: "dataset.shred_cancelled", kind: "dataset", id: datasetID,
                before: try CanonicalJSON.encode(active), after: try CanonicalJSON.encode(cancelled))
            return cancelled
        }
    }

    public func shreds(datasetID: String) async throws -> [DatasetShred] {
        try await backend.execute(
            "SELECT \(unsafeSQL: Self.shredColumns) FROM shreds WHERE dataset_id = \(datasetID) ORDER BY requested_at_ms DESC, id"
        ).map(Self.shred)
    }

    public func activeShreds() async throws -> [DatasetShred] {
        try await backend.execute(
            """
            SELECT \(unsafeSQL: Self.shredColumns) FROM shreds
            WHERE cancelled_at_ms IS NULL AND completed_at_ms IS NULL ORDER BY requested_at_ms, id
            """
        ).map(Self.shred)
    }

    public func executeShred(id: String, at time: Date, actor: String) async throws -> DatasetShred? {
        try await backend.transaction { executor in
            let pending = try await self.lockedShred(id, executor)
            guard pending.state == .pending else { return nil }
            let datasetID = pending.datasetID
            let at = time.millisecondsSince1970
            // Locked as placement locks it, so no placement is written for the dataset after this.
            _ = try await executor.query("SELECT id FROM datasets WHERE id = \(datasetID)\(unsafeSQL: self.rowLock)")
            // Custodians that held a key; those with no certificate left (revoked) can do nothing more, and
            // are named in the record rather than waited for.
            let holders = try await executor.query(
                """
                SELECT DISTINCT k.custodian_id,
                    (SELECT count(*) FROM host_certificates c
                     WHERE c.custodian_id = k.custodian_id AND c.revoked_at_ms IS NULL) AS certificates
                FROM object_keys k JOIN objects o ON o.id = k.object_id
                WHERE o.dataset_id = \(datasetID) ORDER BY k.custodian_id
                """
            ).map { (id: try $0.string("custodian_id"), enrolled: try $0.integer("certificates") > 0) }
            let custodians = holders.filter(\.enrolled).map(\.id)
            let revoked = holders.filter { !$0.enrolled }.map(\.id)
            let hosts = try await executor.query(
                """
                SELECT DISTINCT c.host_id FROM object_copies c JOIN objects o ON o.id = c.object_id
                WHERE o.dataset_id = \(datasetID) ORDER BY c.host_id
                """
            ).map { try $0.string("host_id") }
            try await executor.query(
                "DELETE FROM object_keys WHERE object_id IN (SELECT id FROM objects WHERE dataset_id = \(datasetID))")
            try await executor.query("DELETE FROM placement_hosts WHERE dataset_id = \(datasetID)")
            try await executor.query("DELETE FROM placements WHERE dataset_id = \(datasetID)")
            // A rotation under way has nothing left to rotate: its keys are gone, and are being destroyed.
            try await executor.query(
                """
                UPDATE custody_tasks SET done_at_ms = \(at), outcome = 'superseded by the shred'
                WHERE dataset_id = \(datasetID) AND kind = 'rotate' AND done_at_ms IS NULL
                """
            )
            for custodian in custodians {
                try await Self.insertTask(
                    CustodyTask(
                        id: Identifier.random(prefix: "ct-", length: 20), custodianID: custodian, datasetID: datasetID,
                        kind: .destroy, requestedBy: actor, requestedAt: time), executor)
            }
            try await executor.query("UPDATE shreds SET executed_at_ms = \(at) WHERE id = \(id)")
            // Objects and copies change without a catalog bump: agents learn through their assignments.
            var executed = pending
            executed.executedAt = time
            try await self.audit(
                executor, at: time, actor: actor, action: "dataset.shredded", kind: "dataset", id: datasetID,
                before: nil,
                after: try CanonicalJSON.encode(
                    ShredExecution(
                        shred: executed, custodians: custodians, revokedCustodians: revoked, holders: hosts)))
            return executed
        }
    }

    public func completeShred(id: String, at time: Date, actor: String) async throws -> Bool {
        try await backend.transaction { executor in
            var shred = try await self.lockedShred(id, executor)
            guard shred.state == .executing, let executedAt = shred.executedAt else { return false }
            let datasetID = shred.datasetID
            let waiting = try await executor.query(
                """
                SELECT id FROM custody_tasks WHERE dataset_id = \(datasetID) AND kind = 'destroy'
                AND requested_at_ms >= \(executedAt.millisecondsSince1970) AND done_at_ms IS NULL
                """
            )
            // Copies on hosts whose agents report are waited for; those on hosts out of reach (silent, taken
            // out) are named in the record: unreadable, their keys destroyed, and flagged if they return.
            let copies = try await Self.documents(
                StorageHost.self,
                """
                SELECT DISTINCT h.document FROM object_copies c JOIN objects o ON o.id = c.object_id
                JOIN hosts h ON h.id = c.host_id WHERE o.dataset_id = \(datasetID)
                """, executor)
            let unreachable = copies.filter { $0.status != .available && $0.status != .draining }.map(\.id)
            guard waiting.isEmpty, unreachable.count == copies.count else { return false }
            let dataset = try await executor.query("SELECT document FROM datasets WHERE id = \(datasetID)").first
            let objects = try await executor.query("SELECT id FROM objects WHERE dataset_id = \(datasetID)").count
            try await executor.query("DELETE FROM datasets WHERE id = \(datasetID)")
            try await executor.query(
                "UPDATE shreds SET completed_at_ms = \(time.millisecondsSince1970) WHERE id = \(id)")
            shred.completedAt = time
            try await self.audit(
                executor, at: time, actor: actor, action: "dataset.shred_completed", kind: "dataset", id: datasetID,
                before: try dataset?.string("document"),
                after: try CanonicalJSON.encode(
                    ShredCompletion(shred: shred, objects: objects, copiesOnUnreachableHosts: unreachable.sorted())))
            return true
        }
    }

    public func requestRotation(_ task: CustodyTask, actor: String) async throws {
        try await backend.transaction { executor in
            guard
                try await !executor.query(
                    "SELECT id FROM datasets WHERE id = \(task.datasetID)\(unsafeSQL: self.sharedRowLock)"
                ).isEmpty
            else { throw StoreError.notFound(kind: "dataset", id: task.datasetID) }
            try await Self.refuseWhileShredding(task.datasetID, executor)
            guard
                try await !executor.query(
                    "SELECT id FROM custodians WHERE id = \(task.custodianID)\(unsafeSQL: self.rowLock)"
                ).isEmpty
            else { throw StoreError.notFound(kind: "custodian", id: task.custodianID) }
            guard
                try await !executor.query(
                    """
                    SELECT k.object_id FROM object_keys k JOIN objects o ON o.id = k.object_id
                    WHERE k.custodian_id = \(task.custodianID) AND o.dataset_id = \(task.datasetID) LIMIT 1
                    """
                ).isEmpty
            else {
                throw StoreError.refused(
                    code: "no_keys_held",
                    message:
                        "custodian '\(task.custodianID)' holds no key of '\(task.datasetID)'; there is nothing to rotate"
                )
            }
            guard
                try await executor.query(
                    """
                    SELECT id FROM custody_tasks WHERE custodian_id = \(task.custodianID)
                    AND dataset_id = \(task.datasetID) AND done_at_ms IS NULL
                    """
                ).isEmpty
            else {
                throw StoreError.conflict(
                    "custodian '\(task.custodianID)' has work on the keys of '\(task.datasetID)' not yet done")
            }
            try await Self.insertTask(task, executor)
            try await self.audit(
                executor, at: task.requestedAt, actor: actor, action: "custodian.rotation_requested",
                kind: "custodian", id: task.custodianID, before: nil, after: try CanonicalJSON.encode(task))
        }
    }

    public func custodyTasks(custodianID: String, openOnly: Bool) async throws -> [CustodyTask] {
        try await backend.execute(
            """
            SELECT \(unsafeSQL: Self.taskColumns) FROM custody_tasks WHERE custodian_id = \(custodianID)
            \(unsafeSQL: openOnly ? "AND done_at_ms IS NULL" : "") ORDER BY requested_at_ms, id
            """
        ).map(Self.task)
    }

    public func custodyTasks(datasetID: String) async throws -> [CustodyTask] {
        try await backend.execute(
            """
            SELECT \(unsafeSQL: Self.taskColumns) FROM custody_tasks WHERE dataset_id = \(datasetID)
            ORDER BY requested_at_ms, id
            """
        ).map(Self.task)
    }

    public func finishCustodyTask(id: String, custodianID: String, outcome: String, at time: Date) async throws
        -> CustodyTask
    {
        try await backend.transaction { executor in
            guard
                let row = try await executor.query(
                    """
                    SELECT \(unsafeSQL: Self.taskColumns) FROM custody_tasks
                    WHERE id = \(id) AND custodian_id = \(custodianID)\(unsafeSQL: self.rowLock)
                    """
                ).first
            else { throw StoreError.notFound(kind: "custody task", id: id) }
            var task = try Self.task(row)
            guard task.doneAt == nil else { return task }
            task.doneAt = time
            task.outcome = outcome
            try await executor.query(
                "UPDATE custody_tasks SET done_at_ms = \(time.millisecondsSince1970), outcome = \(outcome) WHERE id = \(id)"
            )
            try await self.audit(
                executor, at: time, actor: "custodian:\(custodianID)",
                action: task.kind == .destroy ? "custodian.keys_destroyed" : "custodian.key_rotated",
                kind: "custodian", id: custodianID, before: nil, after: try CanonicalJSON.encode(task))
            return task
        }
    }

    public func heldKeys(custodianID: String, datasetID: String, after: String?, limit: Int) async throws
        -> [HeldKey]
    {
        try await backend.execute(
            """
            SELECT k.object_id, k.custodian_id, k.key_id, k.share_index, k.threshold, k.recipient_key_id,
                k.encapsulated_key, k.ciphertext
            FROM object_keys k JOIN objects o ON o.id = k.object_id
            WHERE k.custodian_id = \(custodianID) AND o.dataset_id = \(datasetID) AND k.object_id > \(after ?? "")
            ORDER BY k.object_id LIMIT \(limit)
            """
        ).map { row in
            HeldKey(objectID: try row.string("object_id"), key: try Self.objectKey(row))
        }
    }

    public func replaceHeldKeys(_ keys: [HeldKey], custodianID: String, datasetID: String, at time: Date)
        async throws
    {
        try await backend.transaction { executor in
            for held in keys {
                let key = held.key
                guard key.custodianID == custodianID,
                    try await !executor.query(
                        """
                        UPDATE object_keys SET recipient_key_id = \(key.recipientKeyID),
                            encapsulated_key = \(key.encapsulatedKey), ciphertext = \(key.ciphertext)
                        WHERE object_id = \(held.objectID) AND custodian_id = \(custodianID) AND key_id = \(key.keyID)
                        AND share_index = \(key.shareIndex) AND threshold = \(key.threshold)
                        AND object_id IN (SELECT id FROM objects WHERE dataset_id = \(datasetID))
                        RETURNING object_id
                        """
                    ).isEmpty
                else {
                    throw StoreError.notFound(kind: "wrapped key of object", id: held.objectID)
                }
            }
            try await self.audit(
                executor, at: time, actor: "custodian:\(custodianID)", action: "object.keys_rewrapped",
                kind: "dataset", id: datasetID, before: nil,
                after: try CanonicalJSON.encode(
                    KeysRewrapped(
                        custodianID: custodianID, objects: keys.map(\.objectID),
                        recipientKeyIDs: Array(Set(keys.map(\.key.recipientKeyID))).sorted())))
        }
    }

    public func retireKeyVersions(custodianID: String, datasetID: String, below version: Int, at time: Date)
        async throws
    {
        try await backend.transaction { executor in
            // The custodian's row is locked so that a new object's keys cannot slip in meanwhile.
            guard
                try await !executor.query(
                    "SELECT id FROM custodians WHERE id = \(custodianID)\(unsafeSQL: self.rowLock)"
                ).isEmpty
            else { throw StoreError.notFound(kind: "custodian", id: custodianID) }
            let named = try await executor.query(
                """
                SELECT DISTINCT k.recipient_key_id FROM object_keys k JOIN objects o ON o.id = k.object_id
                WHERE k.custodian_id = \(custodianID) AND o.dataset_id = \(datasetID)
                """
            ).map { KeyVersionID(try $0.string("recipient_key_id"))?.version ?? 0 }
            // With no key wrapped to the custodian there is nothing to keep from the old versions; and
            // where there are keys, none older than `version`, it names a version in use, never beyond.
            guard !named.isEmpty else { return }
            let older = named.filter { $0 < version }
            guard older.isEmpty else {
                throw StoreError.refused(
                    code: "key_versions_in_use",
                    message:
                        "wrapped keys of '\(datasetID)' still name versions \(older.sorted().map { "v\($0)" }.joined(separator: ", ")) of custodian '\(custodianID)'; re-wrap them first"
                )
            }
            let floor = try await executor.query(
                """
                SELECT min_version FROM custodian_key_floors
                WHERE custodian_id = \(custodianID) AND dataset_id = \(datasetID)
                """
            ).first.map { Int(try $0.integer("min_version")) }
            // A retirement never brings a destroyed version back.
            guard version > (floor ?? 0) else { return }
            try await executor.query(
                """
                INSERT INTO custodian_key_floors (custodian_id, dataset_id, min_version)
                VALUES (\(custodianID), \(datasetID), \(version))
                ON CONFLICT (custodian_id, dataset_id) DO UPDATE SET min_version = excluded.min_version
                """
            )
            try await self.audit(
                executor, at: time, actor: "custodian:\(custodianID)", action: "custodian.key_versions_retired",
                kind: "custodian", id: custodianID, before: nil,
                after: try CanonicalJSON.encode(["dataset": datasetID, "oldestKept": "v\(version)"]))
        }
    }

    // MARK: Rows

    /// Shred `id`, its row locked for the transaction's change.
    private func lockedShred(_ id: String, _ executor: Backend.Executor) async throws -> DatasetShred {
        guard
            let row = try await executor.query(
                "SELECT \(unsafeSQL: Self.shredColumns) FROM shreds WHERE id = \(id)\(unsafeSQL: rowLock)"
            ).first
        else { throw StoreError.notFound(kind: "shred", id: id) }
        return try Self.shred(row)
    }

    /// The dataset's shred that is pending or executing, if any.
    static func activeShred(of datasetID: String, _ executor: Backend.Executor, locking lock: String = "")
        async throws -> DatasetShred?
    {
        try await executor.query(
            """
            SELECT \(unsafeSQL: shredColumns) FROM shreds WHERE dataset_id = \(datasetID)
            AND cancelled_at_ms IS NULL AND completed_at_ms IS NULL\(unsafeSQL: lock)
            """
        ).first.map(shred)
    }

    /// A dataset to be shredded, or being shredded, changes only by the shred (or its cancellation).
    static func refuseWhileShredding(_ datasetID: String, _ executor: Backend.Executor) async throws {
        guard let active = try await activeShred(of: datasetID, executor) else { return }
        if active.state == .pending {
            throw StoreError.refused(
                code: "dataset_shred_pending",
                message:
                    "dataset '\(datasetID)' is to be shredded at \(CanonicalJSON.format(active.executeAt)); cancel the shred first"
            )
        }
        throw StoreError.refused(code: "dataset_shredded", message: "dataset '\(datasetID)' is being shredded")
    }

    private static func insertTask(_ task: CustodyTask, _ executor: Backend.Executor) async throws {
        try await executor.query(
            """
            INSERT INTO custody_tasks (id, custodian_id, dataset_id, kind, requested_by, requested_at_ms)
            VALUES (\(task.id), \(task.custodianID), \(task.datasetID), \(task.kind.rawValue), \(task.requestedBy), \(task.requestedAt.millisecondsSince1970))
            """
        )
    }

    private static var shredColumns: String {
        "id, dataset_id, requested_by, requested_at_ms, execute_at_ms, cancelled_at_ms, cancelled_by, executed_at_ms, completed_at_ms"
    }

    private static func shred(_ row: SQLRow) throws -> DatasetShred {
        func date(_ column: String) throws -> Date? {
            try row.optionalInteger(column).map(Date.init(millisecondsSince1970:))
        }
        return DatasetShred(
            id: try row.string("id"), datasetID: try row.string("dataset_id"),
            requestedBy: try row.string("requested_by"),
            requestedAt: Date(millisecondsSince1970: try row.integer("requested_at_ms")),
            executeAt: Date(millisecondsSince1970: try row.integer("execute_at_ms")),
            cancelledAt: try date("cancelled_at_ms"), cancelledBy: try row.optionalString("cancelled_by"),
            executedAt: try date("executed_at_ms"), completedAt: try date("completed_at_ms"))
    }

    private static var taskColumns: String {
        "id, custodian_id, dataset_id, kind, requested_by, requested_at_ms, done_at_ms, outcome"
    }

    private static func task(_ row: SQLRow) throws -> CustodyTask {
        guard let kind = CustodyTask.Kind(rawValue: try row.string("kind")) else {
            throw SQLRowError.unexpectedValue(column: "kind")
        }
        return CustodyTask(
            id: try row.string("id"), custodianID: try row.string("custodian_id"),
            datasetID: try row.string("dataset_id"), kind: kind, requestedBy: try row.string("requested_by"),
            requestedAt: Date(millisecondsSince1970: try row.integer("requested_at_ms")),
            doneAt: try row.optionalInteger("done_at_ms").map(Date.init(millisecondsSince1970:)),
            outcome: try row.optionalString("outcome"))
    }
}

/// What the audit log keeps of a shred's execution: who is to destroy keys, who to delete copies.
private struct ShredExecution: Encodable {
    var shred: DatasetShred
    var custodians: [String]
    /// Held a key, but revoked: told nothing, as they can no longer be reached.
    var revokedCustodians: [String]
    var holders: [String]
}

/// What the audit log keeps of a completed shred.
private struct ShredCompletion: Encodable {
    var shred: DatasetShred
    var objects: Int
    var copiesOnUnreachableHosts: [String]
}

/// What the audit log keeps of a batch of keys re-wrapped in a rotation.
private struct KeysRewrapped: Encodable {
    var custodianID: String
    var objects: [String]
    var recipientKeyIDs: [String]
}
