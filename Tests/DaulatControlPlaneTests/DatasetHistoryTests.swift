import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

/// Where a dataset was at a given time, answered from the audit log through the API.
@Suite("Regulators: where a dataset was at a given time")
struct DatasetHistoryTests {
    @Test("copies appear when recorded and go when released, as of the time asked", arguments: StoreKind.allCases)
    func history(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let dataset = try await api.register("census").dataset.id
            try await api.addObject("obj-0123456789abcdef0123", of: dataset)
            let object = try #require(try await api.store.object(id: "obj-0123456789abcdef0123"))
            let now = CanonicalJSON.rounded(Date())
            for (host, at) in [("id-jkt-1-a", 60.0), ("sg-sin-1-a", 90.0)] {
                try await api.store.recordUploadedCopy(
                    objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes, hostID: host,
                    at: now.addingTimeInterval(at), actor: "test")
            }
            try await api.store.releaseCopy(
                objectID: object.id, hostID: "sg-sin-1-a", at: now.addingTimeInterval(120), actor: "test")

            func location(_ offset: TimeInterval) async throws -> DatasetLocation {
                let at = CanonicalJSON.format(now.addingTimeInterval(offset))
                let reply = try await api.admin(.get, "/v1/datasets/\(dataset)/history?at=\(at)")
                #expect(reply.status == 200, "\(reply.errorMessage ?? "")")
                return try reply.decode(DatasetLocation.self)
            }
            #expect(try await location(-3_600).existed == false)
            let registered = try await location(30)
            #expect(registered.existed && registered.copies.isEmpty)
            #expect(try await location(100).copies.map(\.hostID) == ["id-jkt-1-a", "sg-sin-1-a"])
            let later = try await location(150)
            #expect(later.copies.map(\.hostID) == ["id-jkt-1-a"])
            #expect(later.copies.first?.since == now.addingTimeInterval(60))

            #expect(
                try await api.admin(.get, "/v1/datasets/\(dataset)/history?at=yesterday").errorCode
                    == "invalid_parameter")
            let other = try await api.issueToken(role: "owner", agency: "dukcapil")
            #expect(try await api.send(.get, "/v1/datasets/\(dataset)/history", token: other).status == 404)
        }
    }
}
