import DaulatControlPlane
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

@Suite("Database outage")
struct DatabaseOutageTests {
    @Test("while PostgreSQL is unreachable /readyz and writes answer 503, and the server recovers by itself")
    func outageAndRecovery() async throws {
        try await TestDatabase.withPostgresDatabase { url in
            let direct = try #require(URLComponents(string: url))
            let proxy = TCPProxy(targetHost: direct.host!, targetPort: direct.port!)
            try await proxy.open()
            var proxied = direct
            proxied.port = await proxy.port
            try await TestDatabase.withRunning(try PostgresBackend(url: proxied.string!, logger: TestDatabase.logger)) { backend in
                try await MigrationRunner(backend: backend).apply()
                try await APIHarness.run(store: SQLDaulatStore(backend: backend)) { api in
                    #expect(try await api.send(.get, "/readyz").status == 200)
                    try await api.register("before-outage")

                    await proxy.close()
                    let ready = try await api.send(.get, "/readyz")
                    #expect(ready.status == 503)
                    #expect(ready.errorCode == "database_unavailable")
                    let write = try await api.admin(
                        .post, "/v1/datasets",
                        json: #"{"name":"during-outage","classification":"public","home":"ID","ownerAgency":"bps"}"#
                    )
                    #expect(write.status == 503)
                    #expect(write.errorCode == "database_unavailable")
                    #expect(try await api.send(.get, "/healthz").status == 200, "the process itself stays alive")

                    try await proxy.open()
                    #expect(try await api.eventually(within: 30) { try await api.send(.get, "/readyz").status == 200 })
                    try await api.register("after-outage")
                    let names = try await api.admin(.get, "/v1/datasets").decode(DatasetList.self).datasets.map(\.name)
                    #expect(names == ["before-outage", "after-outage"])
                }
            }
            await proxy.close()
        }
    }
}
