import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

/// An ended evacuation's signed receipt through the API: the copy, the host it left, when, against
/// which deadline, backed by the audit entries that recorded it; it verifies with the public key only.
@Suite("Regulators: evacuation receipts")
struct EvacuationReceiptTests {
    @Test("a receipt for an ended evacuation verifies offline; an open one has none", arguments: StoreKind.allCases)
    func receipt(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let dataset = try await api.register("census", policy: #"{"replicas":2}"#).dataset.id
            try await api.addObject("obj-0123456789abcdef0123", of: dataset)
            let object = try #require(try await api.store.object(id: "obj-0123456789abcdef0123"))
            let now = CanonicalJSON.rounded(Date())
            for host in ["id-jkt-1-a", "sg-sin-1-a"] {
                try await api.store.recordUploadedCopy(
                    objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes, hostID: host, at: now,
                    actor: "test")
            }
            // The agreement that let the copy be in Singapore is suspended: the control plane opens its
            // evacuation, and there is no receipt while it is open.
            #expect(try await api.act(.suspend, "id-sg-restricted", by: "ID").status == 200)
            var opened: Evacuation?
            for _ in 0..<100 where opened == nil {
                opened = try await api.store.evacuations(EvacuationQuery(objectID: object.id, openOnly: true)).first
                if opened == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            let evacuation = try #require(opened, "the evacuation is opened")
            #expect(evacuation.hostID == "sg-sin-1-a")
            let open = try await api.admin(.get, "/v1/evacuations/\(evacuation.id)/receipt")
            #expect(open.status == 409 && open.errorCode == "evacuation_open")

            try await api.store.releaseCopy(
                objectID: object.id, hostID: "sg-sin-1-a", at: Date(), actor: "agent:sg-sin-1-a")
            let path = "/v1/evacuations/\(evacuation.id)/receipt"
            let reply = try await api.admin(.get, path)
            #expect(reply.status == 200, "\(reply.errorMessage ?? "")")
            let key = try #require(try await api.admin(.get, "/v1/audit/public-key").json["publicKey"] as? String)
            let receipt = try EvacuationReceiptVerifier.verify(reply.body, publicKey: key).receipt
            #expect(receipt.evacuation.state == .met && receipt.evacuation.hostID == "sg-sin-1-a")
            #expect(
                receipt.citedEntries.map(\.entry.action) == [
                    "evacuation.started", "object.copy_released", "evacuation.ended",
                ])
            var changed = reply.body
            let position = try #require(changed.firstRange(of: Data("sg-sin-1-a".utf8))).lowerBound
            changed[position] = UInt8(ascii: "x")
            #expect(throws: ReportVerificationError.self) {
                try EvacuationReceiptVerifier.verify(changed, publicKey: key)
            }

            // Not an owner's of another agency, nor a regulator's of an unconcerned jurisdiction.
            let other = try await api.issueToken(role: "owner", agency: "dukcapil")
            #expect(try await api.send(.get, path, token: other).status == 404)
            let estonia = try await api.issueToken(role: "regulator", jurisdiction: "EE")
            #expect(try await api.send(.get, path, token: estonia).status == 404)
            let singapore = try await api.issueToken(role: "regulator", jurisdiction: "SG")
            #expect(try await api.send(.get, path, token: singapore).status == 200)
            #expect(try await api.admin(.get, "/v1/evacuations/evac-nope/receipt").status == 404)
        }
    }
}
