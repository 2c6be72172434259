import DaulatAgent
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing
import X509

extension Attacks {
    /// One compromised agent host says it holds copies it does not: on a host the data is now placed on,
    /// so that the release rule has the real holder delete the only copy; and on a host abroad, so that
    /// a copy "held" there shows in a state's report. A copy counts only when it came through a ticket
    /// the control plane issued for that host and object and, between agents, the sender says it sent
    /// it; nothing is released on a claim.
    @Suite("Attack: one agent claims copies it does not hold")
    struct FalseCopyClaimAttackTests {
        @Test(
            "a claim without the bytes releases nothing and lands nothing abroad; a copy really sent still does",
            arguments: StoreKind.allCases)
        func falseClaims(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                let census = try await scene.indonesianCensus()
                let owner = census.owner
                let holder = try #require(census.placed.first)
                try await scene.startAgent(holder)
                let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255) }
                let put = try await scene.put(bytes, dataset: census.id, token: owner)
                let objectID = put.transfer.object.id
                #expect(put.status == 201)
                let holders = { try await api.store.object(id: objectID)?.holders ?? [] }
                #expect(try await api.eventually { try await holders() == [holder] })

                // The operator drains the holder's host: the data is now placed on another Indonesian host,
                // whose agent the attacker controls.
                var drained = try #require(try await api.store.topology().hosts.first { $0.id == holder })
                drained.status = .draining
                let draining = try await api.admin(
                    .put, "/v1/hosts/\(holder)",
                    json: try CanonicalJSON.encode(drained))
                #expect(draining.status == 200)
                var placed: [String] = []
                #expect(
                    try await api.eventually {
                        placed = try await api.store.placement(datasetID: census.id)?.choices.map(\.hostID) ?? []
                        return !placed.isEmpty && !placed.contains(holder)
                    })
                let compromised = try #require(placed.first)
                let agent = try await Self.enrol(compromised, scene: scene)
                defer { Task { await agent.connection.shutdown() } }

                // Its signed set names the holder to copy from, with a download ticket for this host.
                let set = try await Self.assignments(agent)
                let assignment = try #require(set.assignments.first { $0.objectID == objectID })
                let ticket = try #require(assignment.sourceTicket)
                // Claimed with that ticket, without fetching a byte: the holder never said it sent it.
                #expect(
                    try await Self.refusal {
                        try await agent.connection.report(.init(objectID: objectID, ticket: ticket))
                    }
                        == "transfer_unconfirmed")
                // Claimed with nothing, or with a ticket the attacker signed itself.
                #expect(
                    try await Self.refusal {
                        try await agent.connection.report(.init(objectID: objectID, ticket: "forged"))
                    }
                        == "ticket_malformed")
                let rogue = try CertificateAuthority.create(trustDomain: "rogue.test")
                var fake = try SignedTicket.evidence(ticket, authority: agent.authority)
                fake.operation = .upload
                fake.hostID = compromised
                #expect(
                    try await Self.refusal {
                        try await agent.connection.report(
                            .init(objectID: objectID, ticket: try SignedTicket.sign(fake, with: rogue)))
                    }
                        == "ticket_signature_invalid")
                // Claimed in its inventory: not counted while the holder's copy is recorded.
                let receipt = try await agent.connection.inventory(.init(objects: [objectID]))
                #expect(receipt.unverified == [objectID])
                try await Task.sleep(for: .seconds(3))
                #expect(try await holders() == [holder], "the real copy was not released on a claim")
                #expect(scene.hostsHolding(bytes, among: [holder]) == [holder])

                // A host abroad, where the dataset may not be stored, claims it with the ticket meant for
                // the placed host and in its inventory: nothing is recorded, so no report shows it.
                let abroad = try await Self.enrol("my-kul-1-a", scene: scene)
                defer { Task { await abroad.connection.shutdown() } }
                #expect(
                    try await Self.refusal {
                        try await abroad.connection.report(.init(objectID: objectID, ticket: ticket))
                    }
                        == "copy_unverified")
                _ = try await abroad.connection.inventory(.init(objects: [objectID]))
                #expect(try await holders() == [holder])
                let report = try await api.admin(.get, "/v1/reports/residency?jurisdiction=MY&format=csv")
                #expect(report.status == 200 && !String(decoding: report.body, as: UTF8.self).contains(objectID))

                // The compromised host really fetches the object: the holder says it sent it, the copy
                // counts, and only then is the holder's copy released.
                let source = try PeerAddress.host(
                    holder, named: try #require(assignment.sourcePeerName), url: try #require(assignment.sourceURL))
                let response = try await ObjectClient.withClient(
                    trusting: agent.credentials.authorityPEM, peers: [source]
                ) { client in
                    let response = try await ObjectClient.get(source.url(), ticket: ticket, client: client)
                    return Array(buffer: try await response.body.collect(upTo: 1 << 20))
                }
                #expect(response == bytes)
                try await agent.connection.report(.init(objectID: objectID, ticket: ticket))
                #expect(
                    try await api.eventually(within: 20) { try await holders() == [compromised] },
                    "the drained host released its copy once the new one was evidenced")
                #expect(
                    try await Self.refusal {
                        try await agent.connection.report(.init(objectID: objectID, ticket: ticket))
                    } == nil,
                    "the same report again changes nothing")
                #expect(
                    try await Self.refusal {
                        try await abroad.connection.report(.init(objectID: objectID, ticket: ticket))
                    }
                        == "copy_unverified")
            }
        }

        /// An agent the attacker runs: enrolled with a join token for `host` like any other, then driven
        /// by hand.
        struct RogueAgent {
            let credentials: AgentCredentials
            let connection: AgentConnection
            let authority: Certificate
        }

        static func enrol(_ host: String, scene: AttackScene) async throws -> RogueAgent {
            let reply = try await scene.api.admin(
                .post, "/v1/join-tokens", json: #"{"host":"\#(host)","ttlSeconds":600}"#)
            let token = try #require(reply.json["token"] as? String)
            let credentials = try await AgentEnrolment.enrol(serverURL: scene.serverURL, joinToken: token)
            return RogueAgent(
                credentials: credentials,
                connection: try AgentConnection(
                    credentials: credentials, listenerURL: await scene.agentListenerURL()),
                authority: try Certificate(pemEncoded: credentials.authorityPEM))
        }

        static func assignments(_ agent: RogueAgent) async throws -> AssignmentSet {
            try SignedDocument.verify(
                try await agent.connection.assignments(after: ""), as: AssignmentSet.self,
                purpose: AssignmentSet.signaturePurpose, authority: agent.authority)
        }

        /// The error code the control plane answered `call` with; nil when it was accepted.
        static func refusal(_ call: () async throws -> Void) async throws -> String? {
            do {
                try await call()
                return nil
            } catch let error as AgentError {
                return error.code ?? "HTTP \(error.status ?? 0)"
            }
        }
    }
}
