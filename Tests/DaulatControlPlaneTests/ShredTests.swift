import Crypto
import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

/// Crypto-shredding through the API: a shred waits out its window and can be cancelled meanwhile;
/// once executed the control plane holds no wrapped key of the dataset, refuses reads, unwraps, new
/// objects and changes, and gives each custodian that held a key an order to destroy it.
@Suite("Custody: crypto-shredding")
struct ShredTests {
    static let objectID = "obj-0123456789abcdef0123"

    @Test(
        "pending, cancelled, executed: keys dropped, everything refused, custodians told", arguments: StoreKind.allCases
    )
    func lifecycle(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let dataset = try await api.register("census").dataset.id
            try await api.addObject(Self.objectID, of: dataset)
            let path = "/v1/datasets/\(dataset)/shred"
            let unwrapBody = try api.unwrapBody(dataset, object: Self.objectID)
            let unwrapPath = "/v1/datasets/\(dataset)/objects/\(Self.objectID)/unwrap"

            // Windows shorter than the server's, or a year, bodies of the wrong shape, a regulator and
            // another agency change nothing.
            let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
            let otherAgency = try await api.issueToken(role: "owner", agency: "dukcapil")
            let before = try await api.stateFingerprint()
            for (body, status, code) in [
                (#"{"windowSeconds":60}"#, 400, "invalid_field"),
                (#"{"windowSeconds":31536000}"#, 400, "invalid_field"),
                (#"{"windowSeconds":"soon"}"#, 400, "invalid_field"),
                (#"{"window":86400}"#, 400, "unknown_field"),
            ] {
                let reply = try await api.admin(.post, path, json: body)
                #expect(reply.status == status && reply.errorCode == code, "\(body): \(reply.errorMessage ?? "")")
            }
            #expect(try await api.send(.post, path, token: regulator, json: "{}").status == 403)
            #expect(try await api.send(.post, path, token: otherAgency, json: "{}").status == 404)
            #expect(try await api.stateFingerprint() == before)
            #expect(try await api.admin(.delete, path).status == 404, "nothing pending to cancel")

            // Pending: cancellable, and the data stays readable meanwhile.
            let first = try await api.admin(.post, path, json: "{}")
            #expect(first.status == 201, "\(first.errorMessage ?? "")")
            #expect(try await api.admin(.post, path, json: "{}").status == 409, "one at a time")
            #expect(try await api.admin(.delete, "/v1/datasets/\(dataset)").status == 409, "no plain delete meanwhile")
            let newKey = CustodyInputTests.key(recipient: "id-custodian-1/\(dataset)/v1")
            let newObject = CustodyInputTests.object([newKey]).replacingOccurrences(
                of: "obj-0123456789abcdef0123", with: "obj-00000000000000000009")
            #expect(
                try await api.admin(.post, "/v1/datasets/\(dataset)/objects", json: newObject).errorCode
                    == "dataset_shred_pending")
            let rotate = "/v1/custodians/id-custodian-1/rotate"
            #expect(
                try await api.admin(.post, rotate, json: #"{"datasetID":"\#(dataset)"}"#).errorCode
                    == "dataset_shred_pending")
            #expect(try await api.admin(.post, unwrapPath, json: unwrapBody).status == 200)
            let cancelled = try await api.admin(.delete, path)
            #expect(cancelled.status == 200 && cancelled.json["cancelledAt"] is String)

            // The custodian is enrolled, so it is told to destroy its key (and waited for).
            try await api.store.addCertificate(
                EnrolledCertificate(
                    serial: "c-1", subject: .custodian("id-custodian-1"), issuedAt: Date(),
                    notAfter: Date().addingTimeInterval(3_600)), actor: "test")
            let second = try await api.admin(.post, path, json: #"{"windowSeconds":90000}"#)
            #expect(second.status == 201)
            let shredID = try #require(second.json["id"] as? String)
            let executed = try await api.store.executeShred(id: shredID, at: Date(), actor: "test")
            #expect(executed?.state == .executing)
            #expect(try await api.store.executeShred(id: shredID, at: Date(), actor: "test") == nil, "once only")

            #expect(try await api.store.objectKeys(objectID: Self.objectID).isEmpty, "no wrapped key is kept")
            let tasks = try await api.store.custodyTasks(custodianID: "id-custodian-1", openOnly: true)
            #expect(tasks.map(\.kind) == [.destroy] && tasks.first?.datasetID == dataset)
            let refused = try await api.admin(.post, unwrapPath, json: unwrapBody)
            #expect(refused.status == 410 && refused.errorCode == "dataset_shredded")
            #expect(try await api.admin(.get, "/v1/datasets/\(dataset)/custody").errorCode == "dataset_shredded")
            #expect(
                try await api.admin(.post, "/v1/datasets/\(dataset)/objects/\(Self.objectID)/download").errorCode
                    == "dataset_shredded")
            #expect(try await api.admin(.delete, path).status == 409, "too late to cancel")
            #expect(
                try await api.admin(.put, "/v1/datasets/\(dataset)/policy", json: #"{"replicas":2}"#).status == 409)
            #expect(try await api.store.placement(datasetID: dataset) == nil, "placed nowhere")
            #expect(
                try await api.admin(.post, "/v1/datasets/\(dataset)/objects", json: newObject).errorCode
                    == "dataset_shredded")

            // Not complete while the custodian has not destroyed its key.
            #expect(try await api.store.completeShred(id: shredID, at: Date(), actor: "test") == false)
            // A custodian revoked before it could destroy its key is not waited for: its task is abandoned.
            #expect(try await api.admin(.post, "/v1/custodians/id-custodian-1/revoke").status == 200)
            let abandoned = try await api.store.custodyTasks(custodianID: "id-custodian-1", openOnly: false)
            #expect(abandoned.map(\.outcome) == ["abandoned: the custodian was revoked"])
            // Completed here, or a moment ago by the control plane's own shred step, which runs every second.
            _ = try await api.store.completeShred(id: shredID, at: Date(), actor: "test")
            #expect(try await api.store.shreds(datasetID: dataset).first?.state == .completed)
            #expect(try await api.admin(.get, "/v1/datasets/\(dataset)").status == 404)
            let actions = try await api.store.auditEntries(after: 0, limit: 1000).map(\.action)
            for action in [
                "dataset.shred_requested", "dataset.shred_cancelled", "dataset.shredded", "custodian.revoked",
                "dataset.shred_completed",
            ] {
                #expect(actions.contains(action), "\(action) is audited")
            }
        }
    }
}
