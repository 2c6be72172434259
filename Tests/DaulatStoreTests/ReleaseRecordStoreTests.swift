import DaulatCore
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

/// Custodians' release records, appended together when they arrive together: each caller learns the
/// sequence of the entry that holds its own record, on PostgreSQL and SQLite alike.
@Suite("Store contract: key release records")
struct ReleaseRecordStoreTests {
    @Test(
        "forty releases recorded at once: each answer names the entry holding that very record",
        arguments: StoreKind.allCases)
    func concurrent(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            let sequences = try await withThrowingTaskGroup(of: (String, Int64).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let record = KeyReleaseRecord(
                            custodianID: "id-custodian-1", decisionID: "ud-\(index)",
                            request: UnwrapRequest(
                                datasetID: "ds-census", objectID: "obj-\(index)",
                                jurisdiction: try JurisdictionCode("ID"),
                                justification: .ownerAccess),
                            datasetHome: try JurisdictionCode("ID"), keyID: "dk-\(index)",
                            consentedBy: "ASEAN/GOV/ID-BPS",
                            releasedAt: CanonicalJSON.rounded(Date()), decision: "signed")
                        let sequence = try await store.recordKeyRelease(
                            SignedKeyRelease(record: record, signature: "c2ln", certificate: "pem"), at: Date(),
                            actor: "custodian:id-custodian-1")
                        return ("ud-\(index)", sequence)
                    }
                }
                return try await group.reduce(into: [String: Int64]()) { $0[$1.0] = $1.1 }
            }
            #expect(Set(sequences.values).count == 40)
            let entries = try await store.auditEntries(after: 0, limit: 1000)
            for (decision, sequence) in sequences {
                let entry = try #require(entries.first { $0.sequence == sequence })
                #expect(entry.action == "key.released")
                let release = try CanonicalJSON.decode(SignedKeyRelease.self, from: try #require(entry.after))
                #expect(release.record.decisionID == decision)
            }
        }
    }
}
