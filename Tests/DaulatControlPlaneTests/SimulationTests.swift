import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

/// What-if through the API: suspending the Indonesia–Singapore agreement would move the Indonesian copy
/// held in Singapore; draining Singapore's site would also leave data kept only there nowhere to go. The
/// simulation says so, with the bytes and the time at the rate copies were made, and changes nothing.
@Suite("Operators: what-if simulations")
struct SimulationTests {
    @Test(
        "suspending an agreement or draining a site: copies to move and quarantined, nothing changed",
        arguments: StoreKind.allCases)
    func simulate(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            // Indonesian restricted data in Jakarta and, under the agreement, Singapore; and public data
            // whose own policy keeps it in Singapore only.
            let census = try await api.register("census", policy: #"{"replicas":2}"#).dataset.id
            let trade = try await api.register(
                "trade", classification: "public", policy: #"{"replicas":1,"storage":["SG"]}"#
            ).dataset.id
            let start = Date()
            for (dataset, id, host, offset, size) in [
                (census, "obj-0123456789abcdef0001", "sg-sin-1-a", 0.0, Int64(10)),
                (census, "obj-0123456789abcdef0001", "id-jkt-1-a", 0.0, 10),
                (trade, "obj-0123456789abcdef0002", "sg-sin-1-a", 100.0, 6_000),
            ] {
                if try await api.store.object(id: id) == nil {
                    try await api.addObject(id, of: dataset, sizeBytes: size)
                }
                try await api.store.recordUploadedCopy(
                    objectID: id, sha256: String(repeating: "ab", count: 32), sizeBytes: size, hostID: host,
                    at: start.addingTimeInterval(offset), actor: "test")
            }
            let before = try await api.stateFingerprint()

            let suspended = try await api.admin(.get, "/v1/simulations/suspend-agreement?agreement=id-sg-restricted")
            #expect(suspended.status == 200, "\(suspended.errorMessage ?? "")")
            let result = try suspended.decode(SimulationResult.self)
            #expect(result.datasets.map(\.datasetID) == [census])
            #expect(result.copiesToMove == 1 && result.bytesToMove == 10 && result.copiesQuarantined == 0)
            #expect(result.measuredBytesPerSecond == 60, "6,010 bytes of copies over the 100 s after the first")
            #expect(result.estimatedSeconds == 1)

            let drained = try await api.admin(.get, "/v1/simulations/drain-site?site=sg-sin-1").decode(
                SimulationResult.self)
            #expect(drained.copiesToMove == 1 && drained.copiesQuarantined == 1, "trade has nowhere else to go")
            #expect(drained.bytesToMove == 10)
            #expect(drained.datasets.first { $0.datasetID == trade }?.quarantined == true)
            #expect(try await api.stateFingerprint() == before, "a simulation changes nothing")
            let agreement = try await api.admin(.get, "/v1/agreements/id-sg-restricted")
            #expect(agreement.json["status"] as? String == "in_force")

            #expect(try await api.admin(.get, "/v1/simulations/suspend-agreement?agreement=nope").status == 404)
            #expect(try await api.admin(.get, "/v1/simulations/drain-site").errorCode == "invalid_parameter")
            let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
            #expect(
                try await api.send(.get, "/v1/simulations/drain-site?site=sg-sin-1", token: regulator).status == 403)
        }
    }
}
