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
                let agent = try await DaulatProcess.run(
                    [
                        "agent", "--server", through, "--agent-server", "https://127.0.0.1:1", "--join-token", token,
                        "--data-dir", agentDirectory.path,
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
