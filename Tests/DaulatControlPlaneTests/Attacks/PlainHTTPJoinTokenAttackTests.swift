import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Synchronization
import Testing

extension Attacks {
    /// The network between data centres, where an agent was pointed at the API over plain HTTP (a
    /// `--server http://…` URL, as with `--insecure-http` behind a proxy or the Helm chart's
    /// `tls.insecureHTTP`). The join token pins the authority, and the promise is that its secret goes
    /// only over a connection that authority vouches for. The attacker answers in the control plane's
    /// place and relays the real, public authority from `GET /v1/ca`: the fingerprint matches.
    @Suite("Attack: a join token's secret over plain HTTP")
    struct PlainHTTPJoinTokenAttackTests {
        @Test("an agent with a pinned join token sends no secret over plain HTTP, so no one else enrols as its host")
        func plainHTTPSecret() async throws {
            try await AttackScene.run(.sqlite) { scene in
                let api = scene.api
                let issued = try await api.admin(
                    .post, "/v1/join-tokens", json: #"{"host":"id-jkt-1-a","ttlSeconds":600}"#)
                let token = try #require(issued.json["token"] as? String)
                let parsed = try #require(JoinTokenText(token))
                let authority = try await api.send(.get, "/v1/ca")
                #expect(authority.status == 200)

                let stolen = Mutex<[String]>([])
                let router = Self.relaying(authority)
                router.post("v1/agents/enrol") { request, _ in
                    let body = try await request.body.collect(upTo: 1 << 20)
                    let enrolment = try CanonicalJSON.decoder().decode(
                        AgentMessages.Enrolment.self, from: Data(buffer: body))
                    stolen.withLock { $0.append(enrolment.joinToken) }
                    return Response(status: .serviceUnavailable)
                }
                try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    .test(.live) { client in
                        // Another machine on the path. The test can only listen on this one, so it is dialled
                        // as 127.1, which reaches 127.0.0.1 but is not how this machine's loopback is named:
                        // to the agent, another address.
                        let onPath = "http://127.1:\(try #require(client.port))"
                        // The agent, as `daulat agent --server http://… --join-token …` enrols.
                        let refusal = await #expect(throws: AgentError.self) {
                            _ = try await AgentEnrolment.enrol(serverURL: onPath, joinToken: token)
                        }
                        #expect(refusal?.code == "plain_http_refused", "\(String(describing: refusal))")
                        // The control: told plain HTTP is fine (--insecure-http), it does reach the server on
                        // the path, so the refusal above is what kept the secret.
                        let control = EnrolmentTransport(plainHTTP: true)
                        _ = try? await AgentEnrolment.enrol(
                            serverURL: onPath,
                            joinToken: "djt_" + String(repeating: "A", count: 43) + "." + parsed.authority.hex,
                            transport: control)
                        #expect(stolen.withLock { $0 } == ["djt_" + String(repeating: "A", count: 43)])
                        stolen.withLock { $0.removeAll { $0 != parsed.secret } }
                    }
                let secrets = stolen.withLock { $0 }
                #expect(
                    !secrets.contains(parsed.secret),
                    "the agent sent its join token's secret over plain HTTP to a server that merely relayed the public CA certificate"
                )
                // What the attacker does with it: enrols first, as the host, with a key of its own.
                if let secret = secrets.first {
                    let hijacked = try? await AgentEnrolment.enrol(
                        serverURL: scene.serverURL,
                        joinToken: JoinTokenText(secret: secret, authority: parsed.authority).description)
                    #expect(
                        hijacked?.identity?.uri == nil,
                        "the attacker enrolled as \(hijacked?.identity?.uri ?? "?") with the secret read off plain HTTP"
                    )
                }
            }
        }

        @Test("the CLI, pinned by file or by fingerprint, sends no bearer token over plain HTTP")
        func plainHTTPBearer() async throws {
            try await AttackScene.run(.sqlite) { scene in
                let authority = try await scene.api.send(.get, "/v1/ca")
                let presented = try authority.decode(AuthorityCertificate.self)
                let pinFile = scene.directory.appendingPathComponent("ca.pem")
                try Data(presented.certificate.utf8).write(to: pinFile)
                let bearers = Mutex<[String]>([])
                let router = Self.relaying(authority)
                router.get("v1/datasets") { request, _ in
                    bearers.withLock { $0.append(request.headers[.authorization] ?? "") }
                    return Response(
                        status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: #"{"datasets":[]}"#)))
                }
                let secret = scene.api.adminToken
                try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    .test(.live) { client in
                        let onPath = "http://127.0.0.1:\(try #require(client.port))"
                        for pin in [
                            ["DAULAT_CA_CERT": pinFile.path],
                            ["DAULAT_CA_CERT": "", "DAULAT_CA_FINGERPRINT": presented.fingerprint],
                        ] {
                            let listed = try await DaulatProcess.run(
                                ["dataset", "list"],
                                environment: ["DAULAT_ADDR": onPath, "DAULAT_TOKEN": secret].merging(pin) { $1 },
                                timeout: 30)
                            let leaked = bearers.withLock { $0 }.contains { $0.contains(secret) }
                            #expect(
                                !leaked,
                                "the CLI pinned with \(pin) sent its bearer token over plain HTTP (exit \(listed.status): \(listed.output.prefix(300)))"
                            )
                            bearers.withLock { $0 = [] }
                        }
                    }
            }
        }

        /// A server on the path that answers `GET /v1/ca` with the real, public authority it relays.
        static func relaying(_ authority: APIHarness.Reply) -> Router<BasicRequestContext> {
            let router = Router()
            router.get("v1/ca") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(data: authority.body)))
            }
            return router
        }

        @Test("a join token without the fingerprint, or with a short or non-hex one, is refused before any contact")
        func malformedTokens() async throws {
            let requests = Mutex<Int>(0)
            let router = Router()
            router.get("v1/ca") { _, _ -> Response in
                requests.withLock { $0 += 1 }
                return Response(status: .notFound)
            }
            router.post("v1/agents/enrol") { _, _ -> Response in
                requests.withLock { $0 += 1 }
                return Response(status: .notFound)
            }
            let secret = TokenSecret.generate(prefix: TokenSecret.joinPrefix)
            let hex = String(repeating: "ab", count: 32)
            let tokens = [
                secret, secret + ".", secret + "." + String(hex.dropLast()), secret + "." + hex + "0",
                secret + "." + String(hex.dropLast()) + "g", secret + "." + hex + "." + hex,
                "." + hex, "djt." + hex, secret + ".\u{0}" + String(hex.dropFirst()), "",
                secret + "." + hex.replacingOccurrences(of: "a", with: "\u{0}"),
            ]
            try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                .test(.live) { client in
                    let server = "http://127.0.0.1:\(try #require(client.port))"
                    for token in tokens {
                        let error = await #expect(throws: AgentError.self) {
                            _ = try await AgentEnrolment.enrol(serverURL: server, joinToken: token)
                        }
                        #expect(
                            error?.code == "join_token_malformed",
                            "\(token.debugDescription): \(String(describing: error))")
                    }
                }
            #expect(requests.withLock { $0 } == 0, "a malformed join token still reached the server")
        }
    }
}
