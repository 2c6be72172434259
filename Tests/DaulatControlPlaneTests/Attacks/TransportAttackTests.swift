import AsyncHTTPClient
import Crypto
import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatExampleConfig
import DaulatPKI
import DaulatTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import NIOSSL
import Synchronization
import Testing

extension Attacks {
    /// The network between data centres: someone in the middle who presents their own certificate
    /// authority, or who answers in the control plane's place.
    @Suite("Attack: a man in the middle of the API")
    struct TransportAttackTests {
        @Test("an interceptor with its own CA gets no join token, no bearer token and no enrolment")
        func interceptor() async throws {
            try await ServerProcesses.run { servers in
                try servers.writeCAKey(mode: 0o600)
                let (server, port) = try await servers.start()
                defer { server.stop() }
                let admin = try servers.adminToken()
                let direct = [
                    "DAULAT_ADDR": "https://127.0.0.1:\(port)", "DAULAT_TOKEN": admin,
                    "DAULAT_CA_CERT": servers.authorityFile.path,
                ]
                let applied = try await DaulatProcess.run(
                    ["alliance", "apply", "--file", ExampleConfig.allianceFile.path], environment: direct)
                #expect(applied.status == 0, "\(applied.output)")
                let issued = try await DaulatProcess.run(
                    ["host", "join-token", "id-jkt-1-a", "--output", "json"], environment: direct)
                let token = try #require(
                    (try JSONSerialization.jsonObject(with: Data(issued.output.utf8)) as? [String: Any])?["token"]
                        as? String, "\(issued.output)")
                let parsed = try #require(JoinTokenText(token), "the printed join token carries the fingerprint")
                #expect(parsed.authority.matches(pem: try String(contentsOf: servers.authorityFile, encoding: .utf8)))

                let interceptor = try TLSInterceptor(targetPort: port)
                try await interceptor.open()
                let through = "https://127.0.0.1:\(await interceptor.port)"

                // A new agent dialled through the interceptor: the secret never leaves it, nothing is saved.
                let agentDirectory = servers.directory.appendingPathComponent("agent")
                let charter = servers.directory.appendingPathComponent("charter.json")
                try Data((try TestStates.example().charterText + "\n").utf8).write(to: charter)
                let agent = try await DaulatProcess.run(
                    [
                        "agent", "--server", through, "--agent-server", "https://127.0.0.1:1", "--join-token", token,
                        "--data-dir", agentDirectory.path, "--charter", charter.path,
                    ], timeout: 30)
                #expect(agent.status != 0, "\(agent.output)")
                #expect(agent.output.contains("CERTIFICATE_VERIFY_FAILED"), "\(agent.output)")
                #expect(try AgentCredentials.load(from: agentDirectory) == nil)

                // The CLI, pinned by file and by fingerprint: refuses before sending its bearer token.
                for pin in [
                    ["DAULAT_CA_CERT": servers.authorityFile.path],
                    ["DAULAT_CA_CERT": "", "DAULAT_CA_FINGERPRINT": parsed.authority.description],
                ] {
                    let listed = try await DaulatProcess.run(
                        ["dataset", "list"],
                        environment: ["DAULAT_ADDR": through, "DAULAT_TOKEN": admin].merging(pin) { $1 })
                    #expect(
                        listed.status != 0 && listed.output.contains("not from a CA trusted here"), "\(listed.output)")
                }
                let seen = await interceptor.seen
                #expect(!seen.contains(parsed.secret), "the interceptor read the join token")
                #expect(!seen.contains(admin), "the interceptor read the bearer token")

                // The control: a client that trusts the interceptor's authority hands it the token, so
                // the interceptor does see what is sent through it.
                let careless = servers.directory.appendingPathComponent("interceptor-ca.pem")
                try Data(try interceptor.authority.certificatePEM.utf8).write(to: careless)
                let fooled = try await DaulatProcess.run(
                    ["dataset", "list"],
                    environment: ["DAULAT_ADDR": through, "DAULAT_TOKEN": admin, "DAULAT_CA_CERT": careless.path])
                #expect(fooled.status == 0, "\(fooled.output)")
                #expect(await interceptor.seen.contains(admin))
                await interceptor.close()

