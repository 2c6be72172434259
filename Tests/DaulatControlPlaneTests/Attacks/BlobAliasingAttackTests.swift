import Crypto
import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// Another agency tries to take a dataset's ciphertext by registering an object with its SHA-256
    /// and size (a regulator sees hashes; an agency may once have held the sealed file), placing its own
    /// dataset on the host that holds it and everywhere else. A stored copy belongs to one object: the
    /// victim's bytes stay where the victim's policy put them, and the attacker's shred deletes only
    /// what is the attacker's.
    @Suite("Attack: another agency reuses an object's hash")
    struct BlobAliasingAttackTests {
        /// Hosts whose agents run besides the victim's own, in and out of Indonesia.
        static let otherHosts = ["id-jkt-1-a", "id-btm-1-a", "sg-sin-1-a", "my-kul-1-a", "ee-tll-1-a"]

        @Test(
            "an object registered with another agency's hash gets no copy, no bytes and no read; its owner's shred deletes only its own copies",
            arguments: StoreKind.allCases)
        func aliasedHash(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                let victim = try await api.issueToken(role: "owner", agency: "bps")
                let attacker = try await api.issueToken(role: "owner", agency: "rival")
                try await scene.startCustodian("id-custodian-1")
                // The victim's secret data may live in Indonesia only, on one host.
                let census = try await scene.register(
                    "census", token: victim, classification: "secret", policy: #"{"replicas":1}"#)
                let home = try #require(census.placed.first)
                let agentHosts = [home] + Self.otherHosts.filter { $0 != home }.prefix(4)
                for host in agentHosts { try await scene.startAgent(host) }

                let secret = (0..<300_000).map { _ in UInt8.random(in: 0...255) }
                let published = (0..<100_000).map { _ in UInt8.random(in: 0...255) }
                let secretPut = try await scene.put(secret, dataset: census.id, token: victim)
                let publishedPut = try await scene.put(published, dataset: census.id, token: victim)
                #expect(secretPut.status == 201 && publishedPut.status == 201)
                #expect(
                    try await api.eventually {
                        try await api.store.object(id: secretPut.transfer.object.id)?.holders == [home]
                    })

                // The attacker's dataset may be stored anywhere, and is placed on every host, the
                // victim's too. It registers the victim's hash without holding the bytes, and uploads
                // the published file it does hold as an object of its own.
                let mirror = try await scene.register(
                    "mirror", token: attacker, classification: "public", policy: #"{"replicas":11}"#)
                #expect(Set(agentHosts).isSubset(of: Set(mirror.placed)), "placed on \(mirror.placed)")
                let alias = try await scene.registerObject(
                    dataset: mirror.id, sha256: secretPut.transfer.object.sha256, size: secret.count, token: attacker)
                #expect(alias.status == 201, "\(String(decoding: alias.body, as: UTF8.self))")
                let aliasID = try alias.decode(AttackScene.Transfer.self).object.id
                let ownCopy = try await scene.put(published, dataset: mirror.id, token: attacker)
                #expect(ownCopy.status == 201)
                // Once the attacker's own object is on every running host, every agent has carried out
                // the set that also assigns it the alias.
                #expect(
                    try await api.eventually(within: 30) {
                        Set(try await api.store.object(id: ownCopy.transfer.object.id)?.holders ?? [])
                            == Set(agentHosts)
                    })

                #expect(
                    scene.hostsHolding(secret, among: agentHosts) == [home],
                    "the victim's ciphertext went nowhere its policy does not allow")
                #expect(try await api.store.object(id: aliasID)?.holders == [], "the alias has no copy anywhere")
                #expect(try await api.store.object(id: secretPut.transfer.object.id)?.holders == [home])
                let read = try await api.send(
                    .post, "/v1/datasets/\(mirror.id)/objects/\(aliasID)/download", token: attacker, json: "{}")
                #expect(
                    read.status == 409 && read.errorCode == "object_not_stored",
                    "\(read.status) \(read.errorCode ?? "")")

                // The attacker shreds its dataset: its copies go, the victim's identical bytes stay.
                let shred = try await api.send(.post, "/v1/datasets/\(mirror.id)/shred", token: attacker, json: "{}")
                #expect(shred.status == 201)
                _ = try await api.store.executeShred(
                    id: try #require(shred.json["id"] as? String), at: Date(), actor: "test")
                #expect(
                    try await api.eventually(within: 30) {
                        try await api.store.object(id: ownCopy.transfer.object.id)?.holders ?? [] == []
                    }, "the attacker's copies were deleted")
                #expect(scene.hostsHolding(published, among: agentHosts).contains(home))
                #expect(scene.hostsHolding(secret, among: agentHosts) == [home])
                for (put, bytes) in [(secretPut, secret), (publishedPut, published)] {
                    let download = try await api.send(
                        .post, "/v1/datasets/\(census.id)/objects/\(put.transfer.object.id)/download", token: victim,
                        json: "{}")
                    #expect(download.status == 200)
                    let transfer = try download.decode(AttackScene.Transfer.self)
                    let fetched = try await scene.download(with: transfer)
                    #expect(fetched.status == 200 && fetched.bytes == bytes, "the victim still reads its object")
                }
            }
        }
    }
}
