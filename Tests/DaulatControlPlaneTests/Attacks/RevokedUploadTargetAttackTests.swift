import Crypto
import DaulatAgent
import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// One agent host, caught and revoked by the operator, does not try to fetch anything: it simply
    /// keeps its object server running and waits for data owners to be sent to it. The control plane
    /// picks upload targets among agents whose last heartbeat is recent, and revoking a host does not
    /// touch its heartbeat: for the next half minute new objects are sent to the revoked host.
    @Suite("Attack: a revoked host waits for new uploads")
    struct RevokedUploadTargetAttackTests {
        @Test("right after a host is revoked, no owner is sent to upload a new object to it")
        func revokedUploadTarget() async throws {
            try await AttackScene.run(.sqlite) { scene in
                let api = scene.api
                let census = try await scene.indonesianCensus()
                let owner = census.owner
                let revoked = try #require(census.placed.first)
                // The attacker's host: a real agent, left running after the revocation (as a compromised
                // host would be; nothing stops its object server).
                try await scene.startAgent(revoked)

                let revocation = try await api.admin(.post, "/v1/hosts/\(revoked)/revoke")
                #expect(revocation.status == 200)

                // What the revoked host's object server receives, as the attacker's own code there would
                // keep it (the honest agent deletes an upload it cannot report; a compromised one need not):
                // its own certificate and key, in front of its agent.
                let credentials = try #require(try AgentCredentials.load(from: scene.agentDirectory(revoked)))
                let heartbeat = try #require(try await api.store.heartbeats().first { $0.hostID == revoked })
                let dataURL = try #require(heartbeat.dataURL)
                let agentPort = try #require(URLComponents(string: dataURL)?.port)
                let server = try TLSInterceptor(
                    targetPort: agentPort,
                    presenting: (credentials.certificatePEM, credentials.privateKey.pemRepresentation))
                try await server.open()

                // A data owner stores a new object within seconds of the revocation.
                let bytes = (0..<40_000).map { _ in UInt8.random(in: 0...255) }
                let registered = try await scene.registerObject(
                    dataset: census.id, sha256: Hex.encode(SHA256.hash(data: bytes)), size: bytes.count, token: owner)
                if registered.status == 201 {
                    var transfer = try registered.decode(AttackScene.Transfer.self)
                    let sentTo = transfer.host
                    if sentTo == revoked {
                        transfer.url = "https://127.0.0.1:\(await server.port)/objects/\(transfer.object.id)"
                    }
                    let upload = try await scene.upload(bytes, with: transfer)
                    let seen = await server.seen
                    await server.close()
                    #expect(
                        sentTo != revoked && !seen.contains(transfer.ticket),
                        "the control plane sent the owner to upload a new object to host '\(revoked)', revoked a moment before, and its server received the upload ticket and the ciphertext (upload answered HTTP \(upload.status))"
                    )
                } else {
                    await server.close()
                    #expect(
                        registered.errorCode == "no_agent_available",
                        "\(registered.status) \(registered.errorCode ?? "")")
                }
            }
        }
    }
}
