import DaulatAgent
import DaulatCore
import DaulatTestSupport
import Foundation
import HTTPTypes
import Testing

extension Attacks {
    /// Bad input to the token and agent endpoints is refused with a 4xx, never a 500.
    @Suite("Attack: bad input to the token and copy-evidence endpoints")
    struct BadInputAttackTests {
        @Test("ids with a NUL, odd bodies: 4xx, never 5xx", arguments: StoreKind.allCases)
        func noServerErrors(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                var statuses: [String: Int] = [:]
                for (method, path, json) in [
                    (HTTPRequest.Method.delete, "/v1/tokens/tok%00x", nil as String?),
                    (.post, "/v1/tokens/tok%00x/rotate", "{}"),
                    (.post, "/v1/tokens/tok%00x/rotate", #"{"graceSeconds":9223372036854775807}"#),
                    (.post, "/v1/tokens/tok%00x/rotate", #"{"expiresInSeconds":9223372036854775807}"#),
                    (.post, "/v1/tokens", #"{"name":"a","role":"owner","agency":"x\u0000y"}"#),
                    (.post, "/v1/tokens", #"{"name":"a","role":"regulator","jurisdiction":"I\u0000"}"#),
                    (.post, "/v1/tokens", #"{"name":"a","role":"owner","agency":"bps","expiresInSeconds":1e300}"#),
                ] {
                    let reply = try await api.admin(method, path, json: json)
                    statuses["\(method) \(path) \(json ?? "")"] = reply.status
                }
                let agent = try await FalseCopyClaimAttackTests.enrol("id-jkt-1-a", scene: scene)
                defer { Task { await agent.connection.shutdown() } }
                statuses["refusal with a NUL"] = try await Self.status {
                    try await agent.connection.refuse(.init(objectID: "obj-\u{0}", reason: "x\u{0}y"))
                }
                statuses["served with junk"] = try await Self.status {
                    try await agent.connection.served(.init(ticket: "\u{0}"))
                }
                statuses["copy with junk"] = try await Self.status {
                    try await agent.connection.report(.init(objectID: "\u{0}", ticket: "a.b.c"))
                }
                let serverErrors = statuses.filter { $0.value >= 500 }
                #expect(serverErrors.isEmpty, "server errors: \(serverErrors)")
            }
        }

        static func status(_ call: () async throws -> Void) async throws -> Int {
            do {
                try await call()
                return 204
            } catch let error as AgentError {
                return error.status ?? 0
            }
        }
    }
}
