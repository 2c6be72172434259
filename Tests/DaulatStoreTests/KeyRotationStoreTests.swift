import DaulatControlPlane
import DaulatCore
import DaulatExampleConfig
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

/// A rotation's store side, the same on PostgreSQL and SQLite: keys move to the new version, the old
/// versions are retired only once nothing names them, and after that no new object may name them.
@Suite("Store contract: key rotation")
struct KeyRotationStoreTests {
    static let actor = "system:test"

    static func key(version: Int) -> ObjectKey {
        ObjectKey(
            custodianID: "id-custodian-1", keyID: "dk-test", shareIndex: 0, threshold: 1,
            recipientKeyID: "id-custodian-1/ds-census/v\(version)",
            encapsulatedKey: Data([4] + [UInt8](repeating: UInt8(version), count: 64)).base64EncodedString(),
            ciphertext: Data(repeating: 9, count: 48).base64EncodedString())
    }

    static func object(_ id: String) -> StoredObject {
        StoredObject(
            id: id, datasetID: "ds-census", sha256: String(repeating: "ab", count: 32), sizeBytes: 10,
            createdAt: CanonicalJSON.rounded(Date()))
    }

    /// The code of the store's refusal, or nil when `body` succeeds.
    static func refusal(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch StoreError.refused(let code, _) {
            return code
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "retired only when no key names an older version; then new keys to it are refused",
        arguments: StoreKind.allCases)
    func retirement(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(
                to: store, from: try AllianceDefinitionFile.load(ExampleConfig.allianceFile), actor: Self.actor)
            let now = CanonicalJSON.rounded(Date())
            let dataset = try await store.createUnplacedDataset(
                id: "ds-census", name: "census", policy: ResidencyPolicy(), at: now, actor: Self.actor)
            try await store.addObject(Self.object("obj-1"), keys: [Self.key(version: 1)], actor: Self.actor)

            func retire(below version: Int) async -> String? {
                await Self.refusal {
                    try await store.retireKeyVersions(
                        custodianID: "id-custodian-1", datasetID: dataset.id, below: version, at: now)
                }
            }
            #expect(await retire(below: 2) == "key_versions_in_use", "obj-1 still names v1")
            let held = try await store.heldKeys(
                custodianID: "id-custodian-1", datasetID: dataset.id, after: nil, limit: 10)
            #expect(held.map(\.objectID) == ["obj-1"])
            // Only the custodian's own key of an object of this dataset can be replaced.
            var foreign = held[0]
            foreign.key.custodianID = "sg-custodian-1"
            await #expect(throws: StoreError.self) {
                try await store.replaceHeldKeys(
                    [foreign], custodianID: "sg-custodian-1", datasetID: dataset.id, at: now)
            }
            try await store.replaceHeldKeys(
                [HeldKey(objectID: "obj-1", key: Self.key(version: 2))], custodianID: "id-custodian-1",
                datasetID: dataset.id, at: now)
            #expect(try await store.objectKeys(objectID: "obj-1") == [Self.key(version: 2)])
            #expect(await retire(below: 3) == "key_versions_in_use", "no key is wrapped to v3 yet")
            #expect(await retire(below: 2) == nil)
            #expect(await retire(below: 1) == nil, "accepted, and changes nothing: a floor never goes down")

            let retired = await Self.refusal {
                try await store.addObject(Self.object("obj-2"), keys: [Self.key(version: 1)], actor: Self.actor)
            }
            #expect(retired == "key_version_retired")
            #expect(try await store.object(id: "obj-2") == nil)
            try await store.addObject(Self.object("obj-3"), keys: [Self.key(version: 2)], actor: Self.actor)
            let actions = try await store.auditEntries(after: 0, limit: 1000).map(\.action)
            #expect(actions.contains("object.keys_rewrapped") && actions.contains("custodian.key_versions_retired"))
        }
    }
}
