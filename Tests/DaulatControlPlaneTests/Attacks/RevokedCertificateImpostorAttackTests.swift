import Crypto
import DaulatAgent
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// One agent host, compromised, caught and revoked; the operator reimages the machine and enrols it
    /// again with a new join token. The attacker kept the old key and certificate (revoked, but valid for
    /// hours yet) and sits on the network path to the host. That certificate carries the host's peer name,
    /// and owners' clients check only the authority and the name, never whether the control plane still
    /// stands by the certificate.
    @Suite("Attack: a revoked certificate impersonates its re-enrolled host")
    struct RevokedCertificateImpostorAttackTests {
        @Test("an owner's upload to a re-enrolled host is not handed to the host's revoked certificate")
        func revokedCertificateOnPath() async throws {
            try await AttackScene.run(.sqlite) { scene in
                let api = scene.api
                let census = try await scene.indonesianCensus()
                let owner = census.owner
                let target = try #require(census.placed.first)

                // The host as the attacker had it: enrolled, then revoked by the operator.
                let stolen = try await FalseCopyClaimAttackTests.enrol(target, scene: scene)
                defer { Task { await stolen.connection.shutdown() } }
                #expect(try await api.admin(.post, "/v1/hosts/\(target)/revoke").status == 200)
                #expect(stolen.credentials.certificate.notValidAfter > Date().addingTimeInterval(600))
                // Reimaged and enrolled again: the real agent, with a new certificate.
                try await scene.startAgent(target)

                let bytes = (0..<30_000).map { _ in UInt8.random(in: 0...255) }
                let registered = try await scene.registerObject(
                    dataset: census.id, sha256: Hex.encode(SHA256.hash(data: bytes)), size: bytes.count,
                    token: owner)
                #expect(registered.status == 201, "\(String(decoding: registered.body, as: UTF8.self))")
                var transfer = try registered.decode(AttackScene.Transfer.self)
                #expect(transfer.host == target)
                // The name the owner is told to dial is the new enrolment's, not the stolen certificate's.
                #expect(!CertificateAuthority.dnsNames(of: stolen.credentials.certificate).contains(transfer.peerName))
                let agentPort = try #require(URLComponents(string: transfer.url)?.port)
                let interceptor = try TLSInterceptor(
                    targetPort: agentPort,
                    presenting: (stolen.credentials.certificatePEM, stolen.credentials.privateKey.pemRepresentation))
                try await interceptor.open()
                transfer.url = "https://127.0.0.1:\(await interceptor.port)/objects/\(transfer.object.id)"

                // The owner's client, exactly as `daulat dataset put` builds it.
                var outcome = "refused"
                do {
                    let upload = try await scene.upload(bytes, with: transfer)
                    outcome = "HTTP \(upload.status)"
                } catch {
                    outcome = "refused: \(error)"
                }
                let handedOver = await interceptor.seen.contains(transfer.ticket)
                await interceptor.close()
                #expect(
                    !handedOver,
                    "the owner's client accepted host '\(target)''s revoked certificate and handed the attacker the upload ticket and the ciphertext (upload: \(outcome))"
                )
            }
        }
    }
}
