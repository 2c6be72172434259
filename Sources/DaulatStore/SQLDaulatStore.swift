import DaulatCore
import Foundation

/// The one implementation of ``DaulatStore``, over either PostgreSQL or SQLite. Statements stay in the
/// dialects' common subset; each record is a row whose `document` column holds its canonical JSON.
public struct SQLDaulatStore<Backend: SQLBackend>: DaulatStore {
    public let backend: Backend
    let clock: @Sendable () -> Date
    private let registrations: RegistrationBatcher<Backend>
    let releaseRecords: ReleaseRecordBatcher
    /// False only in a store built by ``withoutRegistrationAudit(backend:)``.
    private let auditsRegistrations: Bool

    public init(backend: Backend, clock: @escaping @Sendable () -> Date = Date.init) {
        self.init(backend: backend, clock: clock, auditsRegistrations: true)
    }

    private init(backend: Backend, clock: @escaping @Sendable () -> Date, auditsRegistrations: Bool) {
        self.backend = backend
        self.clock = clock
        self.registrations = RegistrationBatcher(backend: backend)
        self.releaseRecords = ReleaseRecordBatcher { records in
            let entries = try records.map { record in
                AuditRecord(
                    at: record.time, actor: record.actor, action: "key.released", kind: "object",
                    id: record.release.record.request.objectID, before: nil,
                    after: try CanonicalJSON.encode(record.release))
            }
            return try await backend.transaction { executor in
                try await Self.append(entries, executor, dialect: backend.dialect)
                return try await executor.query("SELECT max(seq) AS last FROM audit_log").first?.integer("last")
                    ?? 0
            }
        }
        self.auditsRegistrations = auditsRegistrations
    }

    /// A store that writes registrations without their audit entries, and is otherwise the same: it
    /// exists so that `daulat bench audit` can measure what those entries cost. It breaks the evidence
    /// invariant, so nothing that serves an alliance is built with it.
    @_spi(Benchmark) public static func withoutRegistrationAudit(backend: Backend) -> Self {
        Self(backend: backend, clock: Date.init, auditsRegistrations: false)
    }

    // MARK: Alliance and topology

    public func alliance() async throws -> Alliance {
        try await backend.transaction { executor in
            Alliance(
                jurisdictions: try await Self.documents(
                    Jurisdiction.self, "SELECT document FROM jurisdictions ORDER BY code", executor),
                groups: try await Self.documents(
                    JurisdictionGroup.self, "SELECT document FROM jurisdiction_groups ORDER BY name", executor),
                classifications: try await Self.documents(
                    Classification.self, "SELECT document FROM classifications ORDER BY name", executor)
            )
        }
    }

    public func topology() async throws -> Topology {
        try await backend.transaction { executor in
            Topology(
                sites: try await Self.documents(Site.self, "SELECT document FROM sites ORDER BY id", executor),
                hosts: try await Self.documents(StorageHost.self, "SELECT document FROM hosts ORDER BY id", executor)
            )
        }
    }

    public func addJurisdiction(_ jurisdiction: Jurisdiction, actor: String) async throws {
        try await insertRecord(
            "INSERT INTO jurisdictions (code, document) VALUES (\(jurisdiction.code.rawValue), \(try CanonicalJSON.encode(jurisdiction)))",
            action: "jurisdiction.created", kind: "jurisdiction", id: jurisdiction.code.rawValue, after: jurisdiction,
            actor: actor
        )
    }

    public func addGroup(_ group: JurisdictionGroup, actor: String) async throws {
        try await insertRecord(
            "INSERT INTO jurisdiction_groups (name, document) VALUES (\(group.name), \(try CanonicalJSON.encode(group)))",
            action: "group.created", kind: "group", id: group.name, after: group, actor: actor
        )
    }

    public func addClassification(_ classification: Classification, actor: String) async throws {
        try await insertRecord(
            "INSERT INTO classifications (name, document) VALUES (\(classification.name), \(try CanonicalJSON.encode(classification)))",
            action: "classification.created", kind: "classification", id: classification.name, after: classification,
            actor: actor
        )
    }

