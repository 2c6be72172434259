import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func addCustodian(_ custodian: Custodian, actor: String) async throws {
        try await insertRecord(
            """
            INSERT INTO custodians (id, jurisdiction, created_at_ms)
            VALUES (\(custodian.id), \(custodian.jurisdiction.rawValue), \(clock().millisecondsSince1970))
            """,
            action: "custodian.created", kind: "custodian", id: custodian.id, after: custodian, actor: actor,
            changesCatalog: false
        )
    }

    public func custodians() async throws -> [Custodian] {
        try await backend.execute("SELECT id, jurisdiction, identity_key FROM custodians ORDER BY id").map { row in
            Custodian(
                id: try row.string("id"), jurisdiction: try JurisdictionCode(try row.string("jurisdiction")),
                identityKey: try row.optionalString("identity_key"))
        }
    }

    public func recordCustodianIdentityKey(_ key: String, custodianID: String, at time: Date, actor: String)
        async throws
    {
        // Read first without a lock: heartbeats repeat the same key, and need not queue for a write.
        let current = try await backend.execute("SELECT identity_key FROM custodians WHERE id = \(custodianID)")
        guard let row = current.first else { throw StoreError.notFound(kind: "custodian", id: custodianID) }
        guard try row.optionalString("identity_key") != key else { return }
        try await backend.transaction { executor in
            guard
                let locked = try await executor.query(
                    "SELECT identity_key FROM custodians WHERE id = \(custodianID)\(unsafeSQL: self.rowLock)"
                ).first
            else { throw StoreError.notFound(kind: "custodian", id: custodianID) }
            let previous = try locked.optionalString("identity_key")
            guard previous != key else { return }
            try await executor.query("UPDATE custodians SET identity_key = \(key) WHERE id = \(custodianID)")
            try await self.audit(
                executor, at: time, actor: actor, action: "custodian.identity_key_reported", kind: "custodian",
                id: custodianID, before: try previous.map { try CanonicalJSON.encode(["identityKey": $0]) },
                after: try CanonicalJSON.encode(["identityKey": key]))
        }
    }

    public func recordCustodianHeartbeat(_ heartbeat: CustodianHeartbeat) async throws {
        _ = try await backend.execute(
            """
            INSERT INTO custodian_heartbeats (custodian_id, at_ms, url)
            VALUES (\(heartbeat.custodianID), \(heartbeat.at.millisecondsSince1970), \(heartbeat.url))
            ON CONFLICT (custodian_id) DO UPDATE SET at_ms = excluded.at_ms, url = excluded.url
            """
        )
    }

    public func custodianHeartbeats() async throws -> [CustodianHeartbeat] {
        try await backend.execute("SELECT custodian_id, at_ms, url FROM custodian_heartbeats ORDER BY custodian_id")
            .map { row in
                CustodianHeartbeat(
                    custodianID: try row.string("custodian_id"),
                    at: Date(millisecondsSince1970: try row.integer("at_ms")), url: try row.string("url"))
            }
    }

    public func recordKeyUse(_ use: KeyUse, at time: Date, actor: String) async throws {
        let document = try CanonicalJSON.encode(use)
        try await backend.transaction { executor in
            try await self.audit(
                executor, at: time, actor: actor, action: use.allowed ? "key.unwrap_allowed" : "key.unwrap_refused",
                kind: "object", id: use.request.objectID, before: nil, after: document)
        }
    }

    public func recordKeyRelease(_ release: SignedKeyRelease, at time: Date, actor: String) async throws -> Int64 {
        try await releaseRecords.append(.init(release: release, time: time, actor: actor))
    }

    public func objectKeys(objectID: String) async throws -> [ObjectKey] {
        try await backend.execute(
            """
            SELECT custodian_id, key_id, share_index, threshold, recipient_key_id, encapsulated_key, ciphertext
            FROM object_keys WHERE object_id = \(objectID) ORDER BY share_index, custodian_id
            """
        ).map(Self.objectKey)
    }

    static func objectKey(_ row: SQLRow) throws -> ObjectKey {
        ObjectKey(
            custodianID: try row.string("custodian_id"), keyID: try row.string("key_id"),
            shareIndex: Int(try row.integer("share_index")), threshold: Int(try row.integer("threshold")),
            recipientKeyID: try row.string("recipient_key_id"),
            encapsulatedKey: try row.string("encapsulated_key"), ciphertext: try row.string("ciphertext")
        )
    }

    /// Inserts an object's wrapped keys, inside the transaction that registers the object. A key to a
    /// version its custodian has retired is refused: that version is being destroyed. The custodian's
    /// row is held so that a retirement waits for this object, or this object for the retirement.
    func insertKeys(_ keys: [ObjectKey], of object: StoredObject, _ executor: Backend.Executor) async throws {
        for key in keys {
            guard
                try await !executor.query(
                    "SELECT id FROM custodians WHERE id = \(key.custodianID)\(unsafeSQL: sharedRowLock)"
                ).isEmpty
            else {
                throw StoreError.notFound(kind: "custodian", id: key.custodianID)
            }
            if let floor = try await executor.query(
                """
                SELECT min_version FROM custodian_key_floors
                WHERE custodian_id = \(key.custodianID) AND dataset_id = \(object.datasetID)
                """
            ).first, (KeyVersionID(key.recipientKeyID)?.version ?? 0) < Int(try floor.integer("min_version")) {
                throw StoreError.refused(
                    code: "key_version_retired",
                    message:
                        "\(key.recipientKeyID) is retired; wrap to the custodian's current key (GET /v1/datasets/\(object.datasetID)/custody)"
                )
            }
            try await executor.query(
                """
                INSERT INTO object_keys (object_id, custodian_id, share_index, threshold, key_id, recipient_key_id, encapsulated_key, ciphertext)
                VALUES (\(object.id), \(key.custodianID), \(key.shareIndex), \(key.threshold), \(key.keyID), \(key.recipientKeyID), \(key.encapsulatedKey), \(key.ciphertext))
                """
            )
        }
    }
}
