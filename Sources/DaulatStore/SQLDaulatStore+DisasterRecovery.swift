import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func declareDisasterRecovery(_ activation: DisasterRecoveryActivation, actor: String) async throws {
        let document = try CanonicalJSON.encode(activation)
        try await backend.transaction { executor in
            // The dataset's row is locked so that two declarations at once cannot both find none in force.
            guard
                try await !executor.query(
                    "SELECT id FROM datasets WHERE id = \(activation.datasetID)\(unsafeSQL: self.rowLock)"
                ).isEmpty
            else {
                throw StoreError.notFound(kind: "dataset", id: activation.datasetID)
            }
            let at = activation.declaredAt.millisecondsSince1970
            let inForce = try await executor.query(
                """
                SELECT id, until_ms FROM disaster_recovery_activations
                WHERE dataset_id = \(activation.datasetID) AND declared_at_ms <= \(at) AND until_ms > \(at)
                AND (ended_at_ms IS NULL OR ended_at_ms > \(at))
                """
            )
            if let current = inForce.first {
                throw StoreError.conflict(
                    "a disaster-recovery activation of '\(activation.datasetID)' is in force until \(CanonicalJSON.format(Date(millisecondsSince1970: try current.integer("until_ms")))); end it first"
                )
            }
            try await executor.query(
                """
                INSERT INTO disaster_recovery_activations (id, dataset_id, reason, declared_by, declared_at_ms, until_ms)
                VALUES (\(activation.id), \(activation.datasetID), \(activation.reason), \(activation.declaredBy), \(at), \(activation.until.millisecondsSince1970))
                """
            )
            try await self.audit(
                executor, at: activation.declaredAt, actor: actor, action: "dataset.disaster_recovery_declared",
                kind: "dataset", id: activation.datasetID, before: nil, after: document)
        }
    }

    public func endDisasterRecovery(datasetID: String, at time: Date, actor: String) async throws
        -> DisasterRecoveryActivation
    {
        try await backend.transaction { executor in
            let at = time.millisecondsSince1970
            guard
                let row = try await executor.query(
                    """
                    SELECT \(unsafeSQL: Self.activationColumns) FROM disaster_recovery_activations
                    WHERE dataset_id = \(datasetID) AND declared_at_ms <= \(at) AND until_ms > \(at)
                    AND ended_at_ms IS NULL\(unsafeSQL: self.rowLock)
                    """
                ).first
            else {
                throw StoreError.notFound(kind: "disaster-recovery activation of dataset", id: datasetID)
            }
            let before = try Self.activation(row)
            var ended = before
            ended.endedAt = time
            ended.endedBy = actor
            try await executor.query(
                """
                UPDATE disaster_recovery_activations SET ended_at_ms = \(at), ended_by = \(actor)
                WHERE id = \(ended.id)
                """
            )
            try await self.audit(
                executor, at: time, actor: actor, action: "dataset.disaster_recovery_ended", kind: "dataset",
                id: datasetID, before: try CanonicalJSON.encode(before), after: try CanonicalJSON.encode(ended))
            return ended
        }
    }

    public func disasterRecoveryActivations(datasetID: String) async throws -> [DisasterRecoveryActivation] {
        try await backend.execute(
            """
            SELECT \(unsafeSQL: Self.activationColumns) FROM disaster_recovery_activations
            WHERE dataset_id = \(datasetID) ORDER BY declared_at_ms DESC, id
            """
        ).map(Self.activation)
    }

    private static var activationColumns: String {
        "id, dataset_id, reason, declared_by, declared_at_ms, until_ms, ended_at_ms, ended_by"
    }

    private static func activation(_ row: SQLRow) throws -> DisasterRecoveryActivation {
        DisasterRecoveryActivation(
            id: try row.string("id"), datasetID: try row.string("dataset_id"), reason: try row.string("reason"),
            declaredBy: try row.string("declared_by"),
            declaredAt: Date(millisecondsSince1970: try row.integer("declared_at_ms")),
            until: Date(millisecondsSince1970: try row.integer("until_ms")),
            endedAt: try row.optionalInteger("ended_at_ms").map(Date.init(millisecondsSince1970:)),
            endedBy: try row.optionalString("ended_by"))
    }
}