    public func addSite(_ site: Site, actor: String) async throws {
        try await insertRecord(
            "INSERT INTO sites (id, jurisdiction, document) VALUES (\(site.id), \(site.jurisdiction.rawValue), \(try CanonicalJSON.encode(site)))",
            action: "site.created", kind: "site", id: site.id, after: site, actor: actor
        )
    }

    public func putHost(_ host: StorageHost, actor: String) async throws {
        let document = try CanonicalJSON.encode(host)
        let now = clock()
        try await backend.transaction { executor in
            let before = try await executor.query("SELECT document FROM hosts WHERE id = \(host.id)").first
            if let before {
                try await self.updateHost(
                    host, document: document, before: try before.string("document"), executor, at: now, actor: actor)
            } else {
                try await executor.query(
                    "INSERT INTO hosts (id, site_id, document) VALUES (\(host.id), \(host.siteID), \(document))")
                try await Self.bumpCatalog(executor)
                try await self.audit(
                    executor, at: now, actor: actor, action: "host.created", kind: "host", id: host.id, before: nil,
                    after: document)
            }
        }
    }

    public func changeHostStatus(hostID: String, from expected: HostStatus, to status: HostStatus, actor: String)
        async throws -> Bool
    {
        let now = clock()
        let lock = rowLock
        return try await backend.transaction { executor in
            guard
                let row = try await executor.query(
                    "SELECT document FROM hosts WHERE id = \(hostID)\(unsafeSQL: lock)"
                ).first
            else { throw StoreError.notFound(kind: "host", id: hostID) }
            let before = try row.string("document")
            var host = try CanonicalJSON.decoder().decode(StorageHost.self, from: Data(before.utf8))
            guard host.status == expected, expected != status else { return false }
            host.status = status
            try await self.updateHost(
                host, document: try CanonicalJSON.encode(host), before: before, executor, at: now, actor: actor)
            return true
        }
    }

    /// Replaces a stored host's record with `document` (nothing if unchanged), audited with before and after.
    private func updateHost(
        _ host: StorageHost, document: String, before: String, _ executor: Backend.Executor, at time: Date,
        actor: String
    ) async throws {
        guard before != document else { return }
        try await executor.query(
            "UPDATE hosts SET site_id = \(host.siteID), document = \(document) WHERE id = \(host.id)")
        try await Self.bumpCatalog(executor)
        try await audit(
            executor, at: time, actor: actor, action: "host.updated", kind: "host", id: host.id, before: before,
            after: document)
    }

    // MARK: Agreements

    public func agreements() async throws -> [Agreement] {
        try await readDocuments(Agreement.self, "SELECT document FROM agreements ORDER BY id")
    }

    public func agreement(id: String) async throws -> Agreement? {
        try await readDocuments(Agreement.self, "SELECT document FROM agreements WHERE id = \(id)").first
    }

    public func addAgreement(_ agreement: Agreement, actor: String) async throws {
        try await insertRecord(
            "INSERT INTO agreements (id, document) VALUES (\(agreement.id), \(try CanonicalJSON.encode(agreement)))",
            action: "agreement.created", kind: "agreement", id: agreement.id, after: agreement, actor: actor
        )
    }

    public func updateAgreement(
        id: String, actor: String, _ change: @Sendable (Agreement) throws -> (agreement: Agreement, action: String)
    ) async throws -> Agreement {
        let now = clock()
        let lock = rowLock
        return try await backend.transaction { executor in
            guard
                let row = try await executor.query("SELECT document FROM agreements WHERE id = \(id)\(unsafeSQL: lock)")
                    .first
            else {
                throw StoreError.notFound(kind: "agreement", id: id)
            }
            let before = try row.string("document")
            let (agreement, action) = try change(try CanonicalJSON.decode(Agreement.self, from: before))
            let document = try CanonicalJSON.encode(agreement)
            try await executor.query("UPDATE agreements SET document = \(document) WHERE id = \(id)")
            try await Self.bumpCatalog(executor)
            try await self.audit(
                executor, at: now, actor: actor, action: action, kind: "agreement", id: id, before: before,
                after: document
            )
            return agreement
        }
    }