                // Nothing was used up: the same token enrols the host through the real server.
                let enrolled = try await AgentEnrolment.enrol(serverURL: "https://127.0.0.1:\(port)", joinToken: token)
                #expect(enrolled.identity?.hostID == "id-jkt-1-a")
            }
        }

        @Test("an enrolled host on the path, presenting its own valid certificate, gets no upload meant for another")
        func enrolledImpostor() async throws {
            try await AttackScene.run(.sqlite) { scene in
                let census = try await scene.indonesianCensus()
                let owner = census.owner
                let target = try #require(census.placed.first)
                try await scene.startAgent(target)
                // A host abroad, compromised, sits on the path to the Indonesian agent with its own certificate.
                let rogue = try await FalseCopyClaimAttackTests.enrol("my-kul-1-a", scene: scene)
                defer { Task { await rogue.connection.shutdown() } }
                let bytes = (0..<50_000).map { _ in UInt8.random(in: 0...255) }
                let registered = try await scene.registerObject(
                    dataset: census.id, sha256: Hex.encode(SHA256.hash(data: bytes)), size: bytes.count, token: owner)
                var transfer = try registered.decode(AttackScene.Transfer.self)
                #expect(transfer.host == target)
                let agentPort = try #require(URLComponents(string: transfer.url)?.port)
                let interceptor = try TLSInterceptor(
                    targetPort: agentPort,
                    presenting: (rogue.credentials.certificatePEM, rogue.credentials.privateKey.pemRepresentation))
                try await interceptor.open()
                transfer.url = "https://127.0.0.1:\(await interceptor.port)/objects/\(transfer.object.id)"

                // The owner's client dials the agent by the name only its certificate carries: refused.
                await #expect(throws: (any Error).self) { _ = try await scene.upload(bytes, with: transfer) }
                #expect(!(await interceptor.seen).contains(transfer.ticket), "the rogue host read the ticket")

                // The control: a client that checks only that the authority issued the certificate (as
                // every client did before) hands the rogue host the ticket and the ciphertext.
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .certificates([
                    try NIOSSLCertificate(bytes: Array(transfer.caCertificate.utf8), format: .pem)
                ])
                tls.certificateVerification = .noHostnameVerification
                let careless = HTTPClient(
                    eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
                var request = HTTPClientRequest(url: transfer.url)
                request.method = .PUT
                request.headers.add(name: "Authorization", value: "Ticket \(transfer.ticket)")
                request.body = .bytes(ByteBuffer(bytes: bytes))
                let response = try await careless.execute(request, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 20)
                try await careless.shutdown()
                #expect(response.status == .created)
                #expect(await interceptor.seen.contains(transfer.ticket))
                await interceptor.close()
            }
        }

        /// A JSON answer, as the control plane would give it.
        static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
            Response(
                status: status, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: try CanonicalJSON.encoder().encode(value))))
        }

        @Test("a server answering in the control plane's place: its CA, or its enrolment reply's, is refused")
        func impostor() async throws {
            let real = try CertificateAuthority.create(trustDomain: "daulat.local")
            let fake = try CertificateAuthority.create(trustDomain: "daulat.local")
            let token = JoinTokenText(
                secret: TokenSecret.generate(prefix: TokenSecret.joinPrefix), authority: try real.fingerprint)
            // Which authority the impostor presents at /v1/ca, and which its enrolment reply names.
            for (presented, replied) in [(fake, fake), (real, fake)] {
                let secretsReceived = Mutex<[String]>([])
                let router = Router()
                router.get("v1/ca") { _, _ in
                    try Self.json(
                        AuthorityCertificate(
                            certificate: try presented.certificatePEM,
                            fingerprint: try presented.fingerprint.description))
                }
                router.post("v1/agents/enrol") { request, _ in
                    let body = try await request.body.collect(upTo: 1 << 20)
                    let enrolment = try CanonicalJSON.decoder().decode(
                        AgentMessages.Enrolment.self, from: Data(buffer: body))
                    secretsReceived.withLock { $0.append(enrolment.joinToken) }
                    return try Self.json(
                        AgentMessages.IssuedCertificate(
                            identity: "spiffe://daulat.local/site/id-jkt-1/host/id-jkt-1-a", siteID: "id-jkt-1",
                            hostID: "id-jkt-1-a", certificate: try replied.certificatePEM,
                            caCertificate: try replied.certificatePEM, notAfter: Date().addingTimeInterval(3_600)),
                        status: .created)
                }
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "daulat-impostor-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: directory) }
                try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    .test(.live) { client in
                        let serverURL = "http://127.0.0.1:\(try #require(client.port))"
                        let error = await #expect(throws: AgentError.self) {
                            _ = try await AgentEnrolment.credentials(
                                in: directory, joinToken: token.description, serverURL: serverURL,
                                path: "/v1/agents/enrol", daemon: "agent", logger: .init(label: "impostor"))
                        }
                        #expect(error?.code == "authority_mismatch", "\(String(describing: error))")
                    }
                #expect(try AgentCredentials.load(from: directory) == nil, "nothing saved")
                let received = secretsReceived.withLock { $0 }
                if presented.certificate == fake.certificate {
                    #expect(received.isEmpty, "the secret went to a server presenting another CA")
                }
            }
        }
    }
}
