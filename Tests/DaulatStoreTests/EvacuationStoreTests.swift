import DaulatControlPlane
import DaulatCore
import DaulatExampleConfig
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

/// Copies and their evacuations in the store, the same on PostgreSQL and SQLite.
@Suite("Store contract: copies and evacuations")
struct EvacuationStoreTests {
    static let actor = "system:test"

    /// A seeded store with one dataset and one object, copied to Jakarta and Singapore.
    func withCopies(
        _ kind: StoreKind, _ body: (any DaulatStore, StoredObject, Date) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(
                to: store, from: try AllianceDefinitionFile.load(ExampleConfig.allianceFile), actor: Self.actor)
            let now = CanonicalJSON.rounded(Date())
            let dataset = try await store.createUnplacedDataset(
                id: "ds-census", name: "census", at: now, actor: Self.actor)
            let object = StoredObject(
                id: "obj-00000000000000000001", datasetID: dataset.id, sha256: String(repeating: "ab", count: 32),
                sizeBytes: 10,
                createdAt: now)
            try await store.addObject(object, keys: [], actor: Self.actor)
            for host in ["id-jkt-1-a", "sg-sin-1-a"] {
                try await store.recordUploadedCopy(
                    objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes, hostID: host, at: now,
                    actor: Self.actor)
            }
            try await body(store, object, now)
        }
    }

    /// Every copy the store holds, as the evacuation review reads them.
    static func holdings(_ store: any DaulatStore) async throws -> [CopyHolding] {
        var holdings: [CopyHolding] = []
        try await store.copyHoldings(batchSize: 100) { holdings += $0 }
        return holdings
    }

    func evacuation(_ object: StoredObject, host: String = "sg-sin-1-a", at time: Date, deadline: TimeInterval)
        throws -> Evacuation
    {
        Evacuation(
            id: "evac-1", objectID: object.id, datasetID: object.datasetID, ownerAgency: "bps",
            home: try JurisdictionCode("ID"), hostID: host, siteID: "sg-sin-1",
            jurisdiction: try JurisdictionCode("SG"),
            reason: "SG: agreement id-sg-restricted is suspended", startedAt: time,
            deadline: time.addingTimeInterval(deadline), quarantined: false)
    }

    @Test("copies are listed with their dataset; one of another size or hash is refused", arguments: StoreKind.allCases)
    func copyHoldings(kind: StoreKind) async throws {
        try await withCopies(kind) { store, object, now in
            let holdings = try await Self.holdings(store)
            #expect(
                holdings.sorted { $0.hostID < $1.hostID } == [
                    CopyHolding(
                        objectID: object.id, datasetID: object.datasetID, sizeBytes: object.sizeBytes,
                        hostID: "id-jkt-1-a"),
                    CopyHolding(
                        objectID: object.id, datasetID: object.datasetID, sizeBytes: object.sizeBytes,
                        hostID: "sg-sin-1-a"),
                ])
            // A copy reported with another size or hash than the object's is refused and not recorded.
            for (sha256, size) in [
                (object.sha256, object.sizeBytes + 1), (String(repeating: "ef", count: 32), object.sizeBytes),
            ] {
                await #expect(throws: StoreError.self) {
                    try await store.recordUploadedCopy(
                        objectID: object.id, sha256: sha256, sizeBytes: size, hostID: "id-btm-1-a", at: now,
                        actor: Self.actor)
                }
            }
            #expect(try await Self.holdings(store).count == 2)
        }
    }

    @Test(
        "one copy reported at once by uploads, transfers and inventories is recorded once, and none of them fails",
        arguments: StoreKind.allCases)
    func concurrentReports(kind: StoreKind) async throws {
        try await withCopies(kind) { store, object, now in
            let host = "id-btm-1-a"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for attempt in 0..<16 {
                    group.addTask {
                        if attempt.isMultiple(of: 4) {
                            _ = try await store.reconcileInventory(
                                hostID: host, objects: [object.id], corrupt: [], legacy: [], at: now)
                        } else {
                            try await store.recordUploadedCopy(
                                objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes, hostID: host,
                                at: now, actor: Self.actor)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Self.holdings(store).filter { $0.hostID == host }.count == 1)
            let recorded = try await store.auditEntries(after: 0, limit: 1_000).filter {
                ["object.copy_stored", "object.copy_found"].contains($0.action) && $0.after?.contains(host) == true
            }
            #expect(recorded.count == 1, "\(recorded.map(\.action))")

            // Released twice at once: one release, audited once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await store.releaseCopy(objectID: object.id, hostID: host, at: now, actor: Self.actor)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Self.holdings(store).filter { $0.hostID == host }.isEmpty)
            let released = try await store.auditEntries(after: 0, limit: 1_000).filter {
                $0.action == "object.copy_released" && $0.before?.contains(host) == true
            }
            #expect(released.count == 1)
        }
    }

    @Test(
        "an evacuation opens once per copy, ends with the copy's release, and says whether the deadline was met",
        arguments: StoreKind.allCases)
    func lifecycle(kind: StoreKind) async throws {
        try await withCopies(kind) { store, object, now in
            let started = try evacuation(object, at: now, deadline: 60)
            #expect(
                try await store.recordEvacuation(EvacuationChange(started, .started, at: Date()), actor: Self.actor))
            var twin = started
            twin.id = "evac-2"
            #expect(
                try await !store.recordEvacuation(EvacuationChange(twin, .started, at: Date()), actor: Self.actor),
                "a second open evacuation of the same copy is refused")
            #expect(try await store.evacuations(EvacuationQuery(openOnly: true)) == [started])

            let released = now.addingTimeInterval(30)
            try await store.releaseCopy(objectID: object.id, hostID: "sg-sin-1-a", at: released, actor: Self.actor)
            let ended = try #require(try await store.evacuations(EvacuationQuery(datasetID: object.datasetID)).first)
            #expect(ended.state == .met && ended.endedAt == released)
            #expect(try await store.evacuations(EvacuationQuery(openOnly: true)).isEmpty)
            #expect(
                try await !store.recordEvacuation(
                    EvacuationChange(started.ended(at: released), .ended, at: released), actor: Self.actor),
                "an ended evacuation is not written again")
            let actions = try await store.auditEntries(after: 0, limit: 1000).map(\.action).suffix(3)
            #expect(Array(actions) == ["evacuation.started", "object.copy_released", "evacuation.ended"])
        }
    }

    @Test(
        "a copy lost without a release is forgotten and audited as lost; its evacuation is not ended as met",
        arguments: StoreKind.allCases)
    func lostWithoutRelease(kind: StoreKind) async throws {
        try await withCopies(kind) { store, object, now in
            let started = try evacuation(object, at: now, deadline: 60)
            try await store.recordEvacuation(EvacuationChange(started, .started, at: Date()), actor: Self.actor)
            try await store.loseCopy(
                objectID: object.id, hostID: "sg-sin-1-a", reason: "deleted by its agent without an offer",
                at: now.addingTimeInterval(5), actor: "agent:sg-sin-1-a")
            #expect(try await Self.holdings(store).map(\.hostID) == ["id-jkt-1-a"])
            let last = try #require(try await store.auditEntries(after: 0, limit: 1000).last)
            #expect(last.action == "object.copy_lost" && last.after?.contains("without an offer") == true)
            #expect(try await store.evacuations(EvacuationQuery(openOnly: true)) == [started], "left for the tracker")
            // Twice, or for a copy never recorded: nothing more happens.
            try await store.loseCopy(
                objectID: object.id, hostID: "sg-sin-1-a", reason: "again", at: now, actor: Self.actor)
            #expect(try await store.auditEntries(after: 0, limit: 1000).last == last)
            await #expect(throws: StoreError.self) {
                try await store.loseCopy(
                    objectID: "obj-none", hostID: "sg-sin-1-a", reason: "x", at: now, actor: Self.actor)
            }
        }
    }

    @Test(
        "a copy released after the deadline ends missed; quarantine and deadline steps are kept",
        arguments: StoreKind.allCases)
    func missed(kind: StoreKind) async throws {
        try await withCopies(kind) { store, object, now in
            var evacuation = try evacuation(object, at: now, deadline: 5)
            try await store.recordEvacuation(EvacuationChange(evacuation, .started, at: Date()), actor: Self.actor)
            evacuation.state = .quarantined
            evacuation.quarantinedSince = now.addingTimeInterval(1)
            #expect(
                try await store.recordEvacuation(
                    EvacuationChange(evacuation, .quarantined, at: Date()), actor: Self.actor))
            evacuation.deadlineMissedAt = now.addingTimeInterval(6)
            #expect(
                try await store.recordEvacuation(
                    EvacuationChange(evacuation, .deadlineMissed, at: Date()), actor: Self.actor))
            #expect(try await store.evacuations(EvacuationQuery(objectID: object.id, openOnly: true)) == [evacuation])
            try await store.releaseCopy(
                objectID: object.id, hostID: "sg-sin-1-a", at: now.addingTimeInterval(9), actor: Self.actor)
            let ended = try #require(try await store.evacuations(EvacuationQuery(objectID: object.id)).first)
            #expect(ended.state == .missed && ended.quarantinedSince == nil && ended.deadlineMissedAt != nil)
            // The record outlives its dataset: it is evidence.
            try await store.deleteDataset(id: object.datasetID, actor: Self.actor)
            #expect(try await store.evacuations(EvacuationQuery(datasetID: object.datasetID)).count == 1)
            #expect(try await Self.holdings(store).isEmpty)
        }
    }

    @Test(
        "an inventory forgets copies that are gone, counts none on the agent's word while others are recorded, files blobs kept by hash, and flags the rest in one entry",
        arguments: StoreKind.allCases)
    func inventory(kind: StoreKind) async throws {
        try await withCopies(kind) { store, object, now in
            let stray = "obj-cdcdcdcdcdcdcdcdcdcd"
            // Jakarta lost its copy to corruption; Singapore still has it.
            let jakarta = try await store.reconcileInventory(
                hostID: "id-jkt-1-a", objects: [stray], corrupt: [object.id], legacy: [], at: now)
            #expect(jakarta == AgentMessages.InventoryReceipt(lost: [object.id], unknown: [stray]))
            let singapore = try await store.reconcileInventory(
                hostID: "sg-sin-1-a", objects: [object.id], corrupt: [], legacy: [], at: now)
            #expect(singapore == AgentMessages.InventoryReceipt(lost: [], unknown: []))
            #expect(try await store.object(id: object.id)?.holders == ["sg-sin-1-a"])
            #expect(try await store.flaggedBlobs().map(\.blob) == [stray])
            // Batam says it holds a copy no one sent it while Singapore's is recorded: not counted, flagged.
            let batam = try await store.reconcileInventory(
                hostID: "id-btm-1-a", objects: [object.id], corrupt: [], legacy: [], at: now)
            #expect(batam == AgentMessages.InventoryReceipt(lost: [], unverified: [object.id], unknown: []))
            #expect(try await store.object(id: object.id)?.holders == ["sg-sin-1-a"])
            #expect(
                try await store.flaggedBlobs().first { $0.hostID == "id-btm-1-a" }?.reason.contains("without evidence")
                    == true)
            // Singapore's agent, of an earlier version, kept the copy by hash: it is filed under the
            // object, not lost; a blob kept by hash that no copy here has is flagged.
            let other = String(repeating: "ef", count: 32)
            let legacy = try await store.reconcileInventory(
                hostID: "sg-sin-1-a", objects: [], corrupt: [], legacy: [object.sha256, other], at: now)
            #expect(
                legacy
                    == AgentMessages.InventoryReceipt(
                        lost: [], unknown: [other],
                        adopt: [AgentMessages.Adoption(objectID: object.id, sha256: object.sha256)]))
            #expect(try await store.object(id: object.id)?.holders == ["sg-sin-1-a"])
            _ = try await store.reconcileInventory(
                hostID: "id-jkt-1-a", objects: [], corrupt: [], legacy: [], at: now)
            _ = try await store.reconcileInventory(
                hostID: "id-btm-1-a", objects: [], corrupt: [], legacy: [], at: now)
            _ = try await store.reconcileInventory(
                hostID: "sg-sin-1-a", objects: [object.id], corrupt: [], legacy: [], at: now)
            #expect(try await store.flaggedBlobs().isEmpty)
            let entries = try await store.auditEntries(after: 0, limit: 1000)
            let lost = try #require(entries.first { $0.action == "object.copy_lost" })
            #expect(lost.after?.contains("corrupt") == true)
            #expect(entries.filter { $0.action == "object.copy_found" }.isEmpty)
            #expect(entries.filter { $0.action == "blob.flagged" }.count == 3)
            // Reporting the same again changes nothing.
            let before = entries.count
            _ = try await store.reconcileInventory(
                hostID: "sg-sin-1-a", objects: [object.id], corrupt: [], legacy: [], at: now)
            #expect(try await store.auditEntries(after: 0, limit: 1000).count == before)

            // A thousand strays make one audit entry, naming a few of them and how many there were.
            let strays = (0..<1_000).map { "obj-f" + String(format: "%019x", $0) }
            let flood = try await store.reconcileInventory(
                hostID: "id-jkt-1-a", objects: Set(strays), corrupt: [], legacy: [], at: now)
            #expect(flood.unknown.count == 1_000)
            let flagged = try await store.auditEntries(after: 0, limit: 2_000).filter { $0.action == "blob.flagged" }
            #expect(flagged.count == 4)
            let summary = try #require(flagged.last?.after)
            #expect(summary.contains(#""count":1000"#) && summary.contains(strays[0]) && !summary.contains(strays[999]))
        }
    }

    @Test(
        "an inventory never counts a copy, not even the only one on a host it is placed on",
        arguments: StoreKind.allCases)
    func inventoryNeverCounts(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await AllianceSeeder.addMissing(
                to: store, from: try AllianceDefinitionFile.load(ExampleConfig.allianceFile), actor: Self.actor)
            let now = CanonicalJSON.rounded(Date())
            let dataset = try await store.createUnplacedDataset(id: "ds-census", at: now, actor: Self.actor)
            let object = StoredObject(
                id: "obj-00000000000000000002", datasetID: dataset.id, sha256: String(repeating: "ab", count: 32),
                sizeBytes: 10, createdAt: now)
            try await store.addObject(object, keys: [], actor: Self.actor)
            let batam = PlacementChoice(
                hostID: "id-btm-1-a", siteID: "id-btm-1", jurisdiction: try JurisdictionCode("ID"),
                failureDomain: "riau-islands", reason: PlacementReason(kind: .homeReplica, rank: 1, eligibleSites: 2))
            #expect(
                try await store.savePlacement(
                    Placement(
                        datasetID: dataset.id, computedAt: now, choices: [batam], excludedSites: [], violations: []),
                    basedOn: dataset, actor: Self.actor))
            // Not placed in Singapore: its word is not taken even for the only copy.
            let abroad = try await store.reconcileInventory(
                hostID: "sg-sin-1-a", objects: [object.id], corrupt: [], legacy: [], at: now)
            #expect(abroad.unverified == [object.id])
            let placed = try await store.reconcileInventory(
                hostID: "id-btm-1-a", objects: [object.id], corrupt: [], legacy: [], at: now)
            #expect(placed.unverified == [object.id])
            #expect(try await store.object(id: object.id)?.holders == [])
            let flagged = try await store.flaggedBlobs().filter { $0.blob == object.id }
            #expect(flagged.map(\.hostID).sorted() == ["id-btm-1-a", "sg-sin-1-a"])
            let entries = try await store.auditEntries(after: 0, limit: 1_000)
            #expect(entries.allSatisfy { $0.action != "object.copy_found" })
        }
    }

    @Test(
        "a copy counts on evidence: each ticket once, and a transfer only once its sender said it sent it",
        arguments: StoreKind.allCases)
    func copyEvidence(kind: StoreKind) async throws {
        try await withCopies(kind) { store, object, now in
            let record = { (host: String, evidence: CopyEvidence) in
                try await store.recordCopy(
                    objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes, hostID: host,
                    evidence: evidence, at: now, actor: Self.actor)
            }
            let refusal = { (host: String, evidence: CopyEvidence) async -> String? in
                do {
                    try await record(host, evidence)
                    return nil
                } catch StoreError.refused(let code, _) {
                    return code
                } catch {
                    return "\(error)"
                }
            }
            // A transfer its sender never reported counts for nothing.
            #expect(await refusal("id-btm-1-a", .transfer(ticket: "t-1", from: "id-jkt-1-a")) == "transfer_unconfirmed")
            // Reported by another sender, or for another recipient: still nothing.
            try await store.recordTransfer(
                ticket: "t-1", objectID: object.id, sender: "sg-sin-1-a", recipient: "id-btm-1-a", at: now)
            #expect(await refusal("id-btm-1-a", .transfer(ticket: "t-1", from: "id-jkt-1-a")) == "transfer_unconfirmed")
            #expect(await refusal("my-kul-1-a", .transfer(ticket: "t-1", from: "sg-sin-1-a")) == "transfer_unconfirmed")
            #expect(try await store.object(id: object.id)?.holders == ["id-jkt-1-a", "sg-sin-1-a"])
            // The sender's word and the receiver's agree: one copy, audited with how it came.
            try await record("id-btm-1-a", .transfer(ticket: "t-1", from: "sg-sin-1-a"))
            #expect(try await store.object(id: object.id)?.holders == ["id-btm-1-a", "id-jkt-1-a", "sg-sin-1-a"])
            let stored = try #require(
                try await store.auditEntries(after: 0, limit: 1_000).last { $0.action == "object.copy_stored" })
            #expect(
                stored.after?.contains(#""from":"sg-sin-1-a""#) == true && stored.after?.contains("transfer") == true)
            // The same report again changes nothing; the ticket evidences no other copy, not even this
            // one once it was released.
            try await record("id-btm-1-a", .transfer(ticket: "t-1", from: "sg-sin-1-a"))
            #expect(await refusal("my-kul-1-a", .transfer(ticket: "t-1", from: "sg-sin-1-a")) == "ticket_replayed")
            try await store.releaseCopy(objectID: object.id, hostID: "id-btm-1-a", at: now, actor: Self.actor)
            #expect(await refusal("id-btm-1-a", .transfer(ticket: "t-1", from: "sg-sin-1-a")) == "ticket_replayed")
            try await record("id-btm-1-a", .upload(ticket: "u-1"))
            #expect(await refusal("my-kul-1-a", .upload(ticket: "u-1")) == "ticket_replayed")
            #expect(try await store.object(id: object.id)?.holders == ["id-btm-1-a", "id-jkt-1-a", "sg-sin-1-a"])
        }
    }

    @Test(
        "a home state's decision recorded while a review was under way stays when the review writes; a host's open evacuations are found by host",
        arguments: StoreKind.allCases)
    func decisionsStay(kind: StoreKind) async throws {
        try await withCopies(kind) { store, object, now in
            var started = try evacuation(object, at: now, deadline: 3)
            started.state = .quarantined
            started.quarantinedSince = now
            #expect(try await store.recordEvacuation(EvacuationChange(started, .started, at: now), actor: Self.actor))
            // The review reads the evacuation, then Indonesia's decision lands, then the review writes.
            let read = try #require(try await store.evacuation(id: started.id))
            let decision = QuarantineDecision(
                evacuationID: started.id, objectID: object.id, hostID: "sg-sin-1-a", jurisdiction: started.home,
                action: .destroy, until: nil, issuedAt: now)
            #expect(
                try await store.recordEvacuation(
                    EvacuationChange(read.decided(decision, signed: "signed"), .decided, at: now), actor: Self.actor))
            var late = read
            late.deadlineMissedAt = now.addingTimeInterval(5)
            #expect(
                try await store.recordEvacuation(EvacuationChange(late, .deadlineMissed, at: now), actor: Self.actor))
            let stored = try #require(try await store.evacuation(id: started.id))
            #expect(stored.decision == decision && stored.signedDecision == "signed" && stored.deadlineMissedAt != nil)
            #expect(
                try await store.evacuations(EvacuationQuery(hostID: "sg-sin-1-a", openOnly: true)).map(\.id) == [
                    started.id
                ])
            #expect(try await store.evacuations(EvacuationQuery(hostID: "id-jkt-1-a", openOnly: true)).isEmpty)
        }
    }
}
