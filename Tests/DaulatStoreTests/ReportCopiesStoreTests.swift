import DaulatControlPlane
import DaulatCore
import DaulatExampleConfig
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

/// The pages a residency report reads copies in, the same on PostgreSQL and SQLite: every copy once,
/// in order, whatever the page size, and nothing of another host, dataset or jurisdiction.
@Suite("Store contract: copies a page at a time")
struct ReportCopiesStoreTests {
    static let actor = "system:test"
    static let hosts = ["id-jkt-1-a", "id-btm-1-a", "sg-sin-1-a", "my-kul-1-a"]

    /// Two datasets at home in Indonesia and one in Singapore, each with five objects; object `n` of
    /// each is copied to the first `n % 4 + 1` hosts of ``hosts``.
    func withCopies(_ kind: StoreKind, _ body: (any DaulatStore, [HeldCopy]) async throws -> Void) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(
                to: store, from: try AllianceDefinitionFile.load(ExampleConfig.allianceFile), actor: Self.actor)
            let now = CanonicalJSON.rounded(Date())
            var copies: [HeldCopy] = []
            for (datasetID, home) in [("ds-census", "ID"), ("ds-health", "ID"), ("ds-transport", "SG")] {
                let dataset = Dataset(
                    id: datasetID, name: datasetID, ownerAgency: "agency", home: try JurisdictionCode(home),
                    classification: "restricted", policy: ResidencyPolicy(replicas: 2), createdAt: now, updatedAt: now)
                try await store.createDataset(
                    dataset,
                    placement: Placement(
                        datasetID: dataset.id, computedAt: now, choices: [], excludedSites: [], violations: []),
                    plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: nil, actor: Self.actor)
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
                            HeldCopy(
                                objectID: object.id, datasetID: datasetID, sizeBytes: object.sizeBytes, hostID: host))
                    }
                }
            }
            try await body(store, copies)
        }
    }

    @Test("a host's copies come in object order, each once, at every page size", arguments: StoreKind.allCases)
    func heldBy(kind: StoreKind) async throws {
        try await withCopies(kind) { store, copies in
            for host in Self.hosts {
                let expected = copies.filter { $0.hostID == host }.sorted { $0.objectID < $1.objectID }
                #expect(!expected.isEmpty)
                for limit in [1, 2, 3, 100] {
                    var read: [HeldCopy] = []
                    while true {
                        let page = try await store.copies(heldBy: host, after: read.last?.objectID, limit: limit)
                        #expect(page.count <= limit)
                        guard !page.isEmpty else { break }
                        read += page
                    }
                    #expect(read == expected, "\(host), pages of \(limit)")
                }
            }
            #expect(try await store.copies(heldBy: "no-such-host", after: nil, limit: 10).isEmpty)
        }
    }

    @Test(
        "a dataset's copies abroad come in object and host order, each once, at every page size",
        arguments: StoreKind.allCases)
    func abroad(kind: StoreKind) async throws {
        try await withCopies(kind) { store, copies in
            let indonesia = try JurisdictionCode("ID")
            for datasetID in ["ds-census", "ds-health", "ds-transport"] {
                // Indonesia's hosts are id-*; every other host is abroad.
                let expected = copies.filter { $0.datasetID == datasetID && !$0.hostID.hasPrefix("id-") }
                    .sorted { ($0.objectID, $0.hostID) < ($1.objectID, $1.hostID) }
                #expect(!expected.isEmpty)
                for limit in [1, 2, 3, 100] {
                    var read: [HeldCopy] = []
                    while true {
                        let page = try await store.copies(
                            ofDataset: datasetID, outside: indonesia, after: read.last, limit: limit)
                        #expect(page.count <= limit)
                        guard !page.isEmpty else { break }
                        read += page
                    }
                    #expect(read == expected, "\(datasetID), pages of \(limit)")
                }
            }
            let datasets = try await store.datasets(ids: ["ds-health", "ds-census", "ds-none"])
            #expect(Set(datasets.map(\.id)) == ["ds-census", "ds-health"])
            #expect(try await store.datasets(ids: []).isEmpty)
        }
    }
}
