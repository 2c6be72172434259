import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func copyHoldings(batchSize: Int, _ body: ([CopyHolding]) async throws -> Void) async throws {
        try await backend.forEachBatch(
            of: """
                SELECT c.object_id, o.dataset_id, o.size_bytes, c.host_id FROM object_copies c \
                JOIN objects o ON o.id = c.object_id
                """,
            size: batchSize
        ) { rows in
            try await body(
                try rows.map {
                    CopyHolding(
                        objectID: try $0.string("object_id"), datasetID: try $0.string("dataset_id"),
                        sizeBytes: try $0.integer("size_bytes"), hostID: try $0.string("host_id"))
                })
        }
    }

    public func missingCopies() async throws -> (count: Int, oldestObject: Date?) {
        let row = try await backend.execute(
            """
            SELECT count(*) AS missing, min(o.created_at_ms) AS oldest FROM objects o \
            JOIN placement_hosts p ON p.dataset_id = o.dataset_id \
            WHERE NOT EXISTS (SELECT 1 FROM object_copies c WHERE c.object_id = o.id AND c.host_id = p.host_id)
            """
        ).first
        return (
            Int(try row?.integer("missing") ?? 0),
            try row?.optionalInteger("oldest").map(Date.init(millisecondsSince1970:))
        )
    }

    public func evacuations(_ query: EvacuationQuery) async throws -> [Evacuation] {
        var statement: SQLStatement = "SELECT document FROM evacuations WHERE 1 = 1"
        if let datasetID = query.datasetID { statement = "\(statement) AND dataset_id = \(datasetID)" }
        if let objectID = query.objectID { statement = "\(statement) AND object_id = \(objectID)" }
        if let hostID = query.hostID { statement = "\(statement) AND host_id = \(hostID)" }
        if query.openOnly { statement = "\(statement) AND ended_at_ms IS NULL" }
        statement = "\(statement) ORDER BY started_at_ms DESC, id LIMIT \(max(1, min(query.limit, Int(Int32.max))))"
        let query = statement
        return try await backend.transaction { executor in
            try await Self.documents(Evacuation.self, query, executor)
        }
    }

    public func evacuation(id: String) async throws -> Evacuation? {
        try await readDocuments(Evacuation.self, "SELECT document FROM evacuations WHERE id = \(id)").first
    }

    @discardableResult
    public func recordEvacuation(_ change: EvacuationChange, actor: String) async throws -> Bool {
        let time = change.at
        return try await backend.transaction { executor in
            var evacuation = change.evacuation
            let previous = try await Self.documents(
                Evacuation.self,
                "SELECT document FROM evacuations WHERE id = \(evacuation.id)\(unsafeSQL: self.rowLock)",
                executor
            ).first
            if change.event == .started {
                guard previous == nil,
                    try await executor.query(
                        "SELECT id FROM evacuations WHERE object_id = \(evacuation.objectID) AND host_id = \(evacuation.hostID) AND ended_at_ms IS NULL\(unsafeSQL: self.rowLock)"
                    ).isEmpty
                else { return false }
            } else {
                guard let previous, previous.isOpen else { return false }
                // A decision its home state made since the caller read the evacuation stays.
                if change.event != .decided, evacuation.signedDecision != previous.signedDecision,
                    let decision = previous.decision, let text = previous.signedDecision
                {
                    evacuation = evacuation.decided(decision, signed: text)
                }
            }
            try await self.write(evacuation, previous: previous, event: change.event, at: time, actor: actor, executor)
            return true
        }
    }

    /// Writes `evacuation` (inserting it when there is no `previous`) with its audit entry.
    func write(
        _ evacuation: Evacuation, previous: Evacuation?, event: EvacuationEvent, at time: Date, actor: String,
        _ executor: Backend.Executor
    ) async throws {
        let document = try CanonicalJSON.encode(evacuation)
        let ended = evacuation.endedAt?.millisecondsSince1970
        if previous == nil {
            try await executor.query(
                """
                INSERT INTO evacuations (id, object_id, dataset_id, host_id, started_at_ms, ended_at_ms, document)
                VALUES (\(evacuation.id), \(evacuation.objectID), \(evacuation.datasetID), \(evacuation.hostID), \
                \(evacuation.startedAt.millisecondsSince1970), \(ended), \(document))
                """
            )
        } else {
            try await executor.query(
                "UPDATE evacuations SET ended_at_ms = \(ended), document = \(document) WHERE id = \(evacuation.id)"
            )
        }
        try await audit(
            executor, at: time, actor: actor, action: "evacuation.\(event.rawValue)", kind: "dataset",
            id: evacuation.datasetID, before: try previous.map { try CanonicalJSON.encode($0) }, after: document
        )
    }
}
