import AsyncHTTPClient
import DaulatAgent
import DaulatTestSupport
import Foundation
import NIOHTTP1
import Testing

extension Attacks {
    /// A leaked token revoked through one control plane, still used against another of the same
    /// alliance (replicas behind one address share nothing but PostgreSQL).
    @Suite("Attack: a revoked token used on another replica")
    struct TokenReplicaAttackTests {
        @Test("a token revoked through one server is refused by the other within a second")
        func revokedEverywhere() async throws {
            try await ServerProcesses.run { servers in
                try servers.writeCAKey(mode: 0o600)
                let (first, firstPort) = try await servers.start()
                defer { first.stop() }
                let (second, secondPort) = try await servers.start(migrate: false)
                defer { second.stop() }
                let admin = try servers.adminToken()
                let client = try TrustedRoots.load(servers.authorityFile).client()
                let issued = try await Self.send(
                    .POST, port: firstPort, client: client, "/v1/tokens", token: admin,
                    body: #"{"name":"leaky","role":"owner","agency":"bps"}"#)
                #expect(issued.status == 201)
                let secret = try #require(issued.json["secret"] as? String)
                let id = try #require((issued.json["token"] as? [String: Any])?["id"] as? String)
                // Both replicas know it, the second one from its cache.
                #expect(
                    try await Self.send(.GET, port: firstPort, client: client, "/v1/datasets", token: secret).status
                        == 200)
                #expect(
                    try await Self.send(.GET, port: secondPort, client: client, "/v1/datasets", token: secret).status
                        == 200)

                #expect(
                    try await Self.send(.DELETE, port: firstPort, client: client, "/v1/tokens/\(id)", token: admin)
                        .status == 200)
                let revoked = Date()
                #expect(
                    try await Self.send(.GET, port: firstPort, client: client, "/v1/datasets", token: secret).status
                        == 401)
                var refusedAfter: TimeInterval?
                while refusedAfter == nil, Date().timeIntervalSince(revoked) < 5 {
                    if try await Self.send(.GET, port: secondPort, client: client, "/v1/datasets", token: secret).status
                        == 401
                    {
                        refusedAfter = Date().timeIntervalSince(revoked)
                    } else {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                let after = try #require(refusedAfter, "the other replica never refused the revoked token")
                // One second of cache, and the polling's own time on this machine.
                #expect(after <= 1.25, "refused \(after) s after the revocation")
            }
        }

        static func send(
            _ method: HTTPMethod, port: Int, client: HTTPClient, _ path: String, token: String, body: String? = nil
        ) async throws -> (status: Int, json: [String: Any]) {
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)\(path)")
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(.init(string: body))
            }
            let response = try await client.execute(request, timeout: .seconds(10))
            let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            return (
                Int(response.status.code), (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            )
        }
    }
}
