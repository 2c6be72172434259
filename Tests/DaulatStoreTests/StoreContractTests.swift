import DaulatControlPlane
import DaulatCore
import DaulatExampleConfig
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

/// One contract, two databases: every test runs on SQLite and on a real PostgreSQL.
@Suite("Store contract")
struct StoreContractTests {
    static let actor = "operator:test"

    func example() throws -> AllianceDefinition { try AllianceDefinitionFile.load(ExampleConfig.allianceFile) }

    /// A definition's agreements as seeding stores them: drafts, until their parties sign.
    static func drafts(of definition: AllianceDefinition) -> [Agreement] {
        definition.agreements.map {
            var draft = $0
            draft.status = .draft
            return draft
        }
    }

    func dataset(_ name: String, agency: String = "bps", home: String = "ID", classification: String = "restricted")
        throws -> Dataset
    {
        let now = CanonicalJSON.rounded(Date())
        return Dataset(
            id: "ds-\(UUID().uuidString.prefix(8).lowercased())",
            name: name,
            ownerAgency: agency,
            home: try JurisdictionCode(home),
            classification: classification,
            policy: ResidencyPolicy(replicas: 2),
            createdAt: now,
            updatedAt: now
        )
    }

    func placement(for dataset: Dataset, hosts: [(String, String)]) throws -> Placement {
        Placement(
            datasetID: dataset.id,
            computedAt: CanonicalJSON.rounded(Date()),
            choices: try hosts.map { host, jurisdiction in
                PlacementChoice(
                    hostID: host, siteID: "s", jurisdiction: try JurisdictionCode(jurisdiction), failureDomain: "f",
                    reason: PlacementReason(kind: .newSite, rank: 1, eligibleSites: 1))
            },
            excludedSites: [],
            violations: []
        )
    }

    @Test(
        "seeding stores the whole alliance, reads it back unchanged, and completes an interrupted seeding",
        arguments: StoreKind.allCases)
    func seedRoundTrip(kind: StoreKind) async throws {
        let definition = try example()
        try await TestDatabase.withStore(kind) { store in
            let total =
                definition.jurisdictions.count + definition.groups.count + definition.classifications.count
                + definition.sites.count + definition.hosts.count + definition.custodians.count
                + definition.agreements.count
            #expect(!definition.custodians.isEmpty)
            #expect(try await AllianceSeeder.addMissing(to: store, from: definition, actor: Self.actor) == total)
            #expect(try await AllianceSeeder.addMissing(to: store, from: definition, actor: Self.actor) == 0)
            let alliance = try await store.alliance()
            #expect(Set(alliance.jurisdictions) == Set(definition.jurisdictions))
            #expect(Set(alliance.groups) == Set(definition.groups))
            #expect(Set(alliance.classifications) == Set(definition.classifications))
            let topology = try await store.topology()
            #expect(Set(topology.sites) == Set(definition.sites))
            #expect(Set(topology.hosts) == Set(definition.hosts))
            #expect(Set(try await store.agreements()) == Set(Self.drafts(of: definition)))
            #expect(Set(try await store.custodians()) == Set(definition.custodians))
        }
        // A first start that stopped after the jurisdictions is completed by the next.
        try await TestDatabase.withStore(kind) { store in
            for jurisdiction in definition.jurisdictions {
                try await store.addJurisdiction(jurisdiction, actor: Self.actor)
            }
            #expect(try await AllianceSeeder.addMissing(to: store, from: definition, actor: Self.actor) > 0)
            #expect(Set(try await store.topology().hosts) == Set(definition.hosts))
            #expect(Set(try await store.agreements()) == Set(Self.drafts(of: definition)))
        }
    }

