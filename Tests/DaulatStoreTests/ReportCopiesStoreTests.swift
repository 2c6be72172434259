import DaulatControlPlane
import DaulatCore
import DaulatExampleConfig
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

/// The batches residency reports and the evacuation review read copies in, the same on PostgreSQL and
/// SQLite: every copy once, whatever the batch size, and nothing of another jurisdiction.
@Suite("Store contract: copies a batch at a time")
struct ReportCopiesStoreTests {
    static let actor = "system:test"
    static let hosts = ["id-jkt-1-a", "id-btm-1-a", "sg-sin-1-a", "my-kul-1-a"]

    /// Two datasets at home in Indonesia and one in Singapore, each with five objects; object `n` of
    /// each is copied to the first `n % 4 + 1` hosts of ``hosts``.
    func withCopies(_ kind: StoreKind, _ body: (any DaulatStore, [CopyHolding]) async throws -> Void) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(
                to: store, from: try AllianceDefinitionFile.load(ExampleConfig.allianceFile), actor: Self.actor)
            let now = CanonicalJSON.rounded(Date())
            var copies: [CopyHolding] = []
            for (datasetID, home) in [("ds-census", "ID"), ("ds-health", "ID"), ("ds-transport", "SG")] {
                try await store.createUnplacedDataset(id: datasetID, home: home, at: now, actor: Self.actor)
                for number in 0..<5 {
                    let object = StoredObject(
                        id: "obj-\(datasetID)-\(number)", datasetID: datasetID,
                        sha256: String(repeating: "ab", count: 32), sizeBytes: Int64(10 + number), createdAt: now)
                    try await store.addObject(object, keys: [], actor: Self.actor)
                    for host in Self.hosts.prefix(number % 4 + 1) {
                        try await store.recordUploadedCopy(
                            objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes, hostID: host,
                            at: now, actor: Self.actor)
                        copies.append(
                            CopyHolding(
                                objectID: object.id, datasetID: datasetID, sizeBytes: object.sizeBytes, hostID: host))
                    }
                }
            }
            try await body(store, copies)
        }
    }

    @Test(
        "the copies on a jurisdiction's hosts or of its datasets come each once, in batches no larger than asked",
        arguments: StoreKind.allCases)
    func concerning(kind: StoreKind) async throws {
        try await withCopies(kind) { store, copies in
            // Indonesia's: every copy on its hosts (id-*), and its own datasets' copies anywhere.
            let indonesian = Set(["ds-census", "ds-health"])
            let expected = copies.filter { $0.hostID.hasPrefix("id-") || indonesian.contains($0.datasetID) }
            #expect(expected.count < copies.count)
            for batchSize in [1, 2, 3, 100] {
                var read: [CopyHolding] = []
                try await store.copies(
                    onHosts: ["id-btm-1-a", "id-jkt-1-a", "id-jkt-1-b"], orOfDatasetsAt: try JurisdictionCode("ID"),
                    batchSize: batchSize
                ) { batch in
                    #expect(!batch.isEmpty && batch.count <= batchSize)
                    read += batch
                }
                #expect(Self.sorted(read) == Self.sorted(expected), "batches of \(batchSize)")
            }
            var none: [CopyHolding] = []
            try await store.copies(onHosts: [], orOfDatasetsAt: try JurisdictionCode("FI"), batchSize: 10) {
                none += $0
            }
            #expect(none.isEmpty)
        }
    }

    @Test(
        "every copy comes once to the evacuation review, in batches no larger than asked", arguments: StoreKind.allCases
    )
    func holdings(kind: StoreKind) async throws {
        try await withCopies(kind) { store, copies in
            for batchSize in [1, 7, 1000] {
                var read: [CopyHolding] = []
                try await store.copyHoldings(batchSize: batchSize) { batch in
                    #expect(!batch.isEmpty && batch.count <= batchSize)
                    read += batch
                }
                #expect(Self.sorted(read) == Self.sorted(copies), "batches of \(batchSize)")
            }
        }
    }

    @Test("datasets are read by id, the missing left out", arguments: StoreKind.allCases)
    func datasetsByID(kind: StoreKind) async throws {
        try await withCopies(kind) { store, _ in
            let datasets = try await store.datasets(ids: ["ds-health", "ds-census", "ds-none"])
            #expect(Set(datasets.map(\.id)) == ["ds-census", "ds-health"])
            // More ids than one statement binds: read over several.
            let many = (0..<1_200).map { "ds-none-\($0)" } + ["ds-transport"]
            #expect(try await store.datasets(ids: many).map(\.id) == ["ds-transport"])
            #expect(try await store.datasets(ids: []).isEmpty)
        }
    }

    @Test(
        "copies placements want and no host holds are counted, with when the oldest of their objects was registered",
        arguments: StoreKind.allCases)
    func missing(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(
                to: store, from: try AllianceDefinitionFile.load(ExampleConfig.allianceFile), actor: Self.actor)
            let start = CanonicalJSON.rounded(Date()).addingTimeInterval(-3_600)
            let dataset = try await store.createUnplacedDataset(id: "ds-census", at: start, actor: Self.actor)
            for number in 0..<3 {
                try await store.addObject(
                    StoredObject(
                        id: "obj-\(number)", datasetID: dataset.id, sha256: String(repeating: "ab", count: 32),
                        sizeBytes: 10, createdAt: start.addingTimeInterval(Double(60 * number))),
                    keys: [], actor: Self.actor)
            }
            // Placed nowhere: nothing is missing.
            let unplaced = try await store.missingCopies()
            #expect(unplaced.count == 0 && unplaced.oldestObject == nil)
            let choices = [
                PlacementChoice(
                    hostID: "id-jkt-1-a", siteID: "id-jkt-1", jurisdiction: try JurisdictionCode("ID"),
                    failureDomain: "java-west", reason: PlacementReason(kind: .homeReplica, rank: 1, eligibleSites: 2)),
                PlacementChoice(
                    hostID: "sg-sin-1-a", siteID: "sg-sin-1", jurisdiction: try JurisdictionCode("SG"),
                    failureDomain: "singapore", reason: PlacementReason(kind: .newSite, rank: 2, eligibleSites: 2)),
            ]
            #expect(
                try await store.savePlacement(
                    Placement(
                        datasetID: dataset.id, computedAt: start, choices: choices, excludedSites: [], violations: []),
                    basedOn: dataset, actor: Self.actor))
            // Three objects on two hosts, one copy made: five missing, the oldest the first object.
            try await store.recordUploadedCopy(
                objectID: "obj-0", sha256: String(repeating: "ab", count: 32), sizeBytes: 10, hostID: "id-jkt-1-a",
                at: start, actor: Self.actor)
            let placed = try await store.missingCopies()
            #expect(placed.count == 5 && placed.oldestObject == start)
            // A copy on a host the placement does not name changes nothing.
            try await store.recordUploadedCopy(
                objectID: "obj-1", sha256: String(repeating: "ab", count: 32), sizeBytes: 10, hostID: "my-kul-1-a",
                at: start, actor: Self.actor)
            #expect(try await store.missingCopies().count == 5)
        }
    }

    static func sorted(_ copies: [CopyHolding]) -> [CopyHolding] {
        copies.sorted { ($0.objectID, $0.hostID) < ($1.objectID, $1.hostID) }
    }
}
