import DaulatAgent
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import NIOCore
import Testing

extension Attacks {
    /// One agent host, caught and revoked by the operator, keeps what it had: a certificate that has not
    /// expired yet and a download ticket its last assignment set gave it. The holder it would copy from
    /// learns of the revocation from its own signed set and sends nothing.
    @Suite("Attack: a revoked host uses the ticket and certificate it still holds")
    struct RevokedHostAttackTests {
        @Test("a download ticket issued to a host before its revocation is refused by the holder")
        func revokedRecipient() async throws {
            try await AttackScene.run(.sqlite) { scene in
                let api = scene.api
                let census = try await scene.indonesianCensus()
                let owner = census.owner
                let holder = try #require(census.placed.first)
                try await scene.startAgent(holder)
                let bytes = (0..<100_000).map { _ in UInt8.random(in: 0...255) }
                let put = try await scene.put(bytes, dataset: census.id, token: owner)
                #expect(put.status == 201)
                let objectID = put.transfer.object.id

                // The data moves to another Indonesian host, whose agent the attacker runs.
                var drained = try #require(try await api.store.topology().hosts.first { $0.id == holder })
                drained.status = .draining
                #expect(
                    try await api.admin(.put, "/v1/hosts/\(holder)", json: try CanonicalJSON.encode(drained)).status
                        == 200)
                var placed: [String] = []
                #expect(
                    try await api.eventually {
                        placed = try await api.store.placement(datasetID: census.id)?.choices.map(\.hostID) ?? []
                        return !placed.isEmpty && !placed.contains(holder)
                    })
                let rogue = try await FalseCopyClaimAttackTests.enrol(try #require(placed.first), scene: scene)
                defer { Task { await rogue.connection.shutdown() } }
                let set = try await FalseCopyClaimAttackTests.assignments(rogue)
                let assignment = try #require(set.assignments.first { $0.objectID == objectID })
                let ticket = try #require(assignment.sourceTicket)
                let source = try PeerAddress.host(
                    holder, named: try #require(assignment.sourcePeerName), url: try #require(assignment.sourceURL))
                let fetch = {
                    try await ObjectClient.withClient(trusting: rogue.credentials.authorityPEM, peers: [source]) {
                        client in
                        do {
                            let response = try await ObjectClient.get(source.url(), ticket: ticket, client: client)
                            _ = try await response.body.collect(upTo: 1 << 20)
                            return "sent"
                        } catch let error as AgentError {
                            return error.code ?? "refused"
                        }
                    }
                }
                // The control: before the revocation the ticket fetches the copy.
                #expect(try await fetch() == "sent")

                // The operator revokes the host. Its certificate and ticket are still unexpired.
                #expect(
                    try await api.admin(.post, "/v1/hosts/\(rogue.credentials.identity!.hostID)/revoke").status == 200)
                #expect(rogue.credentials.certificate.notValidAfter > Date().addingTimeInterval(60))
                var answer = ""
                #expect(
                    try await api.eventually(within: 10) {
                        answer = try await fetch()
                        return answer == "recipient_revoked"
                    }, "the holder still sent the copy: \(answer)")
            }
        }
    }
}
