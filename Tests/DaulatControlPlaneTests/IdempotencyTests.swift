import DaulatControlPlane
import DaulatTestSupport
import Foundation
import Testing

@Suite("Idempotent registration")
struct IdempotencyTests {
    @Test("a retried registration returns the first dataset; a different body under the same key is refused", arguments: StoreKind.allCases)
    func idempotencyKey(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let body = #"{"name":"census-2025","classification":"restricted","home":"ID","ownerAgency":"bps"}"#
            let first = try await api.admin(.post, "/v1/datasets", json: body, headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == 201)
            let again = try await api.admin(.post, "/v1/datasets", json: body, headers: ["Idempotency-Key": "k-1"])
            #expect(again.status == 200)
            #expect(try again.decode(DatasetView.self).dataset == first.decode(DatasetView.self).dataset)

            let before = try await api.stateFingerprint()
            let changed = try await api.admin(
                .post, "/v1/datasets", json: body.replacingOccurrences(of: "restricted", with: "public"),
                headers: ["Idempotency-Key": "k-1"]
            )
            #expect(changed.status == 422)
            #expect(changed.errorCode == "idempotency_key_reused")
            #expect(try await api.stateFingerprint() == before)

            // Without a key, the same body is a new request and meets the name's uniqueness.
            #expect(try await api.admin(.post, "/v1/datasets", json: body).errorCode == "conflict")
            #expect(try await api.send(.get, "/v1/datasets", token: api.adminToken).decode(DatasetList.self).datasets.count == 1)
        }
    }

    @Test("concurrent retries with one key create one dataset")
    func concurrentRetries() async throws {
        try await APIHarness.run(.postgresql) { api in
            let body = #"{"name":"census-2025","classification":"restricted","home":"ID","ownerAgency":"bps"}"#
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await api.admin(.post, "/v1/datasets", json: body, headers: ["Idempotency-Key": "same"]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.allSatisfy { [200, 201].contains($0) }, "\(statuses)")
            #expect(try await api.store.datasets(.init()).datasets.count == 1)
        }
    }
}
