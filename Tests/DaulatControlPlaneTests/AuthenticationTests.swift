import DaulatTestSupport
import Foundation
import Testing

@Suite("Authentication")
struct AuthenticationTests {
    @Test(
        "health, readiness and the API's description need no token; metrics need an operator's (or the scraper's)",
        arguments: StoreKind.allCases)
    func operationalEndpoints(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            #expect(try await api.send(.get, "/healthz").status == 200)
            #expect(try await api.send(.get, "/readyz").json["status"] as? String == "ready")
            // Metrics count key unwraps by justification, law-enforcement requests among them.
            #expect(try await api.send(.get, "/metrics").status == 401)
            for role in ["owner", "regulator"] {
                let token = try await api.issueToken(
                    role: role, agency: role == "owner" ? "bps" : nil, jurisdiction: role == "regulator" ? "ID" : nil)
                let refused = try await api.send(.get, "/metrics", token: token)
                #expect(refused.status == 401 && refused.errorCode == "unauthorized", "\(role)")
            }
            let metrics = try await api.send(.get, "/metrics", token: api.adminToken)
            #expect(metrics.status == 200)
            let yaml = try await api.send(.get, "/openapi.yaml")
            #expect(String(decoding: yaml.body, as: UTF8.self).hasPrefix("openapi: 3.1.0"))
            #expect(try await api.send(.get, "/openapi.json").json["openapi"] as? String == "3.1.0")
        }
    }

    @Test("every /v1 endpoint refuses a missing, malformed or unknown token with 401 unauthorized")
    func refusesBadTokens() async throws {
        try await APIHarness.run(.sqlite) { api in
            let before = try await api.stateFingerprint()
            let registration = #"{"name":"x","classification":"public","home":"ID","ownerAgency":"bps"}"#
            for token: String? in [
                nil, "", "dlt_short", "dlt_" + String(repeating: "A", count: 43), api.adminToken + "x",
            ] {
                for (method, path) in [
                    ("GET", "/v1/datasets"), ("POST", "/v1/datasets"), ("GET", "/v1/sites"),
                    ("POST", "/v1/agreements/ee-fi-x-road/acts"),
                ] {
                    let reply = try await api.send(
                        method == "GET" ? .get : .post, path, token: token, json: method == "POST" ? registration : nil
                    )
                    #expect(reply.status == 401, "\(method) \(path) with token \(token ?? "none")")
                    #expect(reply.errorCode == "unauthorized")
                }
            }
            let basic = try await api.send(.get, "/v1/datasets", headers: ["Authorization": "Basic YWRtaW46YWRtaW4="])
            #expect(basic.status == 401)
            #expect(try await api.stateFingerprint() == before)
        }
    }

    @Test("tokens are stored only as hashes")
    func tokensStoredHashed() async throws {
        try await APIHarness.run(.sqlite) { api in
            let secret = try await api.issueToken(role: "owner", agency: "bps")
            let entries = try await api.store.auditEntries(after: 0, limit: 1000)
            #expect(
                !entries.contains { ($0.after ?? "").contains(secret) || ($0.after ?? "").contains(api.adminToken) })
            #expect(try await api.send(.get, "/v1/datasets", token: secret).status == 200)
        }
    }
}