    // MARK: Datasets

    @discardableResult
    public func createDataset(
        _ dataset: Dataset,
        placement: Placement,
        plannedAtCatalogVersion catalogVersion: Int64,
        idempotency: IdempotencyClaim?,
        actor: String
    ) async throws -> DatasetCreation {
        if let idempotency, let earlier = try await earlierCreation(claimedBy: idempotency) { return earlier }
        let document = try CanonicalJSON.encode(dataset)
        let now = clock()
        var inserts = [
            SQLInsert(
                into: "datasets", columns: ["id", "name", "owner_agency", "home", "classification", "document"],
                rows: [
                    [
                        .text(dataset.id), .text(dataset.name), .text(dataset.ownerAgency),
                        .text(dataset.home.rawValue), .text(dataset.classification), .text(document),
                    ]
                ]
            )
        ]
        if let idempotency {
            // A concurrent request with the same key collides here; the caller retries and gets the replay.
            inserts.append(
                SQLInsert(
                    into: "idempotency_keys",
                    columns: ["principal_id", "key", "request_digest", "dataset_id", "created_at_ms"],
                    rows: [
                        [
                            .text(idempotency.principalID), .text(idempotency.key), .text(idempotency.requestDigest),
                            .text(dataset.id), .integer(now.millisecondsSince1970),
                        ]
                    ]
                )
            )
        }
        let placementDocument = try CanonicalJSON.encode(placement)
        inserts += Self.placementInserts(placement, document: placementDocument, isNew: true)
        // Both entries in one insert: their order in it is their order in the log.
        if auditsRegistrations {
            inserts.append(
                AuditRecord.insert([
                    AuditRecord(
                        at: now, actor: actor, action: "dataset.registered", kind: "dataset", id: dataset.id,
                        before: nil, after: document),
                    AuditRecord(
                        at: now, actor: actor, action: "placement.changed", kind: "dataset", id: dataset.id,
                        before: nil, after: placementDocument),
                ])
            )
        }
        guard try await registrations.write(inserts, ifCatalogAt: catalogVersion) else {
            throw StoreError.catalogChanged
        }
        return .created(dataset)
    }

    /// The dataset an earlier request with this idempotency key created, if there was one.
    private func earlierCreation(claimedBy claim: IdempotencyClaim) async throws -> DatasetCreation? {
        let earlier = try await backend.execute(
            """
            SELECT k.request_digest, d.document FROM idempotency_keys k LEFT JOIN datasets d ON d.id = k.dataset_id \
            WHERE k.principal_id = \(claim.principalID) AND k.key = \(claim.key)
            """
        ).first
        guard let earlier else { return nil }
        guard try earlier.string("request_digest") == claim.requestDigest else { throw StoreError.idempotencyKeyReused }
        guard let document = try earlier.optionalString("document") else {
            throw StoreError.conflict("the dataset first created with this Idempotency-Key has since been deleted")
        }
        return .replayed(try CanonicalJSON.decode(Dataset.self, from: document))
    }

    public func dataset(id: String) async throws -> Dataset? {
        try await readDocuments(Dataset.self, "SELECT document FROM datasets WHERE id = \(id)").first
    }

