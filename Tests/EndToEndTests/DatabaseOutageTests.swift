import AsyncHTTPClient
import DaulatTestSupport
import Foundation
import NIOHTTP1
import Testing

extension EndToEnd {
    /// A `daulat server` whose PostgreSQL goes away and comes back, behind a TCP proxy the test cuts
    /// and restores: it answers 503 meanwhile, never hangs, and recovers by itself.
    @Suite("End to end: a database outage", .serialized)
    struct DatabaseOutageTests {
        @Test("while PostgreSQL is unreachable /readyz and writes answer 503, and the server recovers by itself")
        func outageAndRecovery() async throws {
            try await ServerSetup.run { setup in
                let direct = try #require(URLComponents(string: setup.databaseURL))
                let proxy = TCPProxy(targetHost: try #require(direct.host), targetPort: try #require(direct.port))
                try await proxy.open()
                var proxied = direct
                proxied.port = await proxy.port
                var arguments = setup.arguments
                let url = try #require(arguments.firstIndex(of: "--database-url"))
                arguments[url + 1] = try #require(proxied.string)
                let server = try DaulatProcess(arguments)
                defer { server.stop() }
                let port = try EndToEnd.DurabilityTests.port(
                    in: try await server.waitForOutput(containing: "daulat.port="), after: "daulat.port=")
                let token = try setup.adminToken()
                let client = try setup.httpsClient()
                let seeded = try await DaulatProcess.run(
                    ["alliance", "apply", "--file", EndToEnd.DurabilityTests.exampleAlliancePath],
                    environment: [
                        "DAULAT_ADDR": "https://127.0.0.1:\(port)", "DAULAT_TOKEN": token,
                        "DAULAT_CA_CERT": setup.authorityFile,
                    ])
                #expect(seeded.status == 0, "\(seeded.output)")
                let register = { (name: String) in
                    try await Self.send(
                        .POST, port: port, client: client, "/v1/datasets", token: token,
                        body: #"{"name":"\#(name)","classification":"public","home":"ID","ownerAgency":"bps"}"#)
                }
                #expect(try await Self.send(.GET, port: port, client: client, "/readyz").status == 200)
                #expect(try await register("before-outage").status == 201)

                await proxy.close()
                let ready = try await Self.send(.GET, port: port, client: client, "/readyz")
                #expect(ready.status == 503 && ready.code == "database_unavailable")
                let write = try await register("during-outage")
                #expect(write.status == 503 && write.code == "database_unavailable", "\(write)")
                #expect(
                    try await Self.send(.GET, port: port, client: client, "/healthz").status == 200,
                    "the process stays alive")

                try await proxy.open()
                #expect(
                    try await EndToEnd.eventually(30) {
                        try await Self.send(.GET, port: port, client: client, "/readyz").status == 200
                    })
                #expect(try await register("after-outage").status == 201)
                let listed = try await Self.send(.GET, port: port, client: client, "/v1/datasets", token: token)
                let names = (listed.json["datasets"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(names == ["before-outage", "after-outage"])
                server.stop()
                await proxy.close()
            }
        }

        /// One request with a deadline: a server that stops answering fails the test, it does not hang it.
        /// 40 s: with the whole suite running on two cores, one request here once took longer than 20 s.
        static func send(
            _ method: HTTPMethod, port: Int, client: HTTPClient, _ path: String, token: String? = nil,
            body: String? = nil
        ) async throws -> (status: Int, code: String?, json: [String: Any]) {
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)\(path)")
            request.method = method
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(.init(string: body))
            }
            let response = try await client.execute(request, timeout: .seconds(40))
            let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return (Int(response.status.code), (json["error"] as? [String: Any])?["code"] as? String, json)
        }
    }
}