    @Test("adding a record twice is a conflict and leaves the first", arguments: StoreKind.allCases)
    func duplicateIsConflict(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            let code = try JurisdictionCode("ID")
            try await store.addJurisdiction(Jurisdiction(code: code, name: "Indonesia"), actor: Self.actor)
            await #expect(throws: StoreError.self) {
                try await store.addJurisdiction(Jurisdiction(code: code, name: "Other"), actor: Self.actor)
            }
            #expect(try await store.alliance().jurisdictions == [Jurisdiction(code: code, name: "Indonesia")])
            #expect(try await store.auditEntries(after: 0, limit: 100).count == 1)
        }
    }

    @Test("agreement changes are stored and audited with before and after", arguments: StoreKind.allCases)
    func agreementChanges(kind: StoreKind) async throws {
        let definition = try example()
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(to: store, from: definition, actor: Self.actor)
            #expect(try await store.agreement(id: "id-sg-restricted")?.status == .draft, "seeded as a draft")
            let changed = try await store.updateAgreement(id: "my-sg-restricted", actor: "operator:alice") {
                var agreement = $0
                agreement.signatures["MY"] = "signature"
                agreement.status = .inForce
                return (agreement, "agreement.in_force")
            }
            #expect(try await store.agreement(id: "my-sg-restricted") == changed)
            let last = try #require(try await store.auditEntries(after: 0, limit: 1000).last)
            #expect(last.action == "agreement.in_force")
            #expect(last.actor == "operator:alice")
            #expect(last.before?.contains("\"status\":\"draft\"") == true)
            #expect(last.after?.contains("\"status\":\"in_force\"") == true)

            await #expect(throws: StoreError.notFound(kind: "agreement", id: "no-such-agreement")) {
                try await store.updateAgreement(id: "no-such-agreement", actor: Self.actor) { ($0, "none") }
            }
            // A change refused inside the transaction writes nothing.
            let entries = try await store.auditEntries(after: 0, limit: 1000).count
            await #expect(throws: DomainError.self) {
                try await store.updateAgreement(id: "my-sg-restricted", actor: Self.actor) { _ in
                    throw DomainError(.invalidTransition, "refused")
                }
            }
            #expect(try await store.agreement(id: "my-sg-restricted") == changed)
            #expect(try await store.auditEntries(after: 0, limit: 1000).count == entries)
        }
    }

    @Test(
        "a host's status changes only from the status the change expects; an operator's drain in between stays",
        arguments: StoreKind.allCases)
    func conditionalHostStatus(kind: StoreKind) async throws {
        let definition = try example()
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(to: store, from: definition, actor: Self.actor)
            let status = { try await store.topology().hosts.first { $0.id == "id-jkt-1-a" }?.status }
            let version = try await store.catalogVersion()
            #expect(
                try await store.changeHostStatus(
                    hostID: "id-jkt-1-a", from: .available, to: .silent, actor: "system:heartbeat-watch"))
            #expect(try await status() == .silent)
            #expect(try await store.catalogVersion() > version, "placement depends on it")
            let audited = try #require(try await store.auditEntries(after: 0, limit: 1_000).last)
            #expect(audited.action == "host.updated" && audited.actor == "system:heartbeat-watch")
            #expect(audited.before?.contains("\"available\"") == true && audited.after?.contains("\"silent\"") == true)
            // Decided on a stale reading: the host is no longer available, so nothing changes.
            #expect(
                try await !store.changeHostStatus(
                    hostID: "id-jkt-1-a", from: .available, to: .silent, actor: "system:heartbeat-watch"))
            // An operator drains it meanwhile; the agent reporting again does not undo the drain.
            var host = try #require(try await store.topology().hosts.first { $0.id == "id-jkt-1-a" })
            host.status = .draining
            try await store.putHost(host, actor: Self.actor)
            let entries = try await store.auditEntries(after: 0, limit: 1_000).count
            #expect(
                try await !store.changeHostStatus(
                    hostID: "id-jkt-1-a", from: .silent, to: .available, actor: "system:heartbeat-watch"))
            #expect(try await status() == .draining)
            #expect(try await store.auditEntries(after: 0, limit: 1_000).count == entries)
            await #expect(throws: StoreError.notFound(kind: "host", id: "no-such-host")) {
                try await store.changeHostStatus(
                    hostID: "no-such-host", from: .available, to: .silent, actor: Self.actor)
            }
        }
    }

    @Test("datasets are created, read, filtered, paged, updated and deleted", arguments: StoreKind.allCases)
    func datasetLifecycle(kind: StoreKind) async throws {
        let definition = try example()
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(to: store, from: definition, actor: Self.actor)
            var created: [Dataset] = []
            for index in 0..<7 {
                let agency = index % 2 == 0 ? "bps" : "dukcapil"
                let home = index < 5 ? "ID" : "EE"
                let dataset = try dataset("set-\(index)", agency: agency, home: home)
                let hosts = home == "ID" ? [("id-jkt-1-a", "ID"), ("sg-sin-1-a", "SG")] : [("ee-tll-1-a", "EE")]
                let outcome = try await store.createDataset(
                    dataset, placement: try placement(for: dataset, hosts: hosts),
                    plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: nil, actor: Self.actor
                )
                #expect(outcome == .created(dataset))
                created.append(dataset)
            }
            #expect(try await store.dataset(id: created[0].id) == created[0])
            #expect(try await store.dataset(id: "ds-missing") == nil)

            // Paging walks every dataset exactly once, in creation order.
            var seen: [Dataset] = []
            var cursor: String?
            repeat {
                let page = try await store.datasets(DatasetQuery(cursor: cursor, limit: 3))
                #expect(page.datasets.count <= 3)
                seen += page.datasets
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == created)

            #expect(
                try await store.datasets(DatasetQuery(ownerAgency: "bps")).datasets.map(\.name) == [
                    "set-0", "set-2", "set-4", "set-6",
                ])
            #expect(try await store.datasets(DatasetQuery(home: JurisdictionCode("EE"))).datasets.count == 2)
            #expect(try await store.datasets(DatasetQuery(name: "set-3")).datasets.map(\.id) == [created[3].id])
            // A Singapore regulator sees the Indonesian datasets with a copy in Singapore, nothing else.
            let singapore = try await store.datasets(DatasetQuery(concerningJurisdiction: JurisdictionCode("SG")))
            #expect(singapore.datasets.map(\.name) == ["set-0", "set-1", "set-2", "set-3", "set-4"])
            #expect(
                try await store.datasets(DatasetQuery(concerningJurisdiction: JurisdictionCode("FI"))).datasets.isEmpty)

            var changed = created[1]
            changed.policy.replicas = 3
            try await store.updateDataset(
                changed, placement: try placement(for: changed, hosts: [("id-jkt-1-a", "ID")]), actor: Self.actor)
            #expect(try await store.dataset(id: changed.id)?.policy.replicas == 3)
            #expect(try await store.placement(datasetID: changed.id)?.hostIDs == ["id-jkt-1-a"])
            // The placement moved out of Singapore, so the Singapore regulator no longer sees it.
            #expect(
                try await !store.datasets(DatasetQuery(concerningJurisdiction: JurisdictionCode("SG"))).datasets.map(
                    \.id
                ).contains(changed.id))

            try await store.deleteDataset(id: created[2].id, actor: Self.actor)
            #expect(try await store.dataset(id: created[2].id) == nil)
            #expect(try await store.placement(datasetID: created[2].id) == nil)
            await #expect(throws: StoreError.notFound(kind: "dataset", id: created[2].id)) {
                try await store.deleteDataset(id: created[2].id, actor: Self.actor)
            }
            await #expect(throws: InvalidCursorError.self) {
                try await store.datasets(DatasetQuery(cursor: "not-a-cursor"))
            }
        }
    }

    @Test("a dataset name is unique within its agency, not across agencies", arguments: StoreKind.allCases)
    func datasetNamesPerAgency(kind: StoreKind) async throws {
        let definition = try example()
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(to: store, from: definition, actor: Self.actor)
            let first = try dataset("census", agency: "bps")
            try await store.createDataset(
                first, placement: try placement(for: first, hosts: []),
                plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: nil, actor: Self.actor)
            let clash = try dataset("census", agency: "bps")
            await #expect(throws: StoreError.self) {
                try await store.createDataset(
                    clash, placement: try placement(for: clash, hosts: []),
                    plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: nil, actor: Self.actor)
            }
            #expect(try await store.dataset(id: clash.id) == nil)
            let other = try dataset("census", agency: "dukcapil")
            try await store.createDataset(
                other, placement: try placement(for: other, hosts: []),
                plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: nil, actor: Self.actor)
            #expect(try await store.datasets(DatasetQuery(name: "census")).datasets.count == 2)
        }
    }

    @Test(
        "concurrent registrations each get their own outcome, duplicates among them too", arguments: StoreKind.allCases)
    func concurrentRegistrations(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(to: store, from: try example(), actor: Self.actor)
            let version = try await store.catalogVersion()
            // Forty registrations at once, ten of them reusing a name another one uses.
            let datasets = try (0..<40).map { try dataset("set-\($0 % 30)") }
            let outcomes = try await withThrowingTaskGroup(of: (Dataset, Result<DatasetCreation, StoreError>).self) {
                group in
                for dataset in datasets {
                    let placement = try placement(for: dataset, hosts: [("id-jkt-1-a", "ID"), ("sg-sin-1-a", "SG")])
                    group.addTask {
                        do {
                            let outcome = try await store.createDataset(
                                dataset, placement: placement, plannedAtCatalogVersion: version, idempotency: nil,
                                actor: Self.actor
                            )
                            return (dataset, .success(outcome))
                        } catch let error as StoreError {
                            return (dataset, .failure(error))
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = outcomes.filter { (try? $0.1.get()) == .created($0.0) }.map(\.0)
            let refused = outcomes.filter { if case .failure(.conflict) = $0.1 { true } else { false } }.map(\.0)
            #expect(created.count == 30 && refused.count == 10)
            #expect(Set(created.map(\.name)).count == 30, "each name is registered once")

            let entries = try await store.auditEntries(after: 0, limit: 1000)
            for dataset in created {
                #expect(try await store.placement(datasetID: dataset.id)?.hostIDs == ["id-jkt-1-a", "sg-sin-1-a"])
                let own = entries.filter { $0.subjectID == dataset.id }
                #expect(own.map(\.action) == ["dataset.registered", "placement.changed"])
                #expect(
                    own.count == 2 && own[1].sequence == own[0].sequence + 1, "a registration's entries are adjacent")
            }
            for dataset in refused {
                #expect(try await store.dataset(id: dataset.id) == nil)
                #expect(entries.allSatisfy { $0.subjectID != dataset.id })
            }
        }
    }

    @Test("a registration planned from an older catalog writes nothing", arguments: StoreKind.allCases)
    func registrationAgainstMovedCatalog(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(to: store, from: try example(), actor: Self.actor)
            let planned = try await store.catalogVersion()
            try await store.updateAgreement(id: "my-sg-restricted", actor: Self.actor) { ($0, "agreement.signed") }
            let entries = try await store.auditEntries(after: 0, limit: 1000).count
            let stale = try dataset("census")
            await #expect(throws: StoreError.catalogChanged) {
                try await store.createDataset(
                    stale, placement: try placement(for: stale, hosts: [("id-jkt-1-a", "ID")]),
                    plannedAtCatalogVersion: planned,
                    idempotency: IdempotencyClaim(principalID: "tok-1", key: "key-1", requestDigest: "digest-a"),
                    actor: Self.actor
                )
            }
            #expect(try await store.dataset(id: stale.id) == nil)
            #expect(try await store.placement(datasetID: stale.id) == nil)
            #expect(try await store.auditEntries(after: 0, limit: 1000).count == entries)
            // Nothing of the refused attempt remains, not even its idempotency key.
            let current = try dataset("census")
            let outcome = try await store.createDataset(
                current, placement: try placement(for: current, hosts: [("id-jkt-1-a", "ID")]),
                plannedAtCatalogVersion: try await store.catalogVersion(),
                idempotency: IdempotencyClaim(principalID: "tok-1", key: "key-1", requestDigest: "digest-a"),
                actor: Self.actor
            )
            #expect(outcome == .created(current))
            #expect(try await store.placement(datasetID: current.id)?.hostIDs == ["id-jkt-1-a"])
            #expect(
                try await store.auditEntries(after: 0, limit: 1000).suffix(2).map(\.action) == [
                    "dataset.registered", "placement.changed",
                ])
        }
    }

    @Test(
        "an idempotent registration replays, and a different request under the same key is refused",
        arguments: StoreKind.allCases)
    func idempotency(kind: StoreKind) async throws {
        let definition = try example()
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(to: store, from: definition, actor: Self.actor)
            let claim = IdempotencyClaim(principalID: "tok-1", key: "key-1", requestDigest: "digest-a")
            let first = try dataset("census")
            #expect(
                try await store.createDataset(
                    first, placement: try placement(for: first, hosts: []),
                    plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: claim, actor: Self.actor)
                    == .created(first))
            let retry = try dataset("census")
            #expect(
                try await store.createDataset(
                    retry, placement: try placement(for: retry, hosts: []),
                    plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: claim, actor: Self.actor)
                    == .replayed(first))
            var changed = claim
            changed.requestDigest = "digest-b"
            await #expect(throws: StoreError.idempotencyKeyReused) {
                try await store.createDataset(
                    retry, placement: try placement(for: retry, hosts: []),
                    plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: changed, actor: Self.actor)
            }
            // The same key from another principal is a different request.
            let otherPrincipal = IdempotencyClaim(principalID: "tok-2", key: "key-1", requestDigest: "digest-a")
            let second = try dataset("census-2")
            #expect(
                try await store.createDataset(
                    second, placement: try placement(for: second, hosts: []),
                    plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: otherPrincipal,
                    actor: Self.actor) == .created(second))
            #expect(try await store.datasets(DatasetQuery()).datasets.count == 2)
        }
    }

    @Test(
        "every change is in the audit log with its actor, and the log cannot be rewritten",
        arguments: StoreKind.allCases)
    func auditLog(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await store.addJurisdiction(
                Jurisdiction(code: JurisdictionCode("ID"), name: "Indonesia"), actor: "operator:a")
            try await store.addClassification(try example().classifications[0], actor: "operator:b")
            let entries = try await store.auditEntries(after: 0, limit: 10)
            #expect(entries.map(\.action) == ["jurisdiction.created", "classification.created"])
            #expect(entries.map(\.actor) == ["operator:a", "operator:b"])
            #expect(entries[0].before == nil)
            #expect(entries[0].after == #"{"code":"ID","name":"Indonesia"}"#)
            #expect(
                try await store.auditEntries(after: entries[0].sequence, limit: 10).map(\.action) == [
                    "classification.created"
                ])
        }
        try await assertAuditAppendOnly(kind)
    }

    private func assertAuditAppendOnly(_ kind: StoreKind) async throws {
        switch kind {
        case .sqlite:
            try await TestDatabase.withSQLite { backend in
                let store = SQLDaulatStore(backend: backend)
                try await store.addJurisdiction(
                    Jurisdiction(code: JurisdictionCode("ID"), name: "Indonesia"), actor: "a")
                await #expect(throws: (any Error).self) {
                    try await backend.transaction { _ = try await $0.query("UPDATE audit_log SET actor = 'forged'") }
                }
                await #expect(throws: (any Error).self) {
                    try await backend.transaction { _ = try await $0.query("DELETE FROM audit_log") }
                }
                #expect(try await store.auditEntries(after: 0, limit: 10).map(\.actor) == ["a"])
            }
        case .postgresql:
            try await TestDatabase.withPostgres { backend in
                let store = SQLDaulatStore(backend: backend)
                try await store.addJurisdiction(
                    Jurisdiction(code: JurisdictionCode("ID"), name: "Indonesia"), actor: "a")
                await #expect(throws: (any Error).self) {
                    try await backend.transaction { _ = try await $0.query("UPDATE audit_log SET actor = 'forged'") }
                }
                await #expect(throws: (any Error).self) {
                    try await backend.transaction { _ = try await $0.query("DELETE FROM audit_log") }
                }
                await #expect(throws: (any Error).self) {
                    try await backend.transaction { _ = try await $0.query("TRUNCATE audit_log") }
                }
                #expect(try await store.auditEntries(after: 0, limit: 10).map(\.actor) == ["a"])
            }
        }
    }

    @Test("a change whose audit entry cannot be written does not happen", arguments: StoreKind.allCases)
    func noChangeWithoutAudit(kind: StoreKind) async throws {
        func check(_ store: some DaulatStore, breakAudit: () async throws -> Void) async throws {
            try await AllianceSeeder.addMissing(to: store, from: try example(), actor: Self.actor)
            try await breakAudit()
            let lost = try dataset("census")
            await #expect(throws: (any Error).self) {
                try await store.createDataset(
                    lost, placement: try placement(for: lost, hosts: []),
                    plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: nil, actor: Self.actor)
            }
            #expect(try await store.dataset(id: lost.id) == nil)
        }
        switch kind {
        case .sqlite:
            try await TestDatabase.withSQLite { backend in
                try await check(SQLDaulatStore(backend: backend)) {
                    try await backend.transaction { _ = try await $0.query("DROP TABLE audit_log") }
                }
            }
        case .postgresql:
            try await TestDatabase.withPostgres { backend in
                try await check(SQLDaulatStore(backend: backend)) {
                    try await backend.transaction { _ = try await $0.query("DROP TABLE audit_log CASCADE") }
                }
            }
        }
    }

    @Test("an unchanged placement is not rewritten or audited", arguments: StoreKind.allCases)
    func unchangedPlacement(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(to: store, from: try example(), actor: Self.actor)
            let dataset = try dataset("census")
            let first = try placement(for: dataset, hosts: [("id-jkt-1-a", "ID")])
            try await store.createDataset(
                dataset, placement: first, plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: nil,
                actor: Self.actor)
            let before = try await store.auditEntries(after: 0, limit: 1000).count
            var later = first
            later.computedAt = first.computedAt.addingTimeInterval(60)
            #expect(try await !store.savePlacement(later, basedOn: dataset, actor: Self.actor))
            #expect(try await store.auditEntries(after: 0, limit: 1000).count == before)
            let moved = try placement(for: dataset, hosts: [("id-btm-1-a", "ID")])
            #expect(try await store.savePlacement(moved, basedOn: dataset, actor: Self.actor))
            #expect(try await store.placement(datasetID: dataset.id)?.hostIDs == ["id-btm-1-a"])
            #expect(try await store.auditEntries(after: 0, limit: 1000).last?.action == "placement.changed")

            // A placement planned from an older version of the dataset is not saved over the newer one.
            var narrowed = dataset
            narrowed.policy.replicas = 1
            try await store.updateDataset(
                narrowed, placement: try placement(for: narrowed, hosts: [("id-jkt-1-b", "ID")]), actor: Self.actor)
            let stale = try placement(for: dataset, hosts: [("sg-sin-1-a", "SG")])
            #expect(try await !store.savePlacement(stale, basedOn: dataset, actor: Self.actor))
            #expect(try await store.placement(datasetID: dataset.id)?.hostIDs == ["id-jkt-1-b"])
        }
    }

    @Test(
        "tokens are found by the hash of their secret, live until they expire or are revoked; a rotation adds the successor and shortens the old one",
        arguments: StoreKind.allCases)
    func tokens(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            let now = CanonicalJSON.rounded(Date())
            #expect(try await !store.hasLiveToken(role: .operator, at: now))
            let token = APIToken(
                id: "tok-1", name: "admin", role: .operator, agency: nil, jurisdiction: nil, secretHash: "abc123",
                createdAt: now
            )
            #expect(token.expiresAt == now.addingTimeInterval(APIToken.defaultLifetime))
            try await store.addToken(token, actor: "bootstrap")
            #expect(try await store.hasLiveToken(role: .operator, at: now))
            #expect(try await !store.hasLiveToken(role: .operator, at: token.expiresAt), "expired, it is not live")
            #expect(try await !store.hasLiveToken(role: .owner, at: now))
            #expect(try await store.token(secretHash: "abc123") == token)
            #expect(try await store.token(secretHash: "abc124") == nil)
            #expect(try await store.auditEntries(after: 0, limit: 10).first?.after?.contains("abc123") == false)

            // Used: noted, not audited.
            let entries = try await store.auditEntries(after: 0, limit: 100).count
            try await store.noteTokenUse(id: "tok-1", at: now)
            #expect(try await store.token(id: "tok-1")?.lastUsedAt == now)
            #expect(try await store.auditEntries(after: 0, limit: 100).count == entries)

            // Rotated: the successor is stored, the old one expires with its grace and names it.
            let successor = APIToken(
                id: "tok-2", name: "admin", role: .operator, agency: nil, jurisdiction: nil, secretHash: "def456",
                createdAt: now)
            let rotated = try await store.rotateToken(
                id: "tok-1", successor: successor, graceUntil: now.addingTimeInterval(3_600), actor: "test")
            #expect(rotated.expiresAt == now.addingTimeInterval(3_600) && rotated.successorID == "tok-2")
            #expect(try await store.token(secretHash: "def456") == successor)
            #expect(try await store.tokens().map(\.id) == ["tok-1", "tok-2"])

            // Revoked: not live; revoking again changes nothing; a revoked token is not rotated.
            let revoked = try await store.revokeToken(id: "tok-1", at: now, actor: "test")
            #expect(revoked.revokedAt == now && !revoked.isLive(at: now))
            #expect(try await store.revokeToken(id: "tok-1", at: now.addingTimeInterval(5), actor: "test") == revoked)
            await #expect(throws: StoreError.self) {
                try await store.rotateToken(
                    id: "tok-1", successor: successor, graceUntil: now, actor: "test")
            }
            await #expect(throws: StoreError.notFound(kind: "token", id: "tok-9")) {
                try await store.revokeToken(id: "tok-9", at: now, actor: "test")
            }
            let actions = try await store.auditEntries(after: 0, limit: 100).map(\.action)
            #expect(actions.filter { $0 == "token.revoked" }.count == 1 && actions.contains("token.rotated"))
            #expect(try await store.hasLiveToken(role: .operator, at: now), "the successor is live")

            // A dashboard link is claimed once.
            let expiry = now.addingTimeInterval(300)
            #expect(try await store.claimDashboardLink(nonce: "dl-1", expiresAt: expiry, at: now))
            #expect(try await !store.claimDashboardLink(nonce: "dl-1", expiresAt: expiry, at: now))
        }
    }

    @Test(
        "the catalog version moves with every rule, topology or agreement change, and only then",
        arguments: StoreKind.allCases)
    func catalogVersion(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            let start = try await store.catalogVersion()
            try await AllianceSeeder.addMissing(to: store, from: try example(), actor: Self.actor)
            let seeded = try await store.catalogVersion()
            #expect(seeded > start)
            let dataset = try dataset("census")
            try await store.createDataset(
                dataset, placement: try placement(for: dataset, hosts: []),
                plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: nil, actor: Self.actor)
            #expect(try await store.catalogVersion() == seeded, "datasets are not part of the catalog")
            try await store.updateAgreement(id: "my-sg-restricted", actor: Self.actor) { ($0, "agreement.signed") }
            let afterAgreement = try await store.catalogVersion()
            #expect(afterAgreement > seeded)
            var host = try #require(try await store.topology().hosts.first)
            try await store.putHost(host, actor: Self.actor)
            #expect(try await store.catalogVersion() == afterAgreement, "an unchanged host changes nothing")
            host.freeBytes -= 1
            try await store.putHost(host, actor: Self.actor)
            #expect(try await store.catalogVersion() > afterAgreement)
        }
    }
}