    public func datasets(_ query: DatasetQuery) async throws -> DatasetPage {
        let after = try query.cursor.map(Self.decodeCursor) ?? 0
        let limit = max(1, min(query.limit, 1000))
        var statement: SQLStatement = "SELECT seq, document FROM datasets d WHERE seq > \(after)"
        if let agency = query.ownerAgency { statement = "\(statement) AND owner_agency = \(agency)" }
        if let home = query.home { statement = "\(statement) AND home = \(home.rawValue)" }
        if let classification = query.classification {
            statement = "\(statement) AND classification = \(classification)"
        }
        if let name = query.name { statement = "\(statement) AND name = \(name)" }
        if let jurisdiction = query.concerningJurisdiction {
            statement = """
                \(statement) AND (home = \(jurisdiction.rawValue) OR EXISTS (SELECT 1 FROM placement_hosts p \
                WHERE p.dataset_id = d.id AND p.jurisdiction = \(jurisdiction.rawValue)))
                """
        }
        statement = "\(statement) ORDER BY seq LIMIT \(limit + 1)"
        let query = statement
        let rows = try await backend.execute(query)
        let decoder = CanonicalJSON.decoder()
        var datasets: [Dataset] = []
        var lastSeq: Int64 = after
        for row in rows.prefix(limit) {
            datasets.append(try decoder.decode(Dataset.self, from: Data(try row.string("document").utf8)))
            lastSeq = try row.integer("seq")
        }
        return DatasetPage(datasets: datasets, nextCursor: rows.count > limit ? Self.encodeCursor(lastSeq) : nil)
    }

    public func updateDataset(_ dataset: Dataset, placement: Placement, actor: String) async throws {
        let document = try CanonicalJSON.encode(dataset)
        let placementDocument = try CanonicalJSON.encode(placement)
        let now = clock()
        let lock = rowLock
        try await backend.transaction { executor in
            guard
                let before = try await executor.query(
                    "SELECT document FROM datasets WHERE id = \(dataset.id)\(unsafeSQL: lock)"
                ).first
            else {
                throw StoreError.notFound(kind: "dataset", id: dataset.id)
            }
            try await Self.refuseWhileShredding(dataset.id, executor)
            try await executor.query(
                "UPDATE datasets SET document = \(document), classification = \(dataset.classification) WHERE id = \(dataset.id)"
            )
            try await self.audit(
                executor, at: now, actor: actor, action: "dataset.policy_changed", kind: "dataset", id: dataset.id,
                before: try before.string("document"), after: document
            )
            let previous = try await Self.documents(
                Placement.self, "SELECT document FROM placements WHERE dataset_id = \(dataset.id)", executor
            ).first
            try await self.writePlacement(
                placement, document: placementDocument, previous: previous, executor: executor, at: now, actor: actor)
        }
    }

    public func deleteDataset(id: String, actor: String) async throws {
        let now = clock()
        let lock = rowLock
        try await backend.transaction { executor in
            guard
                let before = try await executor.query(
                    "SELECT document FROM datasets WHERE id = \(id)\(unsafeSQL: lock)"
                ).first
            else {
                throw StoreError.notFound(kind: "dataset", id: id)
            }
            try await Self.refuseWhileShredding(id, executor)
            try await executor.query("DELETE FROM placement_hosts WHERE dataset_id = \(id)")
            try await executor.query("DELETE FROM placements WHERE dataset_id = \(id)")
            try await executor.query("DELETE FROM datasets WHERE id = \(id)")
            try await self.audit(
                executor, at: now, actor: actor, action: "dataset.deleted", kind: "dataset", id: id,
                before: try before.string("document"), after: nil)
        }
    }

    public func placement(datasetID: String) async throws -> Placement? {
        try await readDocuments(Placement.self, "SELECT document FROM placements WHERE dataset_id = \(datasetID)").first
    }

    @discardableResult
    public func savePlacement(_ placement: Placement, basedOn dataset: Dataset, actor: String) async throws -> Bool {
        let document = try CanonicalJSON.encode(placement)
        let planned = try CanonicalJSON.encode(dataset)
        let now = clock()
        let lock = rowLock
        return try await backend.transaction { executor in
            guard
                let row = try await executor.query(
                    "SELECT document FROM datasets WHERE id = \(placement.datasetID)\(unsafeSQL: lock)"
                ).first
            else {
                throw StoreError.notFound(kind: "dataset", id: placement.datasetID)
            }
            // Planned from a version of the dataset that has since changed: the change placed it anew.
            guard try row.string("document") == planned else { return false }
            // A shredded dataset is placed nowhere: its copies are being deleted.
            if try await Self.activeShred(of: placement.datasetID, executor)?.state == .executing { return false }
            let previous = try await Self.documents(
                Placement.self, "SELECT document FROM placements WHERE dataset_id = \(placement.datasetID)", executor
            ).first
            if let previous, previous.hasSameOutcome(as: placement) { return false }
            try await self.writePlacement(
                placement, document: document, previous: previous, executor: executor, at: now, actor: actor)
            return true
        }
    }

