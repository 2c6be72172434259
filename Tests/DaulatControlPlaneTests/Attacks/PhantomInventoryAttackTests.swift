import Crypto
import DaulatAgent
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// One compromised agent host, placed for a dataset, reads a freshly registered object's id in its
    /// own signed assignment set and, while the owner's upload to the other placed host is still on its
    /// way (no copy recorded anywhere yet), names the object in its inventory. The control plane counts
    /// it ("the only copy there is"), the real upload then lands beside it, and the phantom is what the
    /// release rule later leans on: when the real holder is drained, the real and only copy is deleted.
    @Suite("Attack: one agent claims a not-yet-uploaded object in its inventory")
    struct PhantomInventoryAttackTests {
        @Test(
            "an inventory claim made before the upload lands is not counted, and the real copy stays",
            arguments: StoreKind.allCases)
        func phantomBeforeUpload(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                let census = try await scene.indonesianCensus(replicas: 2)
                let owner = census.owner
                #expect(census.placed.count == 2)
                let honest = try #require(census.placed.first)
                let compromised = try #require(census.placed.last)
                try await scene.startAgent(honest)
                let agent = try await FalseCopyClaimAttackTests.enrol(compromised, scene: scene)
                defer { Task { await agent.connection.shutdown() } }

                // The owner registers an object; the upload (think of a large one) has not finished yet.
                let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255) }
                let registered = try await scene.registerObject(
                    dataset: census.id, sha256: Hex.encode(SHA256.hash(data: bytes)), size: bytes.count, token: owner)
                #expect(registered.status == 201)
                let transfer = try registered.decode(AttackScene.Transfer.self)
                let objectID = transfer.object.id
                #expect(transfer.host == honest)

                // The compromised host learns the id from its own signed set, and claims it in its inventory.
                let set = try await FalseCopyClaimAttackTests.assignments(agent)
                #expect(set.assignments.contains { $0.objectID == objectID })
                let receipt = try await agent.connection.inventory(.init(objects: [objectID]))
                #expect(receipt.unverified == [objectID], "the compromised host's word was taken: \(receipt)")

                // The real upload lands on the honest host.
                let upload = try await scene.upload(bytes, with: transfer)
                #expect(upload.status == 201)
                let holders = { try await api.store.object(id: objectID)?.holders.sorted() ?? [] }
                #expect(try await api.eventually { try await holders().contains(honest) })
                let afterUpload = try await holders()
                #expect(
                    !afterUpload.contains(compromised),
                    "the compromised host is recorded holding bytes it never had: \(afterUpload)")

                // The operator drains the other Indonesian hosts (a site's maintenance): the dataset is now
                // placed on the compromised host alone, which the control plane believes holds a copy.
                for host in try await api.store.topology().hosts
                where host.siteID.hasPrefix("id-") && host.id != compromised {
                    var drained = host
                    drained.status = .draining
                    let reply = try await api.admin(
                        .put, "/v1/hosts/\(host.id)", json: try CanonicalJSON.encode(drained))
                    #expect(reply.status == 200)
                }
                #expect(
                    try await api.eventually {
                        try await api.store.placement(datasetID: census.id)?.choices.map(\.hostID) == [compromised]
                    })
                let released = try await api.eventually(within: 10) { try await holders() == [compromised] }
                #expect(!released, "the only real copy was released on the strength of the phantom")
                #expect(
                    scene.hostsHolding(bytes, among: [honest]) == [honest],
                    "the honest host deleted the only real copy of the object")
            }
        }
    }
}
