import Crypto
import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

/// The data-embassy rule through the API: an Estonian dataset kept at its embassy in Luxembourg has
/// its keys opened there only while an operator's disaster-recovery activation is in force, only for
/// disaster recovery, and the declaration, its end and every unwrap are audited.
@Suite("Custody: disaster-recovery activation at a data embassy")
struct DisasterRecoveryTests {
    static let objectID = "obj-0123456789abcdef0123"

    @Test(
        "unwraps at the embassy are refused until declared, allowed for recovery only while in force",
        arguments: StoreKind.allCases)
    func activation(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let dataset = try await api.register(
                "population", home: "EE", classification: "secret", policy: #"{"dataEmbassyAllowed":true}"#
            ).dataset.id
            try await api.addObject(Self.objectID, of: dataset, custodian: "ee-custodian-1")
            let path = "/v1/datasets/\(dataset)/disaster-recovery"
            func unwrap(in jurisdiction: String, for justification: String) async throws -> APIHarness.Reply {
                try await api.admin(
                    .post, "/v1/datasets/\(dataset)/objects/\(Self.objectID)/unwrap",
                    json: try api.unwrapBody(
                        dataset, object: Self.objectID, in: jurisdiction,
                        for: try #require(Justification(rawValue: justification)), home: "EE"))
            }
            func actions() async throws -> [String] {
                try await api.store.auditEntries(after: 0, limit: 1000).map(\.action)
            }

            #expect(try await unwrap(in: "LU", for: "disaster-recovery").errorCode == "disaster_recovery_not_declared")

            // Declarations that cannot stand change nothing.
            let owner = try await api.issueToken(role: "owner", agency: "bps")
            let before = try await api.stateFingerprint()
            let soon = CanonicalJSON.format(Date().addingTimeInterval(3_600))
            for (token, body, status, code) in [
                (owner, #"{"reason":"fire","until":"\#(soon)"}"#, 403, "forbidden"),
                (api.adminToken, #"{"reason":"  ","until":"\#(soon)"}"#, 422, "invalid_declaration"),
                (
                    api.adminToken, #"{"reason":"\#(String(repeating: "r", count: 201))","until":"\#(soon)"}"#, 422,
                    "invalid_declaration"
                ),
                (
                    api.adminToken,
                    #"{"reason":"fire","until":"\#(CanonicalJSON.format(Date().addingTimeInterval(-60)))"}"#, 422,
                    "invalid_declaration"
                ),
                (
                    api.adminToken,
                    #"{"reason":"fire","until":"\#(CanonicalJSON.format(Date().addingTimeInterval(31 * 86_400)))"}"#,
                    422, "invalid_declaration"
                ),
                (api.adminToken, #"{"reason":"fire","until":"\#(soon)","by":"me"}"#, 400, "unknown_field"),
                (api.adminToken, #"{"reason":"fire","until":"tomorrow"}"#, 400, "invalid_field"),
                (api.adminToken, #"{"reason":"fire"}"#, 400, "invalid_field"),
            ] {
                let reply = try await api.send(.post, path, token: token, json: body)
                #expect(
                    reply.status == status && reply.errorCode == code,
                    "\(body): \(String(decoding: reply.body, as: UTF8.self))")
            }
            let unknown = try await api.admin(
                .post, "/v1/datasets/ds-nope/disaster-recovery", json: #"{"reason":"fire","until":"\#(soon)"}"#)
            #expect(unknown.status == 404)
            #expect(try await api.stateFingerprint() == before)
            #expect(try await api.admin(.delete, path).status == 404, "nothing in force to end")

            let declared = try await api.admin(
                .post, path, json: #"{"reason":"Tallinn data centres flooded","until":"\#(soon)"}"#)
            #expect(declared.status == 201, "\(String(decoding: declared.body, as: UTF8.self))")
            let again = try await api.admin(.post, path, json: #"{"reason":"again","until":"\#(soon)"}"#)
            #expect(again.status == 409 && again.errorCode == "conflict")
            #expect(try await api.admin(.get, path).json["inForce"] as? Bool == true)

            // At the embassy for recovery, nothing else; elsewhere abroad still not at all.
            #expect(try await unwrap(in: "LU", for: "owner-access").errorCode == "processing_not_allowed")
            #expect(try await unwrap(in: "FI", for: "disaster-recovery").errorCode == "processing_not_allowed")
            let allowed = try await unwrap(in: "LU", for: "disaster-recovery")
            #expect(allowed.status == 200, "\(String(decoding: allowed.body, as: UTF8.self))")
            #expect(allowed.json["decision"] is String)

            let ended = try await api.admin(.delete, path)
            #expect(ended.status == 200 && ended.json["endedAt"] is String)
            #expect(try await unwrap(in: "LU", for: "disaster-recovery").errorCode == "disaster_recovery_not_declared")
            #expect(try await api.admin(.get, path).json["inForce"] as? Bool == false)

            let audited = try await actions()
            #expect(audited.filter { $0 == "dataset.disaster_recovery_declared" }.count == 1)
            #expect(audited.filter { $0 == "dataset.disaster_recovery_ended" }.count == 1)
            #expect(audited.filter { $0 == "key.unwrap_allowed" }.count == 1)
            #expect(audited.filter { $0 == "key.unwrap_refused" }.count == 4)
        }
    }
}