    // MARK: Tokens

    public func addToken(_ token: APIToken, actor: String) async throws {
        try await backend.transaction { executor in
            try await self.insertToken(token, at: self.clock(), actor: actor, executor)
        }
    }

    public func token(secretHash: String) async throws -> APIToken? {
        try await readDocuments(APIToken.self, "SELECT document FROM api_tokens WHERE secret_hash = \(secretHash)")
            .first
    }

    // MARK: Audit

    public func auditEntries(after sequence: Int64, limit: Int) async throws -> [AuditEntry] {
        try await backend.execute(
            "SELECT seq, at_ms, actor, action, subject_kind, subject_id, before_doc, after_doc FROM audit_log WHERE seq > \(sequence) ORDER BY seq LIMIT \(max(1, min(limit, 10_000)))"
        ).map(Self.auditEntry)
    }

    public func auditPosition(sequence: Int64) async throws -> Int64 {
        try await backend.execute("SELECT count(*) AS position FROM audit_log WHERE seq < \(sequence)").first?
            .integer("position") ?? 0
    }

    public func auditEntries(subjectKind: String, subjectID: String, until: Date) async throws -> [AuditEntry] {
        try await backend.execute(
            """
            SELECT seq, at_ms, actor, action, subject_kind, subject_id, before_doc, after_doc FROM audit_log
            WHERE subject_kind = \(subjectKind) AND subject_id = \(subjectID) AND at_ms <= \(until.millisecondsSince1970)
            ORDER BY seq
            """
        ).map(Self.auditEntry)
    }

    private static func auditEntry(_ row: SQLRow) throws -> AuditEntry {
        AuditEntry(
            sequence: try row.integer("seq"),
            at: Date(millisecondsSince1970: try row.integer("at_ms")),
            actor: try row.string("actor"),
            action: try row.string("action"),
            subjectKind: try row.string("subject_kind"),
            subjectID: try row.string("subject_id"),
            before: try row.optionalString("before_doc"),
            after: try row.optionalString("after_doc")
        )
    }

    public func checkReachable() async throws {
        _ = try await backend.execute("SELECT 1 AS one")
    }

    public func catalogVersion() async throws -> Int64 {
        guard let row = try await backend.execute("SELECT version FROM catalog_version WHERE id = 1").first else {
            throw StoreError.unavailable("the catalog version is missing; run `daulat migrate`")
        }
        return try row.integer("version")
    }

    // MARK: Leadership

    /// The lock that makes one control plane the leader.
    static var leaderLockKey: Int64 { 0x6461_756c_6174_0003 }

    public func whileLeading(_ body: @escaping @Sendable () async throws -> Void) async throws {
        try await backend.whileHoldingSessionLock(Self.leaderLockKey, body)
    }

    // MARK: Helpers

    /// Appended to a SELECT of the row a transaction is about to change: PostgreSQL locks it so
    /// concurrent changes to one record queue; SQLite already runs one writing transaction at a time.
    var rowLock: String { backend.dialect == .postgresql ? " FOR UPDATE" : "" }
    /// As ``rowLock``, for a row read but not changed: it waits only for a transaction changing it.
    var sharedRowLock: String { backend.dialect == .postgresql ? " FOR SHARE" : "" }

    /// Marks the catalog (rules, topology, agreements) as changed, inside the changing transaction.
    private static func bumpCatalog(_ executor: Backend.Executor) async throws {
        try await executor.query("UPDATE catalog_version SET version = version + 1 WHERE id = 1")
    }

    /// Decodes the `document` column of every row of a single read.
    func readDocuments<T: Decodable>(_ type: T.Type, _ statement: SQLStatement) async throws -> [T] {
        let decoder = CanonicalJSON.decoder()
        return try await backend.execute(statement).map { row in
            try decoder.decode(T.self, from: Data(try row.string("document").utf8))
        }
    }

