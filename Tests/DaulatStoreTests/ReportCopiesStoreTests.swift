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
                        try await store.recordCopy(
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
        "the copies concerning a jurisdiction come each once, in batches no larger than asked",
        arguments: StoreKind.allCases)
    func concerning(kind: StoreKind) async throws {
        try await withCopies(kind) { store, copies in
            // Indonesia's: every copy on its hosts (id-*), and its own datasets' copies anywhere.
            let indonesian = Set(["ds-census", "ds-health"])
            let expected = copies.filter { $0.hostID.hasPrefix("id-") || indonesian.contains($0.datasetID) }
            #expect(expected.count < copies.count)
            for batchSize in [1, 2, 3, 100] {
                var read: [CopyHolding] = []
                try await store.copies(concerning: try JurisdictionCode("ID"), batchSize: batchSize) { batch in
                    #expect(!batch.isEmpty && batch.count <= batchSize)
                    read += batch
                }
                #expect(Self.sorted(read) == Self.sorted(expected), "batches of \(batchSize)")
            }
            var none: [CopyHolding] = []
            try await store.copies(concerning: try JurisdictionCode("FI"), batchSize: 10) { none += $0 }
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
            #expect(try await store.datasets(ids: []).isEmpty)
        }
    }

    static func sorted(_ copies: [CopyHolding]) -> [CopyHolding] {
        copies.sorted { ($0.objectID, $0.hostID) < ($1.objectID, $1.hostID) }
    }
}