    func insertRecord(
        _ statement: SQLStatement,
        action: String,
        kind: String,
        id: String,
        after: some Encodable & Sendable,
        actor: String,
        changesCatalog: Bool = true
    ) async throws {
        let document = try CanonicalJSON.encode(after)
        let now = clock()
        try await backend.transaction { executor in
            try await executor.query(statement)
            // Only what placement depends on re-plans: custodians, say, do not.
            if changesCatalog { try await Self.bumpCatalog(executor) }
            try await self.audit(
                executor, at: now, actor: actor, action: action, kind: kind, id: id, before: nil, after: document)
        }
    }

    private func writePlacement(
        _ placement: Placement,
        document: String,
        previous: Placement?,
        executor: Backend.Executor,
        at time: Date,
        actor: String
    ) async throws {
        if previous != nil {
            try await executor.query("DELETE FROM placement_hosts WHERE dataset_id = \(placement.datasetID)")
            try await executor.query(
                "UPDATE placements SET document = \(document) WHERE dataset_id = \(placement.datasetID)")
        }
        for insert in Self.placementInserts(placement, document: document, isNew: previous == nil) {
            try await executor.query(insert.statement)
        }
        try await self.audit(
            executor, at: time, actor: actor, action: "placement.changed", kind: "dataset", id: placement.datasetID,
            before: try previous.map { try CanonicalJSON.encode($0) }, after: document
        )
    }

    /// The rows of a placement: its document (when the dataset had none) and one row per chosen host.
    private static func placementInserts(_ placement: Placement, document: String, isNew: Bool) -> [SQLInsert] {
        var inserts: [SQLInsert] = []
        if isNew {
            inserts.append(
                SQLInsert(
                    into: "placements", columns: ["dataset_id", "document"],
                    rows: [[.text(placement.datasetID), .text(document)]]))
        }
        if !placement.choices.isEmpty {
            inserts.append(
                SQLInsert(
                    into: "placement_hosts", columns: ["dataset_id", "host_id", "jurisdiction"],
                    rows: placement.choices.map {
                        [.text(placement.datasetID), .text($0.hostID), .text($0.jurisdiction.rawValue)]
                    }
                )
            )
        }
        return inserts
    }

    /// Appends an audit entry. On PostgreSQL, writers take turns from here to their commit, so entries
    /// become visible in sequence order and a reader paging by sequence never skips one.
    func audit(
        _ executor: Backend.Executor,
        at time: Date,
        actor: String,
        action: String,
        kind: String,
        id: String,
        before: String?,
        after: String?
    ) async throws {
        try await Self.append(
            [AuditRecord(at: time, actor: actor, action: action, kind: kind, id: id, before: before, after: after)],
            executor, dialect: backend.dialect)
    }

    /// Appends audit entries in order, taking the writers' turn on PostgreSQL.
    static func append(_ records: [AuditRecord], _ executor: Backend.Executor, dialect: SQLDialect) async throws {
        if dialect == .postgresql {
            try await executor.query("SELECT pg_advisory_xact_lock(\(AuditRecord.orderingLockKey))")
        }
        try await executor.query(AuditRecord.insert(records).statement)
    }

    static func documents<T: Decodable>(_ type: T.Type, _ statement: SQLStatement, _ executor: Backend.Executor)
        async throws -> [T]
    {
        let decoder = CanonicalJSON.decoder()
        return try await executor.query(statement).map { row in
            try decoder.decode(T.self, from: Data(try row.string("document").utf8))
        }
    }

    static func encodeCursor(_ sequence: Int64) -> String {
        Data("d:\(sequence)".utf8).base64EncodedString()
    }

    static func decodeCursor(_ cursor: String) throws -> Int64 {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("d:"), let sequence = Int64(text.dropFirst(2)), sequence >= 0
        else {
            throw InvalidCursorError()
        }
        return sequence
    }
}

/// A `cursor` that this server did not hand out.
public struct InvalidCursorError: Error, CustomStringConvertible {
    public var description: String { "the cursor is not one this server returned; start again without it" }
}
